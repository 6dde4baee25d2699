"""Who sees which dashboard: managers all, sergeants their teams' slice, coordinators education."""

import rules

from accounts.models import Role
from accounts.rules import is_coordinator, is_manager, is_sergeant

# Sections of the dashboards; education is the one coordinators see.
POLICING_SECTIONS = {
    "tiers",
    "engagement",
    "agreements",
    "referrals",
    "incidents",
    "partnership",
}
EDUCATION_SECTIONS = {"education"}


@rules.predicate
def may_see_section(user, section):
    if section is None:
        return True
    if user.role == Role.COORDINATOR:
        return section in EDUCATION_SECTIONS
    return section in POLICING_SECTIONS | EDUCATION_SECTIONS


rules.add_perm(
    "reporting.view_dashboards", (is_manager | is_sergeant | is_coordinator) & may_see_section
)
rules.add_perm("reporting.export", (is_manager | is_sergeant | is_coordinator) & may_see_section)
rules.add_perm("reporting.steering_report", is_manager)
