"""Who may see, make and approve needs assessments, and edit frameworks."""

import rules

from accounts.models import OFFICER_ROLES, Role
from accounts.rules import has_role, in_users_force, is_admin, is_manager

is_assessor = has_role(*OFFICER_ROLES, Role.PREVENTION_MANAGER)
is_police_reader = has_role(*OFFICER_ROLES, Role.PREVENTION_MANAGER, Role.FORCE_ADMIN)

rules.add_perm("needs_assessment.view_assessments", is_police_reader & in_users_force)
rules.add_perm("needs_assessment.assess", is_assessor & in_users_force)
rules.add_perm("needs_assessment.approve", is_manager & in_users_force)
rules.add_perm("needs_assessment.view_frameworks", is_police_reader & in_users_force)
rules.add_perm("needs_assessment.manage_frameworks", (is_manager | is_admin) & in_users_force)
