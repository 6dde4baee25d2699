"""The home page's provider agreements panel: for a partner, its agreement waiting for its
signature or current; for a coordinator, those waiting on a partner. One query."""

from django.utils import timezone

from accounts.models import Role

from .provider_models import ProviderAgreement


def home_panel(user):
    if user.role not in {Role.PARTNER, Role.COORDINATOR}:
        return None
    agreements = list(
        ProviderAgreement.objects.visible_to(user)
        .exclude(state=ProviderAgreement.State.ENDED)
        .select_related("provider")
        .only(
            "pk",
            "state",
            "expires_on",
            "provider__name",
            "force_id",
            "changes_requested_reason",
        )
        .order_by("provider__name", "-created")[:20]
    )
    today = timezone.localdate()
    return {
        "partner": user.role == Role.PARTNER,
        "to_sign": [a for a in agreements if a.state == ProviderAgreement.State.SENT],
        "current": [a for a in agreements if a.is_current(today=today)],
        "drafts": [a for a in agreements if a.state == ProviderAgreement.State.DRAFT],
    }
