"""Who may see, make and approve needs assessments, and edit frameworks."""

import rules

from accounts.models import OFFICER_ROLES, Role
from accounts.rules import has_role, is_admin, is_manager


@rules.predicate
def in_users_force(user, obj):
    if obj is None:
        return True
    force_id = getattr(obj, "force_id", None)
    if force_id is None and hasattr(obj, "school"):
        force_id = obj.school.force_id
    return force_id == user.force_id


is_assessor = has_role(*OFFICER_ROLES, Role.PREVENTION_MANAGER)
is_police_reader = has_role(*OFFICER_ROLES, Role.PREVENTION_MANAGER, Role.FORCE_ADMIN)

rules.add_perm("needs_assessment.view_assessments", is_police_reader & in_users_force)
rules.add_perm("needs_assessment.assess", is_assessor & in_users_force)
rules.add_perm("needs_assessment.approve", is_manager & in_users_force)
rules.add_perm("needs_assessment.view_frameworks", is_police_reader & in_users_force)
rules.add_perm("needs_assessment.manage_frameworks", (is_manager | is_admin) & in_users_force)
