"""The national data set, at a tiny scale: what it makes, and that a second run adds nothing."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils.html import escape

from accounts.models import Force, Role, Team, User
from agreements.models import Agreement, AgreementVersion, Signature, sha256_hex
from benchmarks import national
from bookings.models import Booking, Session, Slot
from needs_assessment.models import Assessment, Framework, Rating
from referrals.models import Action, Case, CaseLogEntry, Referral, RiskAssessment, YoungPerson
from reporting.management.commands.seed_demo import scale_argument
from schools.models import Engagement, NamedContact, School, SchoolContact

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
TINY = national.NationalSize(
    forces=national.NATIONAL_FORCES[:2],
    schools=20,
    officers=10,
    years=2,
    engagements_a_year=(2, 4, 8),
)


def counts():
    return {
        "forces": Force.objects.count(),
        "schools": School.objects.count(),
        "users": User.objects.count(),
        "teams": Team.objects.count(),
        "named_contacts": NamedContact.objects.count(),
        "school_contacts": SchoolContact.objects.count(),
        "assessments": Assessment.objects.count(),
        "ratings": Rating.objects.count(),
        "engagements": Engagement.objects.count(),
        "frameworks": Framework.objects.count(),
        "agreements": Agreement.objects.count(),
        "agreement_versions": AgreementVersion.objects.count(),
        "signatures": Signature.objects.count(),
        "sessions": Session.objects.count(),
        "slots": Slot.objects.count(),
        "bookings": Booking.objects.count(),
        "young_people": YoungPerson.objects.count(),
        "referrals": Referral.objects.count(),
        "cases": Case.objects.count(),
        "log_entries": CaseLogEntry.objects.count(),
        "risk_assessments": RiskAssessment.objects.count(),
        "actions": Action.objects.count(),
    }


def test_tiny_national_seed_builds_every_part():
    forces = national.seed_national(today=TODAY, size=TINY)

    assert [f.force.slug for f in forces] == ["metropolitan", "west-midlands"]
    # Schools are shared by population: 8,900 and 2,950 thousand people.
    assert [len(f.schools) for f in forces] == [15, 5]
    assert School.objects.count() == 20
    for seeded in forces:
        force = seeded.force
        schools = School.objects.filter(force=force)
        assert set(schools.values_list("la_code", flat=True)) <= set(force.home_la_codes)
        # Every school: one open named contact, a headteacher and a DSL, a current approved tier.
        assert NamedContact.objects.filter(school__force=force, ends_on__isnull=True).count() == (
            schools.count()
        )
        assert SchoolContact.objects.filter(school__force=force).count() == 2 * schools.count()
        current = Assessment.objects.filter(school__force=force, is_current=True)
        assert current.count() == schools.count()
        assert set(current.values_list("status", flat=True)) == {Assessment.Status.APPROVED}
        chosen = Framework.objects.chosen_for(force)
        assert set(current.values_list("framework", flat=True)) == {chosen.pk}
        assert Rating.objects.filter(assessment__school__force=force).count() == (
            schools.count() * chosen.factors.count()
        )
        # Teams with a sergeant each, officers of the force's own, a manager who approved.
        assert seeded.teams and all(team.sergeant_id for team in seeded.teams.values())
        assert {u.role for u in seeded.sergeants} == {Role.SERGEANT}
        assert seeded.manager.role == Role.PREVENTION_MANAGER
        assert set(current.values_list("decided_by", flat=True)) == {seeded.manager.pk}
        assert all(
            officer.force_id == force.pk for team in seeded.officers.values() for officer in team
        )

    engagements = Engagement.objects.all()
    assert engagements.count() > 20 * 2  # at least one a year a school, most more
    first = engagements.order_by("occurred_on").first().occurred_on
    last = engagements.order_by("occurred_on").last().occurred_on
    assert first >= datetime.date(2025, 9, 1) and last <= TODAY
    assert not engagements.filter(occurred_on__month=8).exists()
    # Each engagement is logged by the school's named contact or deputy.
    for engagement in engagements.select_related("school")[:50]:
        contact = NamedContact.objects.get(school=engagement.school, ends_on__isnull=True)
        assert engagement.officer_id in {contact.officer_id, contact.deputy_id}
    # More intensive tiers get more engagements.
    by_rank = {}
    for school_id, n in engagements.values_list("school").annotate(n=Count("pk")):
        rank = Assessment.objects.get(school_id=school_id, is_current=True).computed_level.rank
        by_rank.setdefault(rank, []).append(n)
    assert min(by_rank) == 1
    if len(by_rank) > 1:
        assert max(by_rank[max(by_rank)]) > min(by_rank[1])


def test_tiny_national_seed_gives_most_schools_an_mou():
    national.seed_national(today=TODAY, size=TINY)

    agreements = Agreement.objects.all()
    assert 10 <= agreements.count() <= 20  # about 85% of the 20 schools
    assert agreements.filter(state=Agreement.State.ACTIVE).count() >= agreements.count() // 2
    for agreement in agreements.prefetch_related("versions", "signatures"):
        (version,) = agreement.versions.all()
        assert version.content_sha256 == sha256_hex(version.content_html)
        assert escape(agreement.school.name) in version.content_html
        signed = {s.party for s in agreement.signatures.all()}
        assert all(s.version_id == version.pk for s in agreement.signatures.all())
        sequence = agreement.signing_sequence()
        if agreement.state == Agreement.State.ACTIVE:
            assert signed == set(sequence)
            assert agreement.review_due_on and agreement.active_on <= TODAY
        else:
            done = 0 if agreement.state == Agreement.State.SENT else 1
            assert signed == set(sequence[:done])
            assert agreement.awaiting_party == sequence[done]
        assert not agreement.sealed_pdf  # bulk rows are not sealed


def test_tiny_national_seed_books_sessions_without_overbooking():
    national.seed_national(today=TODAY, size=TINY)

    assert Session.objects.count() == 2 * 6  # the demo catalogue in each force
    bookings = Booking.objects.select_related("slot__session", "school")
    assert 20 * 12 <= bookings.count() <= 20 * 12 + 2 * 4  # twelve a school, the last slot whole
    live = Counter(b.slot_id for b in bookings if b.status in {"pending", "confirmed"})
    for slot in Slot.objects.all():
        assert slot.places_taken == live[slot.pk] <= slot.capacity
    for booking in bookings:
        assert booking.school.force_id == booking.slot.session.force_id
        assert booking.booked_by.organisation_id == booking.school.organisation_id
        assert booking.status in {"pending", "confirmed"} or booking.reason
    assert {"confirmed", "cancelled"} <= set(bookings.values_list("status", flat=True))


def test_tiny_national_seed_refers_young_people_with_cases_logs_and_actions():
    national.seed_national(today=TODAY, size=TINY)

    referrals = Referral.objects.select_related("case", "young_person", "school", "referred_by")
    assert referrals.count() == 20 * 8
    assert YoungPerson.objects.count() == 20 * 8
    statuses = set(referrals.values_list("status", flat=True))
    assert {"accepted", "declined"} <= statuses
    for referral in referrals:
        assert referral.school.force_id == referral.force_id == referral.young_person.force_id
        if referral.source == "school":
            assert referral.mash_reference
            assert referral.referred_by.organisation_id == referral.school.organisation_id
        if referral.status == "accepted":
            case = referral.case
            assert case.young_person_id == referral.young_person_id
            assert case.officer.team_id == case.team_id and case.team.force_id == case.force_id
            kinds = list(case.log_entries.values_list("kind", flat=True))
            assert {"referral", "allocation"} <= set(kinds) and len(kinds) >= 3
            assert case.actions.exists() and case.risk_assessments.count() == 1
            assert case.status == "open" or case.closure_outcome
        else:
            assert referral.case is None
    assert Case.objects.count() == referrals.filter(status="accepted").count()


def test_second_run_adds_nothing():
    national.seed_national(today=TODAY, size=TINY)
    before = counts()
    forces = national.seed_national(today=TODAY, size=TINY)
    assert counts() == before
    assert all(not any(f.counts.values()) for f in forces)
    # The records later steps build on are the same ones on every run.
    assert sum(len(f.schools) for f in forces) == 20


def test_later_steps_receive_the_forces(monkeypatch):
    seen = []

    def step(forces, *, today):
        seen.append((len(forces), sum(len(f.schools) for f in forces), today))
        return "later step ran"

    monkeypatch.setattr(national, "LATER_STEPS", [step])
    lines = []
    national.seed_national(today=TODAY, size=TINY, log=lines.append)
    assert seen == [(2, 20, TODAY)]
    assert "  later step ran" in lines


def test_sizes_share_by_population_and_count_existing_schools(world):
    # The world fixture's three schools count towards the total.
    schools, officers = national.sizes(TINY)
    assert sum(schools) == 17 and schools[0] > schools[1]
    assert sum(officers) == 10


def test_share_sums_to_the_total():
    assert national._share(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(national._share(25_000, [e[2] for e in national.NATIONAL_FORCES])) == 25_000


def test_seed_demo_takes_national_scale(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("DEMO_PASSWORD", "a-long-test-demo-password")
    monkeypatch.setattr(national, "default_size", lambda: TINY)
    out = StringIO()
    call_command("seed_demo", "--scale", "national", stdout=out)
    assert "National data is ready" in out.getvalue()
    assert set(Force.objects.values_list("slug", flat=True)) == {
        "dorset",
        "wessex",
        "metropolitan",
        "west-midlands",
    }
    assert scale_argument("National") == "national"
    assert scale_argument("3") == 3
