"""Who may see, make and approve needs assessments, and edit frameworks."""

import rules

from accounts.rules import in_users_force, is_admin, is_manager, is_police, is_police_reader

# Officers, sergeants and prevention managers assess schools.
is_assessor = is_police

rules.add_perm("needs_assessment.view_assessments", is_police_reader & in_users_force)
rules.add_perm("needs_assessment.assess", is_assessor & in_users_force)
rules.add_perm("needs_assessment.approve", is_manager & in_users_force)
rules.add_perm("needs_assessment.view_frameworks", is_police_reader & in_users_force)
rules.add_perm("needs_assessment.manage_frameworks", (is_manager | is_admin) & in_users_force)
