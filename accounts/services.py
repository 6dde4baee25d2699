"""Workflows that cross models: inviting people, accepting invitations, keeping teams and
organisations."""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import audit
from .models import Invitation, Organisation, Team, User
from .tasks import queue_invitation_email


@transaction.atomic
def invitation_send(
    *,
    invited_by: User,
    email: str,
    full_name: str,
    organisation: Organisation,
    role: str,
    team: Team | None = None,
    rank: str = "",
    collar_number: str = "",
    request=None,
) -> Invitation:
    """Create an invitation and write its email to the outbox, sent once this commits."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Someone already has an account with this email address."})
    if Invitation.objects.pending().filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": "An invitation to this address is already waiting. Cancel it to send a new one."
            }
        )
    invitation = Invitation(
        email=email,
        full_name=full_name.strip(),
        organisation=organisation,
        role=role,
        team=team,
        rank=rank.strip(),
        collar_number=collar_number.strip(),
        invited_by=invited_by,
        expires_at=timezone.now() + Invitation.VALID_FOR,
    )
    _validate_role_fits(invitation)
    invitation.full_clean()
    invitation.save()
    audit.record(
        "accounts.invitation.sent",
        actor=invited_by,
        target=invitation,
        changes={"email": email, "role": role, "organisation": organisation.pk},
        request=request,
    )
    queue_invitation_email(invitation)
    return invitation


def _validate_role_fits(invitation: Invitation) -> None:
    probe = User(
        email=invitation.email,
        organisation=invitation.organisation,
        role=invitation.role,
        team=invitation.team,
    )
    try:
        probe.clean()
    except ValidationError as error:
        raise ValidationError(error.message_dict) from error


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, full_name: str, password: str, request=None
) -> User:
    """Create the invitee's account from a pending invitation, once only."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open():
        raise ValidationError("This invitation can no longer be used.")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError("Someone already has an account with this email address.")
    user = User(
        email=invitation.email,
        full_name=full_name.strip(),
        organisation=invitation.organisation,
        role=invitation.role,
        team=invitation.team,
        rank=invitation.rank,
        collar_number=invitation.collar_number,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user", "updated"])
    audit.record(
        "accounts.user.created",
        actor=user,
        target=user,
        changes={
            "role": user.role,
            "organisation": user.organisation_id,
            "invitation": invitation.pk,
        },
        request=request,
    )
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User, request=None) -> None:
    """Cancel a pending invitation so its link no longer works."""
    if not invitation.is_open():
        raise ValidationError("Only a waiting invitation can be cancelled.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated"])
    audit.record("accounts.invitation.revoked", actor=by, target=invitation, request=request)


@transaction.atomic
def team_save(*, team: Team, by: User, request=None) -> Team:
    """Create or change a team, recording what changed."""
    creating = team._state.adding
    before = {} if creating else audit.snapshot(Team.objects.get(pk=team.pk))
    team.full_clean()
    team.save()
    if team.sergeant_id and team.sergeant.team_id != team.pk:
        # A sergeant belongs to the team they lead.
        team.sergeant.team = team
        team.sergeant.save(update_fields=["team"])
    audit.record(
        "accounts.team.created" if creating else "accounts.team.changed",
        actor=by,
        target=team,
        changes=audit.diff(before, audit.snapshot(team)),
        request=request,
    )
    return team


@transaction.atomic
def organisation_save(*, organisation: Organisation, by: User, request=None) -> Organisation:
    """Create or change one of the force's partner providers, local authorities or partner
    agencies, recording what changed. Its kind is chosen once: the roles of its people
    depend on it."""
    creating = organisation._state.adding
    if organisation.kind not in Organisation.KEPT_BY_FORCE:
        raise ValidationError(
            {"kind": "Choose a partner provider, a local authority or a partner agency"}
        )
    before = {} if creating else audit.snapshot(Organisation.objects.get(pk=organisation.pk))
    if not creating and before["kind"] != organisation.kind:
        raise ValidationError({"kind": "An organisation's kind cannot be changed"})
    organisation.full_clean()
    organisation.save()
    audit.record(
        "accounts.organisation.created" if creating else "accounts.organisation.changed",
        actor=by,
        target=organisation,
        changes=audit.diff(before, audit.snapshot(organisation)),
        request=request,
    )
    return organisation


@transaction.atomic
def force_settings_save(*, force, by: User, request=None):
    """Save a force's settings, recording what changed."""
    before = audit.snapshot(type(force).objects.get(pk=force.pk))
    force.full_clean()
    force.save()
    changes = audit.diff(before, audit.snapshot(force))
    if changes:
        audit.record(
            "accounts.force.settings_changed",
            actor=by,
            target=force,
            changes=changes,
            request=request,
        )
    return force


def sign_in_email_refusal(email: str, *, user: User) -> str | None:
    """Say why `email` may not become `user`'s sign-in email, or return None: accounts are by
    invitation, so an address of another account or of a waiting invitation stays theirs."""
    others = User.objects.exclude(pk=user.pk)
    if (
        others.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email, verified=True)
        .exclude(user=user)
        .exists()
    ):
        return "Someone else already signs in with this email address. Choose another one."
    if Invitation.objects.pending().filter(email__iexact=email).exists():
        return (
            "This email address has been invited to make its own account, so it cannot be "
            "used for yours. Choose another one, or ask your administrator."
        )
    return None


def sign_in_email_record(*, user: User) -> EmailAddress:
    """Record the address `user` signs in with as their confirmed, primary one: it is the
    address their invitation went to (or an administrator gave), so it is known to be theirs.
    A change to another address then waits for that address to be confirmed."""
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is not None and address.verified and address.primary:
        return address
    with transaction.atomic():
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        address = address or EmailAddress(user=user, email=user.email)
        address.verified = address.primary = True
        address.save()
    return address


def sign_in_email_change_requested(*, user: User, email: str, request=None) -> None:
    """Audit that `user` asked to sign in with `email` from now on (not yet confirmed)."""
    audit.record(
        "accounts.user.email_change_requested",
        actor=user,
        target=user,
        changes={"email": [user.email, email]},
        request=request,
    )


def sign_in_email_changed(*, user: User, previous: str, request=None) -> None:
    """Audit that `user`'s sign-in email became the address they confirmed."""
    audit.record(
        "accounts.user.email_changed",
        actor=user,
        target=user,
        changes={"email": [previous, user.email]},
        request=request,
    )
