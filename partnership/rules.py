"""Who may see and act on a school's partnership: its level, checklist, plan and reviews."""

import rules

from accounts.models import Role
from accounts.rules import (
    has_role,
    in_users_force,
    is_admin,
    is_headteacher,
    is_manager,
    is_officer,
    is_police,
    is_police_reader,
    is_school_staff,
)
from agreements.rules import heads_its_school, speaks_for_the_police


@rules.predicate
def owns_action(user, action):
    return action is None or action.owner_id == user.pk


@rules.predicate
def is_member(user):
    return bool(user.is_authenticated and user.is_active and user.force_id)


is_signer = has_role(Role.HEADTEACHER, Role.PREVENTION_MANAGER) | is_officer

# The school's page of the partnership: the force's police and the school's own staff.
rules.add_perm("partnership.view", (is_police_reader | is_school_staff) & in_users_force)
rules.add_perm("partnership.agree_level", is_headteacher & in_users_force)
# The plan and its checklist are written together by the police and the headteacher.
rules.add_perm("partnership.edit_plan", (is_police | is_headteacher) & in_users_force)
rules.add_perm("partnership.update_action", is_member & (owns_action | is_police) & in_users_force)
rules.add_perm("partnership.my_actions", is_member)
rules.add_perm("partnership.view_levels", is_police_reader)
rules.add_perm("partnership.sign_review", is_signer & in_users_force)
rules.add_perm("partnership.view_capacity", is_police_reader | is_manager)


@rules.predicate
def owns_meeting_action(user, action):
    return action is None or action.owner_id == user.pk


rules.add_perm("partnership.view_groups", is_member)
rules.add_perm("partnership.manage_groups", is_police & in_users_force)
rules.add_perm(
    "partnership.close_meeting_action",
    is_member & (owns_meeting_action | is_police) & in_users_force,
)

# The school's own staff supply its figures; they and the police open its safety survey.
rules.add_perm("partnership.supply_figures", is_school_staff & in_users_force)
rules.add_perm("partnership.open_survey", (is_school_staff | is_police) & in_users_force)

# Force managers change the engagement log's roles and the levels' aims and expectations.
rules.add_perm("partnership.manage_cycle", (is_manager | is_admin) & in_users_force)

# The joint review of an agreement: its headteacher or the police who speak for it (the named
# officer, the force's sergeants and prevention managers); everyone who reads the agreement
# reads its reviews and NMT meetings.
rules.add_perm("partnership.view_agreement_reviews", is_police_reader | is_school_staff)
rules.add_perm("partnership.review_agreement", heads_its_school | speaks_for_the_police)
rules.add_perm("partnership.record_nmt_meeting", is_police & speaks_for_the_police)
