"""Demo partnership cycles for `manage.py seed_demo`: a year of the cycle for several schools.

The demo school and the schools with the most intensive levels each get the school's answer on
its level (agreed, in discussion, or waiting for the demo headteacher), part of the level's
checklist ticked off, this year's action plan with objectives measured by the assessment's
figures and actions owned by the school, the police and a partner, and signed termly reviews
for the terms already over. Made once: a second run adds nothing.
"""

import datetime
import random
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from needs_assessment.models import Aim, Assessment, Indicator, IndicatorValue
from partnership.groups import TERMS_OF_REFERENCE, draft_agenda, terms_freeze
from partnership.models import (
    Action,
    ActionPlan,
    AgreementReview,
    ExpectationCheck,
    Group,
    GroupMember,
    LevelAgreement,
    Meeting,
    MeetingAction,
    NmtMeeting,
    Objective,
    SchoolFigures,
    Survey,
    SurveyAnswer,
    TermlyReview,
    TermsSignature,
    academic_year_of,
)
from partnership.queries import review_figures
from partnership.services import owner_side_of
from schools.models import NamedContact, Term

HOW_MANY = 8
ANSWERS = ("agreed", "agreed", "discussion", "agreed", "awaiting")
EVIDENCE = (
    "Signed at the steering group meeting; minutes kept by the council's community safety team.",
    "Protocol signed by the headteacher, the police and the local authority.",
    "Plan agreed at the local management group and filed with the governors' papers.",
    "The officer attends the behaviour-improvement team's fortnightly meeting.",
)
STRATEGY = (
    "Bring the school down one level within two years: steady the attendance of the pupils "
    "most often absent, cut fixed-term exclusions through restorative work, and keep the "
    "officer's weekly presence at the gates and in Year 9 assemblies until the figures hold."
)
ACTIONS = (
    (
        "Restorative conferences for pupils returning from exclusion",
        "short",
        "school",
        "in_progress",
    ),
    ("Weekly officer presence at the end of the school day", "short", "police", "done"),
    ("Knife-crime input to every Year 9 class", "short", "police", "not_started"),
    ("Youth service diversion programme for the targeted group", "long", "partner", "in_progress"),
)


def _rng(urn, purpose):
    return random.Random(f"partnership-{purpose}-{urn}")  # noqa: S311 - demo data, no secret


def _terms_of_the_year(force, today):
    """The terms of last school year and this one that are over, creating last year's if none."""
    year = academic_year_of(today)
    Term.current_for(force, on=today)
    for candidate in Term.default_terms_for_year(force, year - 1):
        if not Term.objects.filter(
            force=force, starts_on__lte=candidate.ends_on, ends_on__gte=candidate.starts_on
        ).exists():
            candidate.save()
    return list(
        Term.objects.filter(
            force=force, ends_on__lt=today, starts_on__gte=datetime.date(year - 1, 8, 1)
        ).order_by("starts_on")
    )


