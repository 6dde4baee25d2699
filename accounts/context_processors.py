"""What the page shell needs on every page: the service name, force, organisation, navigation."""

from django.conf import settings

from .navigation import navigation_for


def shell(request):
    # site_url lets emails rendered with a request (allauth's) link from SITE_URL, not Host.
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, "nav_items": []}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context.update(
            current_force=user.force,
            current_organisation=user.organisation,
            nav_items=navigation_for(user, request.path),
        )
    return context
