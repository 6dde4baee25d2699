"""The national data set's incidents, requests for help and partnership cycle (#18, #19), at a
tiny scale: what the steps make, that it holds to the models' rules, that a second run adds
nothing, and that the pages `make bench` measures list these rows at constant queries."""

import datetime

import pytest
from django.conf import settings
from django.db.models import Count

from accounts.hashing import sha256_hex
from accounts.tests.signing_in import SignInClient
from benchmarks import national, pages, queries
from demo import accounts as accounts_demo
from help_requests.models import HelpRequest
from incidents.models import Exhibit, Incident, IncidentKind, IncidentPerson
from localcrime.models import LoadedMonth, SchoolCrimeCount
from partnership.models import (
    Action,
    ActionPlan,
    ExpectationCheck,
    Group,
    GroupMember,
    LevelAgreement,
    Meeting,
    MeetingAction,
    Objective,
    SchoolFigures,
    TermlyReview,
    TermsSignature,
)
from schools.models import NamedContact, School

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
TINY = national.NationalSize(
    forces=national.NATIONAL_FORCES[:2],
    schools=20,
    officers=10,
    years=1,
    engagements_a_year=(2, 4, 8),
)
NEW_PAGES = {
    "incident_list",
    "incident_page",
    "help_requests",
    "help_request_page",
    "partnership_levels",
    "partnership_school",
    "partnership_review",
    "partnership_groups",
    "partnership_group",
    "partnership_meeting",
    "local_crime_map",
}


def _counts():
    models = (Incident, IncidentPerson, Exhibit, HelpRequest, LevelAgreement, ActionPlan)
    models += (Objective, Action, TermlyReview, Group, GroupMember, Meeting, MeetingAction)
    models += (LoadedMonth, SchoolCrimeCount, ExpectationCheck, SchoolFigures)
    return {model.__name__: model.objects.count() for model in models}


def test_the_steps_are_registered():
    names = {step.__module__ for step in national.LATER_STEPS}
    assert {
        "benchmarks.national.incidents",
        "benchmarks.national.help_requests",
        "benchmarks.national.partnership",
        "benchmarks.national.crime",
    } <= names


def test_tiny_seed_reports_incidents_of_the_forces_kinds_in_every_state():
    forces = national.seed_national(today=TODAY, size=TINY)

    incidents = Incident.objects.all()
    # About six a school a year over two years: 20 schools give 120 to 360.
    assert 120 <= incidents.count() <= 360
    assert set(incidents.values_list("school", flat=True)) == set(
        School.objects.exclude(status="closed").values_list("pk", flat=True)
    )
    statuses = set(incidents.values_list("status", flat=True))
    assert {Incident.Status.CLOSED, Incident.Status.NEW, Incident.Status.ACKNOWLEDGED} <= statuses
    outcomes = set(incidents.exclude(outcome="").values_list("outcome", flat=True))
    assert len(outcomes) >= 3 and Incident.Outcome.REFERRED not in outcomes
    for seeded in forces:
        own = incidents.filter(school__force=seeded.force)
        kinds = set(IncidentKind.objects.filter(force=seeded.force).values_list("pk", flat=True))
        assert set(own.values_list("kind", flat=True)) <= kinds
        assert own.filter(kind__in_protocol=False).exists()
        # Handled by the school's named officer or deputy, reported by its headteacher.
        for incident in own.exclude(acknowledged_by=None).select_related("school")[:30]:
            contact = NamedContact.objects.current(on=TODAY).get(school=incident.school)
            assert incident.acknowledged_by_id in {contact.officer_id, contact.deputy_id}
            assert incident.reported_by.organisation_id == incident.school.organisation_id
    assert not incidents.filter(occurred_on__gt=TODAY).exists()
    assert not incidents.exclude(status=Incident.Status.DRAFT).filter(sent_at=None).exists()
    assert not incidents.filter(status=Incident.Status.CLOSED, outcome_at=None).exists()
    recorded = incidents.filter(outcome=Incident.Outcome.CRIME_RECORDED)
    assert recorded.exists() and not recorded.filter(crime_reference="").exists()
    for incident in incidents.order_by("pk")[:40]:
        incident.full_clean()
        assert incident.missing_answers() == []
    # Everyone involved is on record, and every incident names at least one person.
    assert not incidents.annotate(n=Count("people")).filter(n=0).exists()
    for person in IncidentPerson.objects.order_by("pk")[:80]:
        person.full_clean()
    assert Exhibit.objects.filter(incident__kind__key__in=["weapon", "drugs"]).exists()


