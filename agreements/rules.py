"""Who may see, prepare, sign, end and renew agreements, verify PDFs and edit templates.

Role checks happen at the view (record None); the record rules below answer for one
agreement. Templates ask the same rules and never decide access themselves.
"""

import rules
from django.db.models import Q

from accounts.models import (
    OFFICER_ROLES,
    SCHOOL_ROLES,
    SUPERVISOR_ROLES,
    Role,
    User,
    is_member_of_a_force,
)
from accounts.rules import (
    has_role,
    in_users_force,
    is_admin,
    is_coordinator,
    is_headteacher,
    is_manager,
    is_police_reader,
    is_school_staff,
)

is_officer = has_role(*OFFICER_ROLES)


@rules.predicate
def heads_its_school(user, agreement):
    """True for the headteacher of the agreement's school."""
    if agreement is None:
        return True
    return (
        user.role == Role.HEADTEACHER
        and agreement.school.organisation_id == user.organisation_id
        and agreement.state != agreement.State.DRAFT
    )


@rules.predicate
def works_at_its_school(user, agreement):
    """True for any member of staff of the agreement's school, once it is sent: every school
    role reads the agreement; only the headteacher signs it."""
    if agreement is None:
        return True
    return (
        user.role in SCHOOL_ROLES
        and agreement.school.organisation_id == user.organisation_id
        and agreement.state != agreement.State.DRAFT
    )


@rules.predicate
def looks_after_it(user, agreement):
    """True for the agreement's officer, whoever prepared it, and the force's sergeants."""
    if agreement is None:
        return True
    if agreement.force_id != user.force_id:
        return False
    return user.role == Role.SERGEANT or user.pk in {
        agreement.named_officer_id,
        agreement.prepared_by_id,
    }


@rules.predicate
def speaks_for_the_police(user, agreement):
    """True for the agreement's officer, the force's sergeants and its prevention managers."""
    if agreement is None:
        return True
    if agreement.force_id != user.force_id:
        return False
    return user.role in SUPERVISOR_ROLES or user.pk == agreement.named_officer_id


@rules.predicate
def is_editable(user, agreement):
    return agreement is None or agreement.is_editable


@rules.predicate
def is_draft(user, agreement):
    return agreement is None or agreement.state == agreement.State.DRAFT


@rules.predicate
def may_still_be_ended(user, agreement):
    return agreement is None or agreement.state in {
        agreement.State.SENT,
        agreement.State.PARTLY_SIGNED,
        agreement.State.ACTIVE,
    }


@rules.predicate
def is_active(user, agreement):
    return agreement is None or agreement.state == agreement.State.ACTIVE


@rules.predicate
def is_sealed(user, agreement):
    return agreement is None or agreement.is_sealed


@rules.predicate
def signs_next(user, agreement):
    """True when the agreement waits for the party this user signs as."""
    if agreement is None:
        return True
    return agreement.is_awaiting_signature and party_of(user, agreement) == agreement.awaiting_party


def countersigning_sergeants(agreement):
    """Return who may countersign for the sergeant party: the active sergeants of the named
    officer's team (the sergeant who leads it and sergeants who belong to it); when that team
    has none, or the officer has no team, every active sergeant of the force. Never the named
    officer, whose signature is already the officer's. The "please countersign" email goes to
    exactly these people."""
    sergeants = User.objects.filter(
        role=Role.SERGEANT, is_active=True, organisation__force_id=agreement.force_id
    ).exclude(pk=agreement.named_officer_id)
    team = countersigning_team(agreement)
    if team is None:
        return sergeants
    return sergeants.filter(Q(pk=team.sergeant_id) | Q(team_id=team.pk))


def countersigning_team(agreement):
    """Return the named officer's team when it has an active sergeant to countersign (other
    than the officer), else None: then any sergeant of the force countersigns."""
    team = agreement.named_officer.team
    if team is None:
        return None
    has_sergeant = (
        User.objects.filter(
            role=Role.SERGEANT, is_active=True, organisation__force_id=agreement.force_id
        )
        .filter(Q(pk=team.sergeant_id) | Q(team_id=team.pk))
        .exclude(pk=agreement.named_officer_id)
        .exists()
    )
    return team if has_sergeant else None


def countersigned_by(agreement) -> str:
    """Say who countersigns, as the agreement page puts it: "a sergeant of North NPT", or of
    the force when the officer's team has no sergeant."""
    team = countersigning_team(agreement)
    return f"a sergeant of {team.name if team is not None else agreement.force.name}"


def is_acting_head_now(user, school) -> bool:
    from .models import ActingHeadteacher

    return ActingHeadteacher.objects.current().filter(school=school, user=user).exists()


@rules.predicate
def acts_as_its_head(user, agreement):
    """True for the headteacher of the agreement's school, or its acting headteacher today."""
    if agreement is None:
        return True
    if agreement.school.organisation_id != user.organisation_id or user.role not in SCHOOL_ROLES:
        return False
    return user.role == Role.HEADTEACHER or is_acting_head_now(user, agreement.school)


