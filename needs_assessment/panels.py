"""The school page's tier panel: tier and service offer for all who see the school, history for police."""

from schools.models import Engagement, Term

from .models import Assessment, ServiceOffer


def current_offer(assessment):
    """Return the service offer of the assessment's tier for the school's phase, or None."""
    if assessment is None or assessment.level is None:
        return None
    phase_group = ServiceOffer.phase_group_of(assessment.school)
    return (
        ServiceOffer.objects.filter(level=assessment.level, phase_group=phase_group)
        .select_related("framework__force")
        .first()
    )


def school_panel(request, school):
    user = request.user
    current = (
        Assessment.objects.filter(school=school, is_current=True)
        .select_related("computed_level", "proposed_level", "decided_by", "framework", "school")
        .first()
    )
    context = {"school": school, "assessment": current, "offer": current_offer(current)}
    if user.has_perm("needs_assessment.view_assessments", school):
        term = Term.current_for(school.force)
        offer = context["offer"]
        count = Engagement.objects.filter(school=school).in_term(term).count() if term else 0
        context.update(
            police=True,
            history=list(
                Assessment.objects.filter(school=school, status=Assessment.Status.APPROVED)
                .select_related("computed_level", "proposed_level")
                .order_by("-approved_on", "-pk")[:10]
            ),
            open_assessment=Assessment.objects.filter(school=school)
            .exclude(status=Assessment.Status.APPROVED)
            .first(),
            term=term,
            term_count=count,
            promised=offer.promised_in(term) if offer and term else None,
        )
    return context
