"""The agreement's appendix on the school's tier and the service it receives.

Read from the school's approved needs assessment (its tier or level) and the service offer of
that tier for the school's phase (who the police contact is, how often they engage, the
safety-education inputs), with the promise the engagement log is measured against
(ServiceOffer.promised_in, as the school page's "engagement promised" reads it).

It is rendered into the agreement's content when a version is made (sent, or changed after
sending), so it is frozen into the signed content, its SHA-256 and the sealed PDF. A tier
changed later leaves a signed version as it was: the change marks the agreement "review
suggested" (agreements.receivers), and the renewal's new version carries the new appendix.
"""

from dataclasses import dataclass

from schools.models import School, Term


@dataclass(frozen=True)
class ServiceAppendix:
    agreed: bool
    tier: str = ""
    approved_on: object = None
    review_due_on: object = None
    phase: str = ""
    contact: str = ""
    frequency: str = ""
    promise: str = ""
    promise_measure: str = ""
    service: str = ""
    education_inputs: str = ""
    has_offer: bool = False


def _measure(offer, term) -> str:
    """Say how the engagement log is measured against the promise, with this term's number."""
    if offer.frequency == offer.Frequency.WEEKLY:
        text = (
            "Each term, the engagements the police log with the school are compared with one "
            "for every week of the term"
        )
    else:
        number = offer.promised_in(term) if term is not None else offer.engagements_per_term
        if offer.uses_force_enhanced_number and term is None:
            number = offer.framework.force.enhanced_engagements_per_term
        text = (
            "Each term, the engagements the police log with the school are compared with "
            f"{number} engagement{'s' if number != 1 else ''} a term"
        )
    if term is not None:
        promised = offer.promised_in(term)
        text += (
            f" (the {term}: {promised} engagement{'s' if promised != 1 else ''}, from "
            f"{term.starts_on:%-d %B} to {term.ends_on:%-d %B %Y})"
        )
    return text + "."


def service_appendix(school: School, *, today) -> ServiceAppendix:
    """Return what the appendix states for the school today: its approved tier and the
    service of that tier, or "not yet agreed" when no assessment of it has been approved."""
    from needs_assessment.models import Assessment, ServiceOffer

    assessment = (
        Assessment.objects.current()
        .filter(school=school, status=Assessment.Status.APPROVED)
        .select_related("computed_level", "proposed_level")
        .first()
    )
    level = assessment.level if assessment is not None else None
    if level is None:
        return ServiceAppendix(agreed=False)
    offer = (
        ServiceOffer.objects.filter(level=level, phase_group=ServiceOffer.phase_group_of(school))
        .select_related("framework__force")
        .first()
    )
    common = {
        "agreed": True,
        "tier": level.name,
        "approved_on": assessment.approved_on,
        "review_due_on": assessment.review_due_on,
        "phase": ServiceOffer.PhaseGroup(ServiceOffer.phase_group_of(school)).label,
    }
    if offer is None:
        return ServiceAppendix(**common)
    term = Term.objects.filter(force_id=school.force_id).containing(today).first()
    return ServiceAppendix(
        **common,
        has_offer=True,
        contact=offer.contact,
        frequency=offer.get_frequency_display(),
        promise=offer.promise_text,
        promise_measure=_measure(offer, term),
        service=offer.offer,
        education_inputs=offer.education_inputs,
    )