@transaction.atomic
def seed(force, *, by_role, partners, demo_school, other_school, schools, today) -> str:
    """Seed the partnership cycle of a few schools once; return a short summary."""
    if LevelAgreement.objects.filter(school__force=force).exists():
        return ""
    today = today or timezone.localdate()
    current = list(
        Assessment.objects.filter(school__force=force, is_current=True)
        .select_related("school", "computed_level", "proposed_level", "framework")
        .order_by("-computed_level__rank", "school__urn")
    )
    chosen = [a for a in current if a.school_id == demo_school.pk]
    chosen += [a for a in current if a.school_id != demo_school.pk][: HOW_MANY - len(chosen)]
    if not chosen:
        return ""
    headteacher = by_role.get(Role.HEADTEACHER)
    partner = by_role.get(Role.PARTNER)
    officers = {
        c.school_id: c.officer
        for c in NamedContact.objects.current(on=today)
        .filter(school__in=[a.school_id for a in chosen])
        .select_related("officer")
    }
    terms = _terms_of_the_year(force, today)
    year = academic_year_of(today)
    for index, assessment in enumerate(chosen):
        school = assessment.school
        rng = _rng(school.urn, "cycle")
        officer = officers.get(school.pk) or by_role[Role.SAFER_SCHOOLS_OFFICER]
        is_demo = school.pk == demo_school.pk
        head = headteacher if is_demo else None
        status = "awaiting" if is_demo else ANSWERS[index % len(ANSWERS)]
        answered_at = timezone.now() - datetime.timedelta(days=rng.randint(5, 40))
        LevelAgreement.objects.create(
            assessment=assessment,
            school=school,
            status=status,
            reason="Our exclusions fell by a third this year; we would like to talk it through."
            if status == "discussion"
            else "",
            # Schools without a demo account answered through their head, who has none here.
            answered_by=None if status == "awaiting" else head,
            answered_at=None if status == "awaiting" else answered_at,
        )
        # The figures the objectives are measured by.
        values = {}
        for indicator in Indicator.objects.filter(framework=assessment.framework):
            if indicator.key in {
                "offending_percent",
                "persistent_absence_percent",
                "feel_safe_percent",
            }:
                value = Decimal(rng.randint(20, 90)) / (10 if "offending" in indicator.key else 1)
                row, _ = IndicatorValue.objects.get_or_create(
                    assessment=assessment, indicator=indicator, defaults={"value": value}
                )
                values[indicator.key] = row.value
        level = assessment.level
        for number, expectation in enumerate(level.expectations.all()[: 2 + index % 3]):
            ExpectationCheck.objects.create(
                school=school,
                expectation=expectation,
                ticked_by=officer,
                ticked_on=today - datetime.timedelta(days=rng.randint(10, 120)),
                evidence=EVIDENCE[number % len(EVIDENCE)],
            )
        plan = ActionPlan.objects.create(school=school, year=year, strategy=STRATEGY)
        objectives = []
        for aim in Aim.objects.filter(framework=assessment.framework, indicator_key__in=values):
            latest = values[aim.indicator_key]
            # The baseline was a little worse than today: the plan is part of the way there.
            step = latest * Decimal("0.1")
            baseline = latest + step if aim.lower_is_better else max(latest - step, Decimal(0))
            objectives.append(
                Objective.objects.create(
                    plan=plan,
                    aim=aim,
                    baseline=baseline.quantize(Decimal("0.01")),
                    target_percent=Decimal(20 + 5 * (index % 3)),
                    target_on=datetime.date(year + 1, 7, 20),
                )
            )
        owners = {"school": head or officer, "police": officer, "partner": partner or officer}
        start = datetime.date(year, 9, 15)
        for number, (description, horizon, side, action_status) in enumerate(ACTIONS):
            Action.objects.create(
                plan=plan,
                objective=objectives[number % len(objectives)] if objectives else None,
                description=description,
                horizon=horizon,
                owner=owners[side],
                owner_side=owner_side_of(owners[side]),
                starts_on=start,
                due_on=start + datetime.timedelta(days=150 if horizon == "short" else 600),
                status=action_status,
                progress_note="Under way; reviewed at the last management group."
                if action_status == "in_progress"
                else "",
                reviewed_on=today - datetime.timedelta(days=rng.randint(3, 40))
                if action_status != "not_started"
                else None,
                created_by=officer,
            )
        for term in [*terms, Term.current_for(force, on=today)]:
            SchoolFigures.objects.get_or_create(
                school=school,
                term=term,
                defaults={
                    "exclusions": rng.randint(0, 12),
                    "unauthorised_absence_percent": Decimal(rng.randint(5, 30)) / 10,
                    "total_absence_percent": Decimal(rng.randint(40, 90)) / 10,
                    "incidents": rng.randint(0, 9),
                    "bullying_reports": rng.randint(0, 15),
                    "submitted_by": head or officer,
                },
            )
            survey = Survey.objects.create(
                school=school, term=term, token=secrets.token_urlsafe(16), opened_by=head or officer
            )
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(
                    survey=survey,
                    respondent=rng.choice(["pupil", "pupil", "pupil", "staff", "parent"]),
                    feels_safe=rng.choice(["yes", "yes", "mostly", "no"]),
                    bullied=rng.random() < 0.15,
                    device=f"demo-{survey.pk}-{number}",
                )
                for number in range(rng.randint(15, 40))
            )
        for term in terms:
            signed_at = timezone.make_aware(
                datetime.datetime.combine(term.ends_on, datetime.time(15, 0))
            )
            TermlyReview.objects.create(
                school=school,
                term=term,
                notes="Reviewed at the local management group.",
                figures=review_figures(school, term),
                # Only the demo school's head has an account: the others wait for theirs.
                headteacher_signed_by=head,
                headteacher_signed_at=signed_at if head else None,
                officer_signed_by=officer,
                officer_signed_at=signed_at,
            )
    _seed_groups(force, by_role=by_role, demo_school=demo_school, today=today)
    _seed_agreement_reviews(force, by_role=by_role, terms=terms, today=today)
    return f"Partnership cycles: {len(chosen)} schools with agreed levels, plans and reviews"


