"""Who may do what with people, teams, invitations and the audit trail.

The one place for these rules: views check them with `permission_required` or
`user.has_perm(...)`, templates with `{% has_perm %}`.
"""

import rules

from .models import FORCE_MANAGEMENT_ROLES, OFFICER_ROLES, POLICE_ROLES, SCHOOL_ROLES, Role


def has_role(*roles):
    """Return a predicate true for active users holding one of `roles`."""
    names = "_".join(sorted(str(r) for r in roles))

    @rules.predicate(name=f"has_role_{names}")
    def predicate(user):
        return user.is_authenticated and user.is_active and user.role in roles

    return predicate


is_admin = has_role(Role.FORCE_ADMIN)
is_manager = has_role(Role.PREVENTION_MANAGER)
is_headteacher = has_role(Role.HEADTEACHER)
is_sergeant = has_role(Role.SERGEANT)
is_officer = has_role(*OFFICER_ROLES)
is_police = has_role(*POLICE_ROLES)
is_police_reader = has_role(*POLICE_ROLES, Role.FORCE_ADMIN)
is_coordinator = has_role(Role.COORDINATOR)
is_school_staff = has_role(*SCHOOL_ROLES)
is_partner = has_role(Role.PARTNER)


@rules.predicate
def is_police_side(user):
    return user.is_authenticated and user.is_active and user.is_police_side


# Roles each inviter may give. A headteacher invites only their own school's staff.
INVITABLE_ROLES = {
    Role.FORCE_ADMIN: list(Role),
    Role.PREVENTION_MANAGER: [r for r in Role if r != Role.FORCE_ADMIN],
    Role.HEADTEACHER: [r for r in Role if r in SCHOOL_ROLES],
}


def invitable_roles(user):
    """Return the roles this user may invite people into."""
    return INVITABLE_ROLES.get(user.role, []) if user.is_active else []


@rules.predicate
def may_invite_into(user, organisation):
    """True if `user` may invite someone to `organisation` (an Organisation or None)."""
    if not invitable_roles(user):
        return False
    if organisation is None:
        return True
    if organisation.force_id != user.force_id:
        return False
    if user.role == Role.HEADTEACHER:
        return organisation.pk == user.organisation_id
    return True


@rules.predicate
def manages_person(user, person):
    """True if `user` may disable or re-enable `person`: never themselves."""
    if person is None:
        return True
    if person.pk == user.pk or person.force_id != user.force_id:
        return False
    if user.role == Role.FORCE_ADMIN:
        return True
    if user.role == Role.PREVENTION_MANAGER:
        return person.role != Role.FORCE_ADMIN
    if user.role == Role.HEADTEACHER:
        return person.organisation_id == user.organisation_id and person.role in SCHOOL_ROLES
    return False


@rules.predicate
def sees_person(user, person):
    if person is None:
        return True
    if person.force_id != user.force_id:
        return False
    if user.is_police_side:
        return True
    return person.organisation_id == user.organisation_id


def first_along(obj, paths):
    """Return the value at the first of `paths` (dotted attribute paths) that `obj` has, or
    None: how a record reaches its provider."""
    for path in paths:
        value = obj
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is not None:
            return value
    return None


def force_id_of(obj):
    """Return the force a record belongs to, by its model's `force_path` (the lookup its
    ScopedQuerySet filters by, read here attribute by attribute), or None. The one walker
    for permissions, the audit trail and the dashboards' cache."""
    path = getattr(type(obj), "force_path", None)
    if obj is None or not path:
        return None
    return first_along(obj, [path.replace("__", ".")])


@rules.predicate
def in_users_force(user, obj):
    """True when the record (or none, at the view) belongs to the user's force."""
    return obj is None or force_id_of(obj) == user.force_id


rules.add_perm("accounts.list_people", is_admin | is_manager | is_sergeant | is_headteacher)
rules.add_perm(
    "accounts.view_person", (is_admin | is_manager | is_sergeant | is_headteacher) & sees_person
)
rules.add_perm("accounts.invite_person", (is_admin | is_manager | is_headteacher) & may_invite_into)
rules.add_perm("accounts.manage_person", (is_admin | is_manager | is_headteacher) & manages_person)
rules.add_perm("accounts.list_invitations", is_admin | is_manager | is_headteacher)
rules.add_perm("accounts.list_teams", is_police_side)
rules.add_perm("accounts.view_team", is_police_side & in_users_force)
rules.add_perm("accounts.manage_teams", is_admin & in_users_force)
rules.add_perm("accounts.view_audit", is_admin | is_manager)
rules.add_perm("accounts.view_outbox", is_admin | is_manager)
rules.add_perm("accounts.manage_force", is_admin)
# A force's partner providers, local authorities and partner agencies: its administrators and
# prevention managers keep them (FORCE_MANAGEMENT_ROLES, who also invite their people); no
# one else has these pages, a sergeant or an officer meets them as names on a panel.
is_force_manager = has_role(*FORCE_MANAGEMENT_ROLES)
rules.add_perm("accounts.list_organisations", is_force_manager)
rules.add_perm("accounts.view_organisation", is_force_manager & in_users_force)
rules.add_perm("accounts.manage_organisations", is_force_manager & in_users_force)
