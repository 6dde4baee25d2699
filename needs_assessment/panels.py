"""The school page's tier panel and engagement promise: tier and offer for all who see the school,
history for police. One query for the school's assessments with their offers, shared by both."""

from django.db.models import FilteredRelation, Q

from .models import Assessment, ServiceOffer

_CACHE = "_needs_assessment_cache"


def _assessments_of(school):
    """Return (current, open, history, offer) of a school, read once per school object: the
    assessments with the service offer of each one's level for the school's phase, in one
    query (an offer is unique per level and phase: one row per assessment)."""
    cached = getattr(school, _CACHE, None)
    if cached is None:
        phase = ServiceOffer.phase_group_of(school)
        offers = {
            f"offer_of_{level}": FilteredRelation(
                f"{level}_level__service_offers",
                condition=Q(**{f"{level}_level__service_offers__phase_group": phase}),
            )
            for level in ("proposed", "computed")
        }
        assessments = list(
            Assessment.objects.filter(school=school)
            .annotate(**offers)
            .select_related(
                "computed_level",
                "proposed_level",
                "decided_by",
                "school",
                *(f"{name}__framework__force" for name in offers),
            )
            .order_by("-approved_on", "-pk")[:20]
        )
        current = next((a for a in assessments if a.is_current), None)
        open_one = next((a for a in assessments if a.is_open), None)
        history = [a for a in assessments if a.status == Assessment.Status.APPROVED][:10]
        offer = _offer_for(current)
        cached = (current, open_one, history, offer)
        setattr(school, _CACHE, cached)
    return cached


def _offer_for(assessment):
    """The offer of the assessment's level (the proposed one, else the computed one), read with
    it (_assessments_of), its level the assessment's own."""
    if assessment is None or assessment.level is None:
        return None
    which = "proposed" if assessment.proposed_level_id else "computed"
    offer = getattr(assessment, f"offer_of_{which}", None)
    if offer is not None:
        offer.level = assessment.level
    return offer


def current_assessment_and_offer(school):
    """Return (current assessment, its service offer) of a school, read with its other
    assessments once per school object (the engagement promise reads the same)."""
    current, _, _, offer = _assessments_of(school)
    return current, offer


def current_offer(school):
    """Return the service offer of the school's current tier, or None when not assessed."""
    return _assessments_of(school)[3]


def promised_engagements(school, term):
    """Return how many engagements the school's tier promises in the term, or None."""
    offer = current_offer(school)
    return offer.promised_in(term) if offer and term else None


def school_panel(request, school):
    current, open_one, history, offer = _assessments_of(school)
    context = {"school": school, "assessment": current, "offer": offer}
    if request.user.has_perm("needs_assessment.view_assessments", school):
        context.update(police=True, history=history, open_assessment=open_one)
    return context


def tier_choices(user):
    """Return the tiers of the force's chosen framework, and 'not assessed', for the school list."""
    from .models import Level

    levels = Level.objects.filter(framework__force_id=user.force_id, framework__is_chosen=True)
    return [*levels.order_by("-rank").values_list("key", "name"), ("none", "Not assessed")]


def filter_by_tier(schools, value):
    """Keep the schools whose current tier is `value` (a level key), or that have none."""
    from django.db.models import Q

    if value == "none":
        return schools.exclude(assessments__is_current=True)
    return schools.filter(
        Q(assessments__proposed_level__key=value)
        | Q(assessments__proposed_level__isnull=True, assessments__computed_level__key=value),
        assessments__is_current=True,
    )