def _seed_groups(force, *, by_role, demo_school, today):
    """The force's steering group, met every quarter of the year, and the demo school's
    management group with its members' signatures, meetings and actions."""
    manager = by_role[Role.PREVENTION_MANAGER]
    steering = Group.objects.create(
        force=force,
        kind=Group.Kind.STEERING,
        name=f"{force.name} Safer Schools steering group",
        terms_of_reference=TERMS_OF_REFERENCE[Group.Kind.STEERING],
    )
    management, _ = Group.objects.get_or_create(
        kind=Group.Kind.MANAGEMENT,
        school=demo_school,
        defaults={
            "force": force,
            "name": f"{demo_school.name} management group",
            "terms_of_reference": TERMS_OF_REFERENCE[Group.Kind.MANAGEMENT],
        },
    )
    signed = timezone.now() - datetime.timedelta(days=200)
    members = {
        steering: [
            (Role.PREVENTION_MANAGER, "Chair"),
            (Role.PARTNER, "Youth service"),
            (Role.HEADTEACHER, "Schools' representative"),
            (Role.SERGEANT, "Safer Schools team"),
        ],
        management: [
            (Role.SCHOOL_LINK, "School link"),
            (Role.HEADTEACHER, "Senior leadership representative"),
            (Role.NEIGHBOURHOOD_OFFICER, "The school's officer"),
            (Role.SERGEANT, "The officer's line manager"),
        ],
    }
    for group, people in members.items():
        version = group.current_terms() or terms_freeze(group, by=manager)
        for number, (role, title) in enumerate(people):
            user = by_role.get(role)
            if user is None:
                continue
            GroupMember.objects.get_or_create(
                group=group, user=user, defaults={"role_in_group": title}
            )
            # The last member has still to sign: the page shows who has.
            if number < len(people) - 1 and not version.signatures.filter(user=user).exists():
                TermsSignature.objects.create(
                    group=group,
                    version=version,
                    user=user,
                    role_in_group=title,
                    organisation=user.organisation.name,
                    typed_name=user.full_name,
                    signed_at=signed,
                    user_agent="Demo data",
                    content_sha256=version.text_sha256,
                )
    year_start = datetime.date(academic_year_of(today), 9, 1)
    for group, every in ((steering, 91), (management, 45)):
        day = year_start + datetime.timedelta(days=20)
        while day < today + datetime.timedelta(days=every):
            starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0)))
            meeting = Meeting.objects.create(
                group=group,
                starts_at=starts_at,
                location="Police station, meeting room 2",
                agenda=draft_agenda(group, today=day),
                created_by=manager,
                minutes="Progress against the plan reviewed; successes noted."
                if day < today
                else "",
                decisions="Levels confirmed for the schools reviewed." if day < today else "",
            )
            if day < today and group is management and by_role.get(Role.SCHOOL_LINK):
                MeetingAction.objects.create(
                    meeting=meeting,
                    description="Send this half term's attendance figures",
                    owner=by_role[Role.SCHOOL_LINK],
                    due_on=day + datetime.timedelta(days=14),
                    done=day + datetime.timedelta(days=30) < today,
                )
            day += datetime.timedelta(days=every)


def _seed_agreement_reviews(force, *, by_role, terms, today):
    """Agreements in force get a joint review decided last year (renewed unchanged) and a
    meeting with the neighbourhood management team each term that is over; one agreement has
    this year's review open, answered by the police and waiting for the school."""
    from agreements.models import Agreement

    head = by_role.get(Role.HEADTEACHER)
    active = list(
        Agreement.objects.filter(force=force, state=Agreement.State.ACTIVE)
        .select_related("school", "named_officer")
        .order_by("pk")[:HOW_MANY]
    )
    for index, agreement in enumerate(active):
        officer = agreement.named_officer
        decided = timezone.now() - datetime.timedelta(days=300)
        AgreementReview.objects.create(
            agreement=agreement,
            started_by=officer,
            police_current=True,
            police_effective=True,
            police_improve="Agree the officer's patrol times with the school each term.",
            police_answered_by=officer,
            police_answered_at=decided - datetime.timedelta(days=10),
            school_current=True,
            school_effective=index % 3 != 2,
            school_improve="More inputs on online safety for Years 7 and 8.",
            school_answered_by=head or officer,
            school_answered_at=decided - datetime.timedelta(days=5),
            outcome=AgreementReview.Outcome.RENEW_UNCHANGED,
            decided_by=officer,
            decided_at=decided,
        )
        if index == 0:
            AgreementReview.objects.create(
                agreement=agreement,
                started_by=officer,
                police_current=True,
                police_effective=True,
                police_improve="Nothing more: the partnership works well.",
                police_answered_by=officer,
                police_answered_at=timezone.now() - datetime.timedelta(days=3),
            )
        NmtMeeting.objects.bulk_create(
            NmtMeeting(
                agreement=agreement,
                held_on=term.ends_on - datetime.timedelta(days=14),
                attendees="The school's officer; the neighbourhood inspector; the school's "
                "senior link",
                notes="Anti-social behaviour at home time and the patrol plan for next term.",
                recorded_by=officer,
            )
            for term in terms
        )
