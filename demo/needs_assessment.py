"""Demo assessments for `manage.py seed_demo`: every open school approved in a tier, the same on every run.

The tiers come out in the shares of one force's first assessment in DOMAIN.md (74 Universal,
12 Enhanced and 16 Complex of 102 schools). Each school is given a tier to aim for, then ratings
are drawn until the real combining rule (tiering.compute_level) places the school in it, so the
stored tier is always the one the ratings give. Schools whose named contact is a Safer Schools
officer are the first placed in the most intensive tier, as the force would have done.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef

from accounts.models import Force, Role, User
from needs_assessment.models import Assessment, Descriptor, Framework, Level, Rating, ServiceOffer
from needs_assessment.services import _add_year
from needs_assessment.tiering import LevelRule, compute_level
from schools.models import NamedContact, School

# DOMAIN.md: 74 Universal, 12 Enhanced, 16 Complex of 102 schools, least intensive first.
THREE_TIER_SHARES = (74, 12, 16)
# Share of schools whose review is overdue: approved a little more than a year ago.
OVERDUE_SHARE = 0.04
EVIDENCE_SOURCES = (
    "Neighbourhood profile",
    "Police incident data for the last six months",
    "Meeting with the designated safeguarding lead",
    "The school's attendance and exclusion figures",
    "Local authority data",
    "Multi-agency meeting",
)


@dataclass(frozen=True)
class PlannedAssessment:
    school_id: int
    level: Level
    ratings: dict[str, Level]  # factor key -> level
    sources: dict[str, str]  # factor key -> where the evidence came from
    approved_on: datetime.date


def _rng(urn: int, purpose: str) -> random.Random:
    return random.Random(f"needs-assessment-{purpose}-{urn}")  # noqa: S311 - demo data, no secret


def _shares(levels: list[Level]) -> list[float]:
    """Return the share of schools for each level, least intensive first."""
    if len(levels) == len(THREE_TIER_SHARES):
        weights = THREE_TIER_SHARES
    else:  # most schools get the universal service; the rest spread over the other levels
        rest = (100 - THREE_TIER_SHARES[0]) / max(len(levels) - 1, 1)
        weights = (THREE_TIER_SHARES[0], *([rest] * (len(levels) - 1)))
    total = sum(weights)
    return [weight / total for weight in weights]


def _targets(schools: list[School], levels: list[Level], sso_schools: set[int]) -> dict[int, Level]:
    """Give each school the tier to aim for, so the shares over all schools match _shares."""

    def intensity(school):
        # Lower sorts first, into the most intensive tiers.
        if school.pk in sso_schools:
            return -1.0
        primary = ServiceOffer.phase_group_of(school) == ServiceOffer.PhaseGroup.PRIMARY
        return _rng(school.urn, "tier").random() + (0.3 if primary else 0.0)

    ordered = sorted(schools, key=lambda s: (intensity(s), s.urn))
    targets, start = {}, 0
    shares = _shares(levels)
    most_intensive_first = list(zip(reversed(levels), reversed(shares), strict=True))
    for index, (level, share) in enumerate(most_intensive_first):
        last = index == len(most_intensive_first) - 1
        count = len(ordered) - start if last else round(share * len(ordered))
        for school in ordered[start : start + count]:
            targets[school.pk] = level
        start += count
    return targets


def _ratings_for(
    target: Level, levels: list[Level], factors: list[str], rules: list[LevelRule], rng
) -> dict[str, Level]:
    """Draw factor ratings that the combining rule places in `target` (or as near as it allows)."""
    by_rank = {level.rank: level for level in levels}
    rank_of = {level.key: level.rank for level in levels}
    lowest = min(by_rank)
    # A factor may be rated one step above the target: the rule decides whether that lifts it.
    allowed = [rank for rank in sorted(by_rank) if rank <= target.rank + 1]
    weights = [6 if rank == lowest else (3 if rank == target.rank else 1) for rank in allowed]

    def tier(drawn):
        return rank_of[compute_level(rules, {f: by_rank[r].key for f, r in drawn.items()})]

    for _attempt in range(60):
        drawn = {factor: rng.choices(allowed, weights)[0] for factor in factors}
        # Too low: raise factors to the target one at a time until the rule reaches it.
        while (computed := tier(drawn)) < target.rank:
            below = [factor for factor in factors if drawn[factor] < target.rank]
            if not below:
                break
            drawn[rng.choice(below)] = target.rank
        if computed == target.rank:
            return {factor: by_rank[rank] for factor, rank in drawn.items()}
    # These draws never met the framework's rule: rate every factor at the target.
    return dict.fromkeys(factors, target)


def _approved_on(urn: int, today: datetime.date) -> datetime.date:
    """Spread approvals over the last year; a few a little more than a year ago (overdue)."""
    rng = _rng(urn, "date")
    overdue = rng.random() < OVERDUE_SHARE
    days = rng.randint(367, 420) if overdue else rng.randint(1, 364)
    return today - datetime.timedelta(days=days)


def plan_assessments(
    framework: Framework, schools: list[School], *, sso_schools: set[int], today: datetime.date
) -> list[PlannedAssessment]:
    """Return the assessment each school would get: tier, ratings and date (no database writes)."""
    levels = sorted(framework.levels.all(), key=lambda level: level.rank)
    factors = [factor.key for factor in framework.factors.all()]
    rules = [
        LevelRule(
            level.key,
            level.rank,
            tuple(level.key_factors),
            level.min_factors,
            level.lifted_by_higher,
        )
        for level in levels
    ]
    by_key = {level.key: level for level in levels}
    targets = _targets(schools, levels, sso_schools)
    plans = []
    for school in schools:
        rng = _rng(school.urn, "ratings")
        ratings = _ratings_for(targets[school.pk], levels, factors, rules, rng)
        # The tier is what the real rule makes of the ratings, whatever was aimed for.
        level = by_key[compute_level(rules, {f: lv.key for f, lv in ratings.items()})]
        plans.append(
            PlannedAssessment(
                school_id=school.pk,
                level=level,
                ratings=ratings,
                sources={f: rng.choice(EVIDENCE_SOURCES) for f in factors},
                approved_on=_approved_on(school.urn, today),
            )
        )
    return plans


@transaction.atomic
def seed_assessments(force: Force, *, assessor: User, approver: User, today: datetime.date) -> int:
    """Give each open school of the force with no assessment an approved, current one; return how many.

    Schools that have any assessment are left alone, so a second run adds nothing.
    """
    if assessor.pk == approver.pk:
        raise ValueError("Someone other than the assessor must approve an assessment.")
    framework = Framework.objects.chosen_for(force)
    if framework is None:
        return 0
    schools = list(
        School.objects.filter(force=force)
        .open()
        .exclude(Exists(Assessment.objects.filter(school=OuterRef("pk"))))
        .only("pk", "urn", "phase")
        .order_by("urn")
    )
    if not schools:
        return 0
    sso_schools = set(
        NamedContact.objects.current(on=today)
        .filter(school__force=force, officer__role=Role.SAFER_SCHOOLS_OFFICER)
        .values_list("school_id", flat=True)
    )
    plans = plan_assessments(framework, schools, sso_schools=sso_schools, today=today)
    factors = list(framework.factors.all())
    descriptors = {
        (d.factor_id, d.level_id): d.text
        for d in Descriptor.objects.filter(factor__framework=framework)
    }
    tz = datetime.UTC
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(
                school_id=plan.school_id,
                framework=framework,
                status=Assessment.Status.APPROVED,
                computed_level=plan.level,
                assessed_by=assessor,
                submitted_at=datetime.datetime.combine(
                    plan.approved_on - datetime.timedelta(days=3), datetime.time(15, 0), tz
                ),
                decided_by=approver,
                decided_at=datetime.datetime.combine(plan.approved_on, datetime.time(10, 0), tz),
                approved_on=plan.approved_on,
                is_current=True,
                review_due_on=_add_year(plan.approved_on),
            )
            for plan in plans
        ],
        batch_size=1000,
    )
    Rating.objects.bulk_create(
        [
            Rating(
                assessment=assessment,
                factor=factor,
                level=plan.ratings[factor.key],
                evidence=_evidence(
                    plan.sources[factor.key],
                    descriptors.get((factor.pk, plan.ratings[factor.key].pk)),
                    plan.ratings[factor.key],
                ),
            )
            for assessment, plan in zip(assessments, plans, strict=True)
            for factor in factors
        ],
        batch_size=2000,
    )
    return len(assessments)


def _evidence(source: str, descriptor: str | None, level: Level) -> str:
    return f"{source}: {descriptor}" if descriptor else f"{source}: consistent with {level.name}."
