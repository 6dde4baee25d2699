"""Who may see and change what in the school register."""

import rules

from accounts.models import OFFICER_ROLES, Role
from accounts.rules import (
    has_role,
    in_users_force,
    is_admin,
    is_manager,
    is_police_side,
    is_school_staff,
)


@rules.predicate
def is_own_school_or_force(user, school):
    if school is None:
        return True
    if user.is_police_side:
        return school.force_id == user.force_id
    return school.organisation_id == user.organisation_id


@rules.predicate
def is_headteacher_of(user, school):
    return user.role == Role.HEADTEACHER and (
        school is None or school.organisation_id == user.organisation_id
    )


@rules.predicate
def wrote_it_within_a_day(user, engagement):
    return engagement is None or engagement.can_be_corrected_by(user)


is_officer = has_role(*OFFICER_ROLES)
is_sergeant = has_role(Role.SERGEANT)

rules.add_perm("schools.list_schools", is_police_side)
rules.add_perm("schools.view_school", (is_police_side | is_school_staff) & is_own_school_or_force)
rules.add_perm("schools.view_engagements", is_police_side)
rules.add_perm("schools.log_engagement", is_officer & in_users_force)
rules.add_perm("schools.correct_engagement", is_officer & wrote_it_within_a_day)
rules.add_perm("schools.hand_over", (is_sergeant | is_manager | is_admin) & in_users_force)
rules.add_perm(
    "schools.edit_contacts",
    ((is_admin | is_manager | is_sergeant) & in_users_force) | is_headteacher_of,
)
rules.add_perm("schools.view_contact_overview", is_sergeant | is_manager | is_admin)
rules.add_perm("schools.manage_terms", is_admin | is_manager)
rules.add_perm("schools.import_gias", is_admin)
