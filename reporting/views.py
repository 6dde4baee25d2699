"""Each role's home page; the dashboards arrive with the reporting issue."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.home_panels import panels_for
from accounts.models import OFFICER_ROLES, SCHOOL_ROLES, Role

from . import home as homes


def _home_for(user):
    """Return (template, context builder) for the user's role."""
    if user.role in SCHOOL_ROLES:
        return "reporting/home_school.html", homes.school_staff_home
    if user.role == Role.SERGEANT:
        return "reporting/home_sergeant.html", homes.sergeant_home
    if user.role in OFFICER_ROLES:
        return "reporting/home_officer.html", homes.officer_home
    if user.role == Role.PREVENTION_MANAGER:
        return "reporting/home_manager.html", homes.manager_home
    if user.role == Role.COORDINATOR:
        return "reporting/home_coordinator.html", homes.coordinator_home
    if user.role == Role.FORCE_ADMIN:
        return "reporting/home_admin.html", homes.admin_home
    if user.role == Role.PARTNER:
        return "reporting/home_partner.html", lambda user: {}
    return "reporting/home_other.html", lambda user: {}


@login_required
def home(request):
    template, build = _home_for(request.user)
    context = build(request.user)
    context["home_panels"] = panels_for(request.user)
    return render(request, template, context)