def test_tiny_seed_asks_for_help_and_answers_most():
    national.seed_national(today=TODAY, size=TINY)

    requests = HelpRequest.objects.all()
    assert 80 <= requests.count() <= 240  # about four a school a year over two years
    by_status = dict(requests.values_list("status").annotate(n=Count("pk")))
    assert by_status.get("answered", 0) + by_status.get("closed", 0) > by_status.get("open", 0)
    assert by_status.get("open", 0) > 0
    for request in requests.select_related("school", "asked_by").order_by("pk")[:60]:
        request.full_clean()
        contact = NamedContact.objects.current(on=TODAY).get(school=request.school)
        assert request.officer_id == contact.officer_id
        assert request.team_id == request.school.team_id
        if request.status != HelpRequest.Status.OPEN:
            assert request.answer and request.answered_by_id and request.answered_at


def test_tiny_seed_runs_the_partnership_cycle():
    forces = national.seed_national(today=TODAY, size=TINY)

    answers = LevelAgreement.objects.all()
    assert 14 <= answers.count() <= 20  # about 90% of the 20 schools
    for answer in answers.select_related("assessment"):
        answer.full_clean()
        assert answer.assessment.is_current and answer.assessment.school_id == answer.school_id
    plans = ActionPlan.objects.all()
    assert plans.exists()
    # Each force's school with the most intensive level has the whole cycle.
    for seeded in forces:
        assert plans.filter(school__force=seeded.force).exists()
        assert Group.objects.filter(force=seeded.force, kind=Group.Kind.STEERING).count() == 1
        assert Group.objects.filter(force=seeded.force, kind=Group.Kind.MANAGEMENT).exists()
    for plan in plans.prefetch_related("objectives", "actions"):
        assert plan.year == 2026
        assert LevelAgreement.objects.get(school=plan.school).status == "agreed"
        assert plan.objectives.count() >= 2 and plan.actions.count() >= 3
        for action in plan.actions.all():
            action.full_clean()  # the horizon fits the span from start to due date
            assert action.objective is None or action.objective.plan_id == plan.pk
        for objective in plan.objectives.all():
            objective.full_clean()
    # Reviews of the terms over since last September (this autumn's is not over on 23 November).
    reviews = TermlyReview.objects.select_related("term")
    assert reviews.count() == 3 * plans.count()  # last school year's three terms
    assert all(review.is_signed_off and review.term.ends_on < TODAY for review in reviews)
    # Part of each planned school's checklist, of its own level, and its figures every term.
    for check in ExpectationCheck.objects.select_related("school", "expectation"):
        assessment = check.school.assessments.get(is_current=True)
        assert check.expectation.levels.filter(pk=assessment.level.pk).exists()
        assert plans.filter(school=check.school).exists()
    assert ExpectationCheck.objects.exists()
    assert SchoolFigures.objects.count() == 4 * plans.count()  # three terms over and this one
    for figures in SchoolFigures.objects.all():
        figures.full_clean()
    members = GroupMember.objects.select_related("group")
    assert members.exists()
    for member in members:  # every member signed the group's current wording, by its SHA-256
        terms = member.group.current_terms()
        signature = TermsSignature.objects.get(version=terms, user=member.user)
        assert signature.content_sha256 == terms.text_sha256 == sha256_hex(terms.text)
    assert MeetingAction.objects.exists()
    assert Meeting.objects.filter(starts_at__date__gt=TODAY, minutes="").exists()


def test_tiny_seed_places_the_schools_and_counts_crime_near_them():
    forces = national.seed_national(today=TODAY, size=TINY)

    schools = School.objects.filter(force__in=[f.force for f in forces])
    assert not schools.without_position().exists()
    assert not schools.filter(latitude=None).exists()
    for school in schools:
        assert 49.8 < school.latitude < 55.9 and -5.8 < school.longitude < 1.8  # England, Wales
    for seeded in forces:
        months = list(
            LoadedMonth.objects.filter(force=seeded.force).values_list("month", flat=True)
        )
        assert len(months) == 24 and max(months) == datetime.date(2026, 9, 1)
        assert all(month.day == 1 for month in months)
    counts = SchoolCrimeCount.objects.all()
    assert set(counts.values_list("school", flat=True)) == set(schools.values_list("pk", flat=True))
    assert not counts.filter(near=0).exists()
    assert counts.filter(crime_type="Violence and sexual offences").exists()
    month = LoadedMonth.objects.get(force=forces[0].force, month=datetime.date(2026, 9, 1))
    near = counts.filter(school__force=forces[0].force, month=month.month)
    assert month.asb == sum(
        near.filter(crime_type="Anti-social behaviour").values_list("near", flat=True)
    )
    assert month.crimes + month.asb == sum(near.values_list("near", flat=True))


