"""Who may see which schools."""

import rules

from accounts.rules import is_police_side, is_school_staff


@rules.predicate
def is_own_school_or_force(user, school):
    if school is None:
        return True
    if user.is_police_side:
        return school.force_id == user.force_id
    return school.organisation_id == user.organisation_id


rules.add_perm("schools.list_schools", is_police_side)
rules.add_perm("schools.view_school", (is_police_side | is_school_staff) & is_own_school_or_force)
