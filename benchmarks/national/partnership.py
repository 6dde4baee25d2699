"""The partnership cycle for the national data set (`seed_demo --scale national`).

A step of benchmarks.national.LATER_STEPS. For each added force's open schools with a current
assessment (a level): the school's answer on its level for about 90% of them (most agreed, some
waiting, a few asking for a discussion, with their reason); for about half of those, this school
year's action plan with its strategy, two or three objectives from the framework's aims and
three or four actions owned by the headteacher or the named officer, part of the level's
checklist ticked off with evidence, the figures the school supplied each term, and termly
reviews of the terms over since last September, signed by both sides; the force's steering
group, and a local management group for about one school in ten, with members who signed its
terms of reference, meetings every half term (the past ones minuted) and an action from each
past meeting.

Rows go in with bulk_create in batches, one transaction per force; a force with level answers
already is skipped, so a second run adds nothing. No emails, no audit rows. A review's stored
figures are the counts the seed knows without asking each school (engagements in the term);
the review page works out the live figures itself.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from agreements.models import sha256_hex
from benchmarks.national.agreements import headteacher_accounts
from needs_assessment.models import Aim, Assessment, Expectation
from partnership.groups import TERMS_OF_REFERENCE
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
    TermsVersion,
    academic_year_of,
)
from schools.models import Engagement, NamedContact, Term

BATCH = 5000
SHARE_ANSWERED = 0.9
SHARE_WITH_PLAN = 0.5
SHARE_WITH_GROUP = 0.1
STRATEGY = (
    "Bring the school down one level within two years: steady attendance, cut fixed-term "
    "exclusions through restorative work, and keep the officer's weekly presence at the gates."
)
EVIDENCE = (
    "Signed at the steering group meeting; minutes kept by the council's community safety team.",
    "Plan agreed at the local management group and filed with the governors' papers.",
    "The officer attends the behaviour-improvement team's fortnightly meeting.",
)
ACTIONS = (  # description, horizon, side (school or police), days to run
    ("Restorative conferences for pupils returning from exclusion", "short", "school", 150),
    ("Weekly officer presence at the end of the school day", "short", "police", 120),
    ("Knife-crime input to every Year 9 class", "short", "police", 90),
    ("Attendance panel for the pupils most often absent", "long", "school", 600),
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def terms_over(force, today: datetime.date) -> list[Term]:
    """The force's terms of last school year and this one that are over (creating the default
    terms of both years where the force has none)."""
    year = academic_year_of(today)
    for first_year in (year - 1, year):
        for candidate in Term.default_terms_for_year(force, first_year):
            if not Term.objects.filter(
                force=force, starts_on__lte=candidate.ends_on, ends_on__gte=candidate.starts_on
            ).exists():
                candidate.save()
    return list(
        Term.objects.filter(
            force=force, ends_on__lt=today, starts_on__gte=datetime.date(year - 1, 8, 1)
        ).order_by("starts_on")
    )


def _engagements_by_term(schools, terms) -> dict:
    """{(school id, term id): engagements in the term}, one query a term."""
    counts = {}
    ids = [s.pk for s in schools]
    for term in terms:
        rows = (
            Engagement.objects.filter(
                school_id__in=ids, occurred_on__gte=term.starts_on, occurred_on__lte=term.ends_on
            )
            .order_by()
            .values_list("school_id")
            .annotate(n=Count("pk"))
        )
        counts.update({(school_id, term.pk): n for school_id, n in rows})
    return counts


def seed_force(national, *, today: datetime.date) -> int:
    """Seed one force's level answers, plans, reviews and groups; return the answers added."""
    force = national.force
    rng = random.Random(f"partnership-{force.slug}")  # noqa: S311 - demo data, no secret
    with transaction.atomic():
        if LevelAgreement.objects.filter(school__force=force).exists():
            return 0
        schools = [s for s in national.schools.values() if s.status != "closed"]
        heads = headteacher_accounts(force, schools)
        contacts = {
            c.school_id: c
            for c in NamedContact.objects.current(on=today).filter(
                school_id__in=[s.pk for s in schools]
            )
        }
        by_pk = {s.pk: s for s in schools if s.organisation_id in heads and s.pk in contacts}
        # The school with the most intensive level first: it always has the whole cycle (an
        # agreed level, a plan, reviews, a management group), so that even a force of one
        # school shows every page of the cycle with rows.
        assessments = [
            a
            for a in Assessment.objects.filter(school__force=force, is_current=True).order_by(
                "-computed_level__rank", "pk"
            )
            if a.school_id in by_pk
        ]
        if not assessments:
            return 0
        aims, expected = {}, {}
        frameworks = {a.framework_id for a in assessments}
        for aim in Aim.objects.filter(framework__in=frameworks):
            aims.setdefault(aim.framework_id, []).append(aim)
        through = Expectation.levels.through.objects.filter(expectation__framework__in=frameworks)
        for level_id, expectation_id in through.order_by("expectation__order").values_list(
            "level_id", "expectation_id"
        ):
            expected.setdefault(level_id, []).append(expectation_id)
        year = academic_year_of(today)
        terms = terms_over(force, today)
        delivered = _engagements_by_term(by_pk.values(), terms)
        now = timezone.now()
        answers, plans, planned = [], [], []
        for index, assessment in enumerate(assessments):
            if rng.random() >= SHARE_ANSWERED and index:
                continue
            school = by_pk[assessment.school_id]
            head = heads[school.organisation_id]
            roll = rng.random() if index else 0
            status = (
                LevelAgreement.Status.AGREED
                if roll < 0.75
                else LevelAgreement.Status.AWAITING
                if roll < 0.93
                else LevelAgreement.Status.DISCUSSION
            )
            waiting = status == LevelAgreement.Status.AWAITING
            answers.append(
                LevelAgreement(
                    assessment=assessment,
                    school=school,
                    status=status,
                    reason="Our exclusions fell by a third this year; we would like to talk."
                    if status == LevelAgreement.Status.DISCUSSION
                    else "",
                    answered_by=None if waiting else head,
                    answered_at=None if waiting else now - datetime.timedelta(rng.randint(5, 90)),
                )
            )
            if status == LevelAgreement.Status.AGREED and (
                rng.random() < SHARE_WITH_PLAN / 0.75 or not index
            ):
                plans.append(ActionPlan(school=school, year=year, strategy=STRATEGY))
                planned.append(assessment)
        LevelAgreement.objects.bulk_create(answers, batch_size=BATCH)
        ActionPlan.objects.bulk_create(plans, batch_size=BATCH)
        objectives, actions, reviews, checks, figures = [], [], [], [], []
        start = datetime.date(year, 9, 15)
        current_term = Term.current_for(force, on=today)
        for plan, assessment in zip(plans, planned, strict=True):
            school = plan.school
            head = heads[school.organisation_id]
            officer_id = contacts[school.pk].officer_id
            # Part of the level's checklist ticked off, with its evidence.
            level_id = assessment.proposed_level_id or assessment.computed_level_id
            for number, expectation_id in enumerate(
                expected.get(level_id, [])[: rng.randint(1, 4)]
            ):
                checks.append(
                    ExpectationCheck(
                        school=school,
                        expectation_id=expectation_id,
                        ticked_by_id=officer_id,
                        ticked_on=today - datetime.timedelta(days=rng.randint(10, 120)),
                        evidence=EVIDENCE[number % len(EVIDENCE)],
                    )
                )
            # The figures the school supplied each term (the current one's too, when it is known).
            for term in [*terms, *([current_term] if current_term else [])]:
                total = Decimal(rng.randint(40, 90)) / 10
                figures.append(
                    SchoolFigures(
                        school=school,
                        term=term,
                        exclusions=rng.randint(0, 12),
                        unauthorised_absence_percent=min(Decimal(rng.randint(5, 30)) / 10, total),
                        total_absence_percent=total,
                        incidents=rng.randint(0, 9),
                        bullying_reports=rng.randint(0, 15),
                        submitted_by=head,
                    )
                )
            chosen = rng.sample(
                aims.get(assessment.framework_id, []),
                min(len(aims.get(assessment.framework_id, [])), rng.randint(2, 3)),
            )
            own = []
            for aim in chosen:
                objective = Objective(
                    plan=plan,
                    aim=aim,
                    baseline=Decimal(rng.randint(50, 400)) / 10,
                    target_percent=Decimal(rng.choice((10, 15, 20, 25))),
                    target_on=datetime.date(year + 1, 7, 20),
                )
                own.append(objective)
            objectives += own
            for number, (description, horizon, side, span) in enumerate(
                rng.sample(ACTIONS, rng.randint(3, 4))
            ):
                due = start + datetime.timedelta(days=span)
                status = (
                    Action.Status.DONE
                    if due < today
                    else rng.choice((Action.Status.IN_PROGRESS, Action.Status.NOT_STARTED))
                )
                started = status != Action.Status.NOT_STARTED
                actions.append(
                    Action(
                        plan=plan,
                        objective=own[number % len(own)] if own else None,
                        description=description,
                        horizon=horizon,
                        owner_side=Action.OwnerSide.SCHOOL
                        if side == "school"
                        else Action.OwnerSide.POLICE,
                        owner_id=head.pk if side == "school" else officer_id,
                        starts_on=start,
                        due_on=due,
                        status=status,
                        progress_note="Under way; reviewed at the management group."
                        if status == Action.Status.IN_PROGRESS
                        else "",
                        reviewed_on=min(today, start + datetime.timedelta(days=rng.randint(20, 60)))
                        if started and start < today
                        else None,
                        created_by_id=officer_id,
                    )
                )
            for term in terms:
                signed = _at(term.ends_on, 15)
                reviews.append(
                    TermlyReview(
                        school=school,
                        term=term,
                        notes="Reviewed at the local management group.",
                        figures={
                            "term": str(term),
                            "delivered": delivered.get((school.pk, term.pk), 0),
                        },
                        headteacher_signed_by=head,
                        headteacher_signed_at=signed,
                        officer_signed_by_id=officer_id,
                        officer_signed_at=signed,
                    )
                )
        Objective.objects.bulk_create(objectives, batch_size=BATCH)
        for action in actions:
            action.objective_id = action.objective.pk if action.objective else None
        Action.objects.bulk_create(actions, batch_size=BATCH)
        TermlyReview.objects.bulk_create(reviews, batch_size=BATCH)
        ExpectationCheck.objects.bulk_create(checks, batch_size=BATCH)
        SchoolFigures.objects.bulk_create(figures, batch_size=BATCH)
        _seed_groups(
            national,
            rng,
            schools=by_pk,
            heads=heads,
            contacts=contacts,
            today=today,
            first=assessments[0].school_id,
        )
    return len(answers)


