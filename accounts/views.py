"""Pages for people, invitations, teams, organisations and the audit trail."""

from allauth.account import views as allauth_views
from allauth.account.internal.flows.login import record_authentication
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import outbox, services
from .decorators import permission_required
from .forms import (
    AcceptInvitationForm,
    ForceSettingsForm,
    InvitationForm,
    OrganisationForm,
    PeopleFilterForm,
    TeamForm,
    add_validation_errors,
)
from .models import (
    AccessLogEntry,
    AuditEntry,
    Invitation,
    Organisation,
    OutboxEmail,
    Team,
    User,
)

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@permission_required("accounts.list_people")
def people_list(request):
    people = User.objects.visible_to(request.user).select_related("organisation", "team")
    filters = PeopleFilterForm(request.GET or None)
    if filters.is_valid():
        if q := filters.cleaned_data["q"].strip():
            people = people.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
        if role := filters.cleaned_data["role"]:
            people = people.filter(role=role)
        if status := filters.cleaned_data["status"]:
            people = people.filter(is_active=status == "active")
    return render(
        request,
        "accounts/person_list.html",
        {"page": _page(request, people.order_by("full_name", "pk")), "filters": filters},
    )


@permission_required("accounts.list_people")
def person_detail(request, pk):
    person = get_object_or_404(
        User.objects.visible_to(request.user).select_related("organisation", "team"), pk=pk
    )
    if not request.user.has_perm("accounts.view_person", person):
        raise PermissionDenied
    history = AuditEntry.objects.for_object(person).select_related("actor")[:20]
    return render(request, "accounts/person_detail.html", {"person": person, "history": history})


@require_POST
@permission_required("accounts.list_people")
def person_disable(request, pk):
    return _set_active(request, pk, active=False)


@require_POST
@permission_required("accounts.list_people")
def person_enable(request, pk):
    return _set_active(request, pk, active=True)


def _set_active(request, pk, *, active):
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("accounts.manage_person", person):
        raise PermissionDenied
    if active:
        person.enable(by=request.user)
        messages.success(request, f"{person.full_name} can sign in again.")
    else:
        person.disable(by=request.user)
        messages.success(
            request, f"{person.full_name} can no longer sign in. Their sessions have ended."
        )
    return redirect(person)


@permission_required("accounts.invite_person")
def invitation_create(request):
    form = InvitationForm(
        request.POST or None,
        inviter=request.user,
        initial={"organisation": request.GET.get("organisation")},
    )
    if request.method == "POST" and form.is_valid():
        if not request.user.has_perm("accounts.invite_person", form.cleaned_data["organisation"]):
            raise PermissionDenied
        try:
            invitation = services.invitation_send(
                invited_by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("accounts:invitation_list")
    return render(request, "accounts/invitation_form.html", {"form": form})


@permission_required("accounts.list_invitations")
def invitation_list(request):
    invitations = (
        Invitation.objects.visible_to(request.user)
        .select_related("organisation", "invited_by", "invited_by__organisation")
        .order_by("-created", "-pk")
    )
    return render(request, "accounts/invitation_list.html", {"page": _page(request, invitations)})


@require_POST
@permission_required("accounts.list_invitations")
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("accounts.invite_person", invitation.organisation):
        raise PermissionDenied
    try:
        services.invitation_revoke(invitation=invitation, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The invitation to {invitation.email} was cancelled.")
    return redirect("accounts:invitation_list")


def invitation_accept(request, token):
    invitation = Invitation.find_by_token(token)
    if invitation is None or not invitation.is_open():
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        return render(
            request, "accounts/invitation_signed_in.html", {"invitation": invitation}, status=409
        )
    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            login(request, user, backend="accounts.backends.AuthenticationBackend")
            # Tell allauth a password was just used, so MFA set-up needs no second sign-in.
            record_authentication(request, user, method="password", email=user.email)
            if user.requires_mfa:
                messages.success(
                    request, "Your account is ready. Now set up your authenticator app."
                )
                return redirect("mfa_activate_totp")
            messages.success(request, "Your account is ready.")
            return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@permission_required("accounts.list_teams")
def team_list(request):
    teams = (
        Team.objects.visible_to(request.user)
        .select_related("sergeant__organisation")
        .annotate(member_count=Count("members", filter=Q(members__is_active=True)))
    )
    return render(request, "accounts/team_list.html", {"teams": teams})


@permission_required("accounts.list_teams")
def team_detail(request, pk):
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related("sergeant__organisation"),
        pk=pk,
    )
    members = team.members.select_related("organisation").order_by("-is_active", "full_name")
    return render(request, "accounts/team_detail.html", {"team": team, "members": members})


@permission_required("accounts.manage_teams")
def team_create(request):
    return _team_form(request, Team())


@permission_required("accounts.manage_teams")
def team_edit(request, pk):
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    return _team_form(request, team)


def _team_form(request, team):
    form = TeamForm(request.POST or None, instance=team, force=request.user.force)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_save(team=form.instance, by=request.user, request=request)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"{team.name} saved.")
            return redirect(team)
    return render(request, "accounts/team_form.html", {"form": form, "team": team})


