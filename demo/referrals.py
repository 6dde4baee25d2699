"""Demo referrals for `manage.py seed_demo`: made-up young people, the same on every run.

One referral of each kind a demo user meets: waiting in the inbox, accepted into a case
with a log and an action plan, declined with signposting, and a police referral.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from referrals import panel_services, services
from referrals.models import Action, Case, PanelMeeting, Referral, YoungPerson

PEOPLE = [
    # first, last, age in years, year group, thresholds, source, outcome
    ("Kai", "Demo-Harper", 14, "9", ["exploitation"], "school", "accepted"),
    ("Maya", "Demo-Lowe", 13, "8", ["exclusion", "behaviour"], "school", "received"),
    ("Tyler", "Demo-Brooks", 15, "10", ["behaviour"], "school", "declined"),
    ("Jordan", "Demo-Price", 16, "11", ["high_harm"], "proactive", "received"),
]

CONCERNS = {
    "exploitation": "Seen getting into cars with older males after school; new phone and clothes.",
    "exclusion": "Two fixed-term exclusions this term; the school's options are exhausted.",
    "behaviour": "Persistent disruption and fights; reports of the same in the town centre.",
    "high_harm": "Named in an overnight robbery report as carrying a knife.",
}


def seed(force, *, by_role, partners, demo_school, other_school, schools, today) -> str:
    """Seed the force's demo referrals once; return a short summary ("4 referrals …")."""
    dsl = by_role.get(Role.DSL)
    sergeant = by_role.get(Role.SERGEANT)
    officer = by_role.get(Role.SAFER_SCHOOLS_OFFICER)
    if not (dsl and sergeant and officer and officer.team_id):
        return ""
    added = 0
    with transaction.atomic():
        for first, last, age, year, thresholds, source, outcome in PEOPLE:
            born = datetime.date(today.year - age, 1 + (len(first) % 12), 10 + len(last) % 15)
            if YoungPerson.objects.matching(
                force=force, first_name=first, last_name=last, date_of_birth=born
            ).exists():
                continue
            referrer = dsl if source == "school" else officer
            referral = services.referral_receive(
                by=referrer,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                year_group=year,
                school=demo_school,
                thresholds=thresholds,
                source=source,
                concern=CONCERNS[thresholds[0]],
                mash_referral_made=source == "school",
                mash_reference=f"MASH-DEMO-{age}{len(last)}" if source == "school" else "",
            )
            added += 1
            if outcome == "accepted":
                case = services.referral_accept(
                    referral=referral,
                    by=sergeant,
                    risk_level="high",
                    team=officer.team,
                    officer=officer,
                )
                services.case_log_add(
                    case=case,
                    by=officer,
                    kind="home_visit",
                    occurred_on=today - datetime.timedelta(days=6),
                    summary="Home visit with mum. Kai quiet but agreed to weekly check-ins at school.",
                )
                services.case_log_add(
                    case=case,
                    by=officer,
                    kind="dsl_contact",
                    occurred_on=today - datetime.timedelta(days=2),
                    summary="Spoke with the DSL: attendance up this week.",
                )
                services.action_add(
                    case=case,
                    by=officer,
                    today=today,
                    term="short",
                    description="Refer to the youth mentoring programme",
                    owner_kind="officer",
                    owner_user=officer,
                    due_on=today + datetime.timedelta(days=30),
                )
            elif outcome == "declined":
                services.referral_decline(
                    referral=referral,
                    by=sergeant,
                    reason="Behaviour is in school only; no community risk reported.",
                    signposted_to="The school's early help offer",
                )
        seed_safeguards(force, officer=officer, sergeant=sergeant, today=today)
    total = Referral.objects.filter(force=force).count()
    panel = seed_panel(force, by_role=by_role, today=today)
    return f"{total} referrals ({added} added){panel}"


PANEL_TITLE = "Multi-agency youth panel"


def seed_panel(force, *, by_role, today) -> str:
    """Seed a panel meeting tomorrow at 10:00 with the accepted demo case on its agenda, the
    sergeant, the DSL and the youth justice worker as members, and an action the youth justice
    worker owns; once (a meeting of that title already there is left alone)."""
    sergeant = by_role.get(Role.SERGEANT)
    agency = by_role.get(Role.PARTNER_AGENCY)
    dsl = by_role.get(Role.DSL)
    case = Case.objects.filter(force=force, young_person__last_name="Demo-Harper").first()
    if (
        not (sergeant and agency and case)
        or PanelMeeting.objects.filter(force=force, title=PANEL_TITLE).exists()
    ):
        return ""
    if not Case.objects.held_by(sergeant).filter(pk=case.pk).exists():
        return ""  # only a case the sergeant holds goes on their panel's agenda
    starts_at = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(10, 0))
    )
    with transaction.atomic():
        meeting = panel_services.panel_create(
            force=force,
            by=sergeant,
            title=PANEL_TITLE,
            starts_at=starts_at,
            place="Bournemouth police station, meeting room 2",
        )
        for member in (agency, dsl):
            if member is not None:
                panel_services.panel_add_member(meeting=meeting, by=sergeant, user=member)
        panel_services.panel_add_case(meeting=meeting, by=sergeant, case=case)
        services.action_add(
            case=case,
            by=sergeant,
            today=today,
            term="short",
            description="Offer a place on the youth justice service's prevention programme",
            owner_kind=Action.OwnerKind.PARTNER,
            owner_user=agency,
            due_on=today + datetime.timedelta(days=60),
        )
    return f"; a panel meeting on {starts_at:%d %B} with a case on its agenda"


