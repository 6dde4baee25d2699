"""What the page shell needs on every page: the force, the organisation, the navigation."""

from .navigation import navigation_for


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {
        "current_force": user.force,
        "current_organisation": user.organisation,
        "nav_items": navigation_for(user, request.path),
    }