def test_a_second_run_adds_nothing():
    national.seed_national(today=TODAY, size=TINY)
    before = _counts()
    assert all(before.values())
    national.seed_national(today=TODAY, size=TINY)
    assert _counts() == before


def test_the_measured_pages_list_the_seeded_rows():
    today = datetime.date.today()
    (seeded,) = national.seed_national(
        today=today, size=national.NationalSize(forces=TINY.forces[:1], schools=12, officers=6)
    )
    user = seeded.manager
    accounts_demo.seed_totp(user)
    ctx = pages.BenchContext(
        user=user, force=seeded.force, school=queries.sample_school(user.force)
    )
    chosen = {page.key: page for page in pages.PAGES if page.key in NEW_PAGES}
    assert set(chosen) == NEW_PAGES
    assert chosen["incident_list"].kind == chosen["help_requests"].kind == pages.LIST
    assert chosen["partnership_groups"].kind == chosen["partnership_levels"].kind == pages.LIST
    assert chosen["incident_page"].kind == chosen["partnership_meeting"].kind == pages.DETAIL
    client = SignInClient(HTTP_HOST="localhost")
    client.force_login(user)
    html = {}
    for key, page in chosen.items():
        response = client.get(page.url(ctx), secure=settings.SECURE_SSL_REDIRECT)
        assert response.status_code == 200, key
        html[key] = response.content.decode()
    newest = Incident.objects.sent().order_by("-sent_at", "-pk").first()
    assert newest.reference in html["incident_list"]
    closed = Incident.objects.filter(status=Incident.Status.CLOSED).order_by("pk").first()
    assert closed.reference in html["incident_page"]
    newest_request = HelpRequest.objects.order_by("-created", "-pk").first()
    assert newest_request.school.name in html["help_requests"]
    answered = HelpRequest.objects.filter(status="answered").order_by("pk").first()
    assert answered.answer in html["help_request_page"]
    answer = LevelAgreement.objects.order_by("school__name").first()
    assert answer.school.name in html["partnership_levels"]
    group = Group.objects.filter(kind=Group.Kind.MANAGEMENT).order_by("pk").first()
    assert group.name in html["partnership_groups"] and group.name in html["partnership_group"]
    assert School.objects.order_by("name").first().name in html["local_crime_map"]
    plan = ActionPlan.objects.order_by("pk").first()
    assert plan.actions.order_by("pk").first().description in html["partnership_school"]


def test_the_new_pages_cost_the_same_queries_at_one_school_and_at_fifty():
    chosen = [page for page in pages.PAGES if page.key in NEW_PAGES]
    counts = queries.small_worlds(chosen, today=datetime.date.today())
    one, fifty = counts["1"], counts["50"]
    assert all(isinstance(one[key], int) for key in NEW_PAGES), one  # each answered 200
    assert {key: one[key] for key in NEW_PAGES} == {key: fifty[key] for key in NEW_PAGES}
    assert Incident.objects.count() == 0  # the small worlds were rolled back


def test_fast_insert_keeps_empty_text_apart_from_null_and_stamps_the_rows(world):
    """COPY on PostgreSQL (bulk_create elsewhere): "" stays "", None becomes NULL, `created`
    and `updated` are set, booleans and dates go in as themselves."""
    from benchmarks.national import rows

    school = world.schools["a1"]
    added = rows.insert(
        HelpRequest,
        [
            HelpRequest(
                school=school,
                kind=HelpRequest.Kind.TALK,
                need='A talk, "soon", to Year 9\nabout knives',
                needed_by=datetime.date(2026, 12, 1),
                asked_by=world.headteacher,
            ),
            HelpRequest(
                school=school,
                kind=HelpRequest.Kind.ADVICE,
                need="Advice",
                asked_by=world.headteacher,
                status=HelpRequest.Status.ANSWERED,
                answer="Done",
                answered_by=world.manager,
            ),
        ],
    )
    assert added == 2
    talk, advice = HelpRequest.objects.filter(school=school).order_by("pk")
    assert talk.need == 'A talk, "soon", to Year 9\nabout knives' and talk.answer == ""
    assert talk.needed_by == datetime.date(2026, 12, 1) and advice.needed_by is None
    assert talk.answered_by_id is None and advice.answered_by_id == world.manager.pk
    assert talk.created and talk.updated and advice.created
    kind = IncidentKind.objects.filter(force=school.force).first()
    incident = Incident.objects.create(
        school=school, reported_by=world.headteacher, kind=kind, status="new"
    )
    rows.insert(
        IncidentPerson,
        [IncidentPerson(incident=incident, part="suspect", kind="other", name_not_known=True)],
    )
    person = IncidentPerson.objects.get(incident=incident)
    assert person.name_not_known is True and person.first_name == "" and person.year_group == ""