@permission_required("accounts.list_organisations")
def organisation_list(request):
    organisations = (
        Organisation.objects.visible_to(request.user)
        .kept_by_force()
        .with_people_count()
        .order_by("name", "pk")
    )
    groups = [
        (kind, [o for o in organisations if o.kind == kind]) for kind in Organisation.KEPT_BY_FORCE
    ]
    return render(request, "accounts/organisation_list.html", {"groups": groups})


def _kept_organisation(request, pk):
    """One of the reader's force's organisations kept on these pages; else a 404."""
    return get_object_or_404(Organisation.objects.visible_to(request.user).kept_by_force(), pk=pk)


@permission_required("accounts.list_organisations")
def organisation_detail(request, pk):
    organisation = _kept_organisation(request, pk)
    people = (
        User.objects.visible_to(request.user)
        .filter(organisation=organisation)
        .order_by("-is_active", "full_name", "pk")
    )
    waiting = (
        Invitation.objects.visible_to(request.user).pending().filter(organisation=organisation)
    )
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "people": people, "waiting": waiting},
    )


@permission_required("accounts.manage_organisations")
def organisation_create(request):
    return _organisation_form(request, Organisation())


@permission_required("accounts.manage_organisations")
def organisation_edit(request, pk):
    return _organisation_form(request, _kept_organisation(request, pk))


def _organisation_form(request, organisation):
    form = OrganisationForm(request.POST or None, instance=organisation, force=request.user.force)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_save(
                organisation=form.instance, by=request.user, request=request
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"{organisation.name} saved.")
            return redirect(organisation)
    return render(
        request, "accounts/organisation_form.html", {"form": form, "organisation": organisation}
    )


@permission_required("accounts.view_audit")
def audit_list(request):
    entries = AuditEntry.objects.visible_to(request.user).select_related(
        "actor__organisation", "target_type"
    )
    if action := request.GET.get("action", "").strip():
        entries = entries.filter(action__startswith=action)
    return render(
        request, "accounts/audit_list.html", {"page": _page(request, entries), "action": action}
    )


@permission_required("accounts.view_audit")
def access_log_list(request):
    entries = AccessLogEntry.objects.visible_to(request.user).select_related(
        "actor__organisation", "target_type"
    )
    return render(request, "accounts/access_log_list.html", {"page": _page(request, entries)})


@permission_required("accounts.view_outbox")
def outbox_list(request):
    emails = (
        OutboxEmail.objects.visible_to(request.user)
        .needing_attention()
        .only("to", "subject", "about_label", "state", "attempts", "last_error", "created")
    )
    return render(request, "accounts/outbox_list.html", {"page": _page(request, emails)})


@require_POST
@permission_required("accounts.view_outbox")
def outbox_resend(request, pk):
    email = get_object_or_404(
        OutboxEmail.objects.visible_to(request.user).needing_attention(), pk=pk
    )
    outbox.outbox_resend(email=email, by=request.user, request=request)
    messages.success(request, f"The email to {email.to} will be sent again.")
    return redirect("accounts:outbox_list")


@login_required
def my_account(request):
    return render(request, "accounts/my_account.html")


@permission_required("accounts.manage_force")
def force_settings(request):
    form = ForceSettingsForm(request.POST or None, instance=request.user.force)
    if request.method == "POST" and form.is_valid():
        services.force_settings_save(force=form.instance, by=request.user, request=request)
        messages.success(request, "The force's settings were saved.")
        return redirect("accounts:force_settings")
    return render(request, "accounts/force_settings.html", {"form": form})


class SignInEmailView(allauth_views.EmailView):
    """Change the address one signs in with (allauth's page, ACCOUNT_CHANGE_EMAIL): the current
    address is recorded as confirmed first, and a new one replaces it only when the link sent
    to it is opened; no address is made the sign-in one by a button."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.sign_in_email_record(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def _action_primary(self, request, *args, **kwargs):
        messages.error(
            request,
            "An email address becomes the one you sign in with only when you open the link "
            "we sent to it.",
        )


sign_in_email = SignInEmailView.as_view()