def _seed_groups(national, rng, *, schools, heads, contacts, today, first):
    """The force's steering group and a management group for about one school in ten, each
    with its members (signed), its meetings this school year and an action from each past one."""
    force = national.force
    groups, members = [], []
    steering = Group(
        force=force,
        kind=Group.Kind.STEERING,
        name=f"{force.name} Safer Schools steering group",
        terms_of_reference=TERMS_OF_REFERENCE[Group.Kind.STEERING],
    )
    groups.append((steering, 91))
    signed_at = timezone.now() - datetime.timedelta(days=200)
    people = [(national.manager, "Chair")] + [(s, "Sergeant") for s in national.sergeants[:3]]
    for user, title in people:
        members.append((steering, user.pk, user.full_name, title, force.name))
    management_terms = TERMS_OF_REFERENCE[Group.Kind.MANAGEMENT]
    for school in schools.values():
        if rng.random() >= SHARE_WITH_GROUP and school.pk != first:
            continue
        group = Group(
            force=force,
            kind=Group.Kind.MANAGEMENT,
            school=school,
            name=f"{school.name} management group",
            terms_of_reference=management_terms,
        )
        groups.append((group, 45))
        head = heads[school.organisation_id]
        contact = contacts[school.pk]
        members.append((group, head.pk, head.full_name, "Headteacher", school.name))
        members.append((group, contact.officer_id, "", "The school's officer", force.name))
    Group.objects.bulk_create([group for group, _every in groups], batch_size=BATCH)
    # Each group's wording frozen as version 1, signed by its members (groups.terms_freeze).
    versions = TermsVersion.objects.bulk_create(
        [
            TermsVersion(
                group=group,
                number=1,
                text=group.terms_of_reference,
                text_sha256=sha256_hex(group.terms_of_reference),
                created=signed_at,
            )
            for group, _every in groups
        ],
        batch_size=BATCH,
    )
    version_of = {version.group_id: version for version in versions}
    GroupMember.objects.bulk_create(
        [
            GroupMember(group=group, user_id=user_id, role_in_group=title)
            for group, user_id, _name, title, _organisation in members
        ],
        batch_size=BATCH,
    )
    TermsSignature.objects.bulk_create(
        [
            TermsSignature(
                group=group,
                version=version_of[group.pk],
                user_id=user_id,
                role_in_group=title,
                organisation=organisation,
                typed_name=name or "The officer",
                signed_at=signed_at,
                content_sha256=version_of[group.pk].text_sha256,
            )
            for group, user_id, name, title, organisation in members
        ],
        batch_size=BATCH,
    )
    meetings, owners = [], []
    year_start = datetime.date(academic_year_of(today), 9, 1)
    for group, every in groups:
        owner = national.manager.pk if group.school_id is None else heads[
            schools[group.school_id].organisation_id
        ].pk  # fmt: skip
        day = year_start + datetime.timedelta(days=20)
        while day < today + datetime.timedelta(days=every):
            past = day < today
            meetings.append(
                Meeting(
                    group=group,
                    starts_at=_at(day, 14),
                    location="Police station, meeting room 2"
                    if group.school_id is None
                    else "The school's meeting room",
                    agenda="1. Plans due for review\n2. Figures of the term\n3. Any other business",
                    minutes="Progress against the plans reviewed." if past else "",
                    decisions="Levels confirmed for the schools reviewed." if past else "",
                    created_by=national.manager,
                )
            )
            owners.append((owner, day, past))
            day += datetime.timedelta(days=every)
    Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    MeetingAction.objects.bulk_create(
        [
            MeetingAction(
                meeting=meeting,
                description="Send this half term's attendance figures",
                owner_id=owner,
                due_on=day + datetime.timedelta(days=14),
                done=day + datetime.timedelta(days=30) < today,
            )
            for meeting, (owner, day, past) in zip(meetings, owners, strict=True)
            if past
        ],
        batch_size=BATCH,
    )


def seed(forces, *, today: datetime.date) -> str:
    """The LATER_STEPS step: the partnership cycle of every added force."""
    added = sum(seed_force(national, today=today) for national in forces)
    return (
        f"partnership: {added} level answers added ({LevelAgreement.objects.count()} in all, "
        f"{ActionPlan.objects.count()} action plans, {Group.objects.count()} groups)"
    )