@rules.predicate
def is_awaiting_signature(user, agreement):
    return agreement is None or agreement.is_awaiting_signature


@rules.predicate
def leads_the_school(user, school):
    """True for the school's headteacher (who names an acting headteacher)."""
    if school is None:
        return True
    return user.role == Role.HEADTEACHER and school.organisation_id == user.organisation_id


@rules.predicate
def school_in_users_force(user, school):
    return school is None or school.force_id == user.force_id


def party_of(user, agreement) -> str | None:
    """Return the party this user may sign as for the agreement's next signature, or None."""
    if not is_member_of_a_force(user):
        return None
    party = agreement.awaiting_party
    if party == agreement.Party.SCHOOL:
        fits = user.organisation_id == agreement.school.organisation_id and (
            user.role == Role.HEADTEACHER or is_acting_head_now(user, agreement.school)
        )
    elif party == agreement.Party.POLICE:
        fits = user.pk == agreement.named_officer_id
    elif party == agreement.Party.SERGEANT:
        fits = (
            user.role == Role.SERGEANT
            and countersigning_sergeants(agreement).filter(pk=user.pk).exists()
        )
    else:
        fits = False
    return party if fits else None


is_a_party = heads_its_school | speaks_for_the_police

rules.add_perm("agreements.list_agreements", is_police_reader | is_headteacher)
rules.add_perm(
    "agreements.view_agreement",
    (is_police_reader & in_users_force) | (is_school_staff & works_at_its_school),
)
rules.add_perm("agreements.prepare", is_officer & in_users_force)
rules.add_perm("agreements.edit", is_officer & looks_after_it & is_editable)
rules.add_perm("agreements.send", is_officer & looks_after_it & is_draft)
rules.add_perm("agreements.sign", (is_officer | is_school_staff) & signs_next)
rules.add_perm("agreements.request_changes", (is_officer | is_school_staff) & signs_next)
rules.add_perm(
    "agreements.new_link", is_officer & in_users_force & looks_after_it & is_awaiting_signature
)
rules.add_perm("agreements.list_waiting", is_officer)
rules.add_perm(
    "agreements.share",
    ((is_officer & in_users_force & looks_after_it) | (is_school_staff & acts_as_its_head))
    & is_sealed,
)
rules.add_perm(
    "agreements.name_acting_head",
    (is_officer & school_in_users_force) | (is_headteacher & leads_the_school),
)
rules.add_perm(
    "agreements.end",
    (is_headteacher | is_officer | is_manager) & is_a_party & may_still_be_ended,
)
rules.add_perm("agreements.renew", (is_officer | is_manager) & speaks_for_the_police & is_active)
rules.add_perm(
    "agreements.download_pdf",
    ((is_police_reader & in_users_force) | (is_school_staff & works_at_its_school)) & is_sealed,
)
# The education coordinator checks the sealed provider agreements it signs.
rules.add_perm("agreements.verify", is_police_reader | is_headteacher | is_coordinator)
rules.add_perm("agreements.view_templates", (is_admin | is_manager) & in_users_force)
rules.add_perm("agreements.manage_templates", is_admin & in_users_force)
rules.add_perm("agreements.manage_settings", is_admin & in_users_force)


# Documents both sides attach (agreements/documents.py) ---------------------------------------


@rules.predicate
def is_live_agreement(user, agreement):
    return agreement is None or agreement.state in {
        agreement.State.SENT,
        agreement.State.PARTLY_SIGNED,
        agreement.State.ACTIVE,
    }


@rules.predicate
def document_of_a_party(user, document):
    """True for a school's staff on their school's document, or on the force's documents
    when their school has an agreement sent to it."""
    if document is None:
        return True
    if document.school_id is not None:
        return document.school.organisation_id == user.organisation_id
    from .models import Agreement

    return (
        Agreement.objects.filter(
            force_id=document.force_id, school__organisation_id=user.organisation_id
        )
        .exclude(state=Agreement.State.DRAFT)
        .exists()
    )


# The school's staff upload the school's documents on its agreement (sent or in force); the
# police's, held once per force, are uploaded by its officers, managers and administrators.
rules.add_perm(
    "agreements.upload_school_document",
    is_school_staff & works_at_its_school & is_live_agreement,
)
rules.add_perm(
    "agreements.upload_force_document",
    (is_officer | is_manager | is_admin) & in_users_force,
)
rules.add_perm("agreements.manage_force_documents", (is_manager | is_admin) & in_users_force)
rules.add_perm(
    "agreements.view_document",
    (is_police_reader & in_users_force) | (is_school_staff & document_of_a_party),
)
# Provider agreements' rules, registered with these.
from . import provider_rules  # noqa: E402, F401