DEMO_SERVICES = [
    # name, kind, run by, who it is for
    (
        "Youth diversion scheme",
        "youth_diversion",
        "The police and the youth justice service",
        "Ages 10 to 17 after a first low-level offence, instead of a charge.",
    ),
    (
        "Youth justice service",
        "youth_justice",
        "The local authority",
        "Young people in the youth justice system, and early prevention work from 10.",
    ),
    (
        "Mentoring for young people",
        "mentoring",
        "A local charity",
        "Ages 11 to 18 at risk of exclusion or exploitation; weekly sessions for a term.",
    ),
    (
        "Young people's drug and alcohol service",
        "substance_misuse",
        "The NHS trust",
        "Under 18s using drugs or alcohol, or affected by a family member's use.",
    ),
    (
        "Child exploitation support",
        "exploitation",
        "A national charity",
        "Young people at risk of criminal or sexual exploitation, including county lines.",
    ),
]


def seed_safeguards(force, *, officer, sergeant, today) -> None:
    """The force's lawful bases and service directory, and, on the demo's accepted case, a
    signposting with its result, a safety plan, a flag and a disclosure without consent.
    Idempotent: each is added once."""
    from referrals import casework
    from referrals.models import (
        Case,
        CaseworkSettings,
        ConsentRecord,
        InterventionService,
        LawfulBasis,
        SafetyPlan,
    )

    LawfulBasis.objects.ensure_defaults(force)
    CaseworkSettings.objects.for_force(force)
    for name, kind, provider, criteria in DEMO_SERVICES:
        InterventionService.objects.get_or_create(
            force=force,
            name=name,
            defaults={
                "kind": kind,
                "provider": provider,
                "criteria": criteria,
                "area": force.name.replace(" Police", "") or "The force's area",
                "contact_email": "referrals@example.org",
            },
        )
    case = (
        Case.objects.open()
        .filter(force=force, young_person__last_name="Demo-Harper")
        .order_by("pk")
        .first()
    )
    if case is None or SafetyPlan.objects.filter(case=case).exists():
        return
    mentoring = InterventionService.objects.get(force=force, name="Mentoring for young people")
    signposting = casework.case_signpost(
        case=case,
        by=officer,
        service=mentoring,
        signposted_on=today - datetime.timedelta(days=5),
        note="Kai and mum agreed to try it.",
    )
    casework.signposting_record_outcome(
        signposting=signposting,
        by=officer,
        outcome="engaged",
        outcome_on=today - datetime.timedelta(days=1),
        outcome_note="First session attended.",
    )
    plan = casework.safety_plan_save(
        case=case, by=officer, review_on=today + datetime.timedelta(days=28)
    )
    risk = casework.safety_plan_add_factor(
        plan=plan, by=officer, kind="risk", description="Getting into cars with older males"
    )
    protective = casework.safety_plan_add_factor(
        plan=plan, by=officer, kind="protective", description="Close to his grandmother"
    )
    casework.safety_plan_add_step(
        plan=plan, by=officer, factor=risk, who="Mum", what="Collects Kai from school on Fridays"
    )
    casework.safety_plan_add_step(
        plan=plan, by=officer, factor=protective, who="Kai", what="Stays at gran's on weekends"
    )
    casework.case_flag(
        case=case,
        by=sergeant,
        message="Strategy meeting: bring the mentoring update",
        flag_on=today + datetime.timedelta(days=7),
    )
    if not ConsentRecord.objects.filter(case=case).exists():
        casework.case_log_add_with_consent(
            case=case,
            by=officer,
            kind="information_shared",
            occurred_on=today - datetime.timedelta(days=3),
            summary="Told children's services of the cars seen after school.",
            shared_what="Dates and places Kai was seen getting into cars",
            shared_with="Duty social worker, children's services",
            shared_basis="Safeguarding a child at risk of significant harm",
            consent={
                "young_person": "knows",
                "parents": "not_told",
                "lawful_basis": LawfulBasis.objects.filter(force=force).order_by("order").first(),
                "necessary_and_proportionate": True,
                "minimum_shared": "The dates and places only",
                "how_secure": "Secure email to the duty team",
                "decision": "Telling mum first could alert the men involved.",
            },
        )
