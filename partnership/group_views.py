"""Pages of the steering and management groups: members, terms of reference, meetings."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from accounts.models import User
from schools.models import School

from . import groups
from .forms import (
    GroupForm,
    MeetingActionForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    SignTermsForm,
    TermsForm,
)
from .models import Group, Meeting, MeetingAction

GROUPS_A_PAGE = 50


def _posted(request):
    return request.POST if request.method == "POST" else None


def _group_or_404(request, pk):
    return get_object_or_404(Group.objects.visible_to(request.user).select_related("school"), pk=pk)


def _meeting_or_404(request, pk):
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("group__school"), pk=pk
    )


@permission_required("partnership.view_groups")
def group_list(request):
    # The steering group first, then the schools' groups by name, a page at a time.
    groups_seen = (
        Group.objects.visible_to(request.user)
        .select_related("school")
        .order_by("-kind", "name", "pk")
    )
    page = Paginator(groups_seen, GROUPS_A_PAGE).get_page(request.GET.get("page"))
    missing = (
        groups.schools_needing_a_management_group(request.user.force_id)[:50]
        if request.user.has_perm("partnership.manage_groups")
        else []
    )
    return render(request, "partnership/group_list.html", {"page": page, "missing": missing})


@permission_required("partnership.manage_groups")
def group_create(request):
    schools = School.objects.visible_to(request.user).open().order_by("name")
    initial = {}
    if request.GET.get("school", "").isdigit():
        school = schools.filter(pk=request.GET["school"]).first()
        if school:
            initial = {
                "kind": "management",
                "school": school.pk,
                "name": f"{school.name} management group",
            }
    form = GroupForm(_posted(request), schools=schools, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            group = groups.group_create(
                force=request.user.force, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"{group.name} is set up. Add its members.")
            return redirect(group)
    return render(request, "partnership/group_form.html", {"form": form, "title": "Set up a group"})


def _group_page(request, group, *, sign_form=None):
    version = group.current_terms()
    members = list(group.members.select_related("user__organisation"))
    signed = {s.user_id: s for s in version.signatures.all()} if version else {}
    earlier = set(group.terms_signatures.exclude(version=version).values_list("user_id", flat=True))
    for member in members:
        member.signature = signed.get(member.user_id)
        member.signed_earlier = member.user_id in earlier
    mine = next((m for m in members if m.user_id == request.user.pk), None)
    if sign_form is None and mine and not mine.signature:
        sign_form = SignTermsForm(initial={"version": getattr(version, "number", None)})
    if sign_form is not None:
        sign_form.helper.form_action = reverse("partnership:group_sign", args=[group.pk])
    return render(
        request,
        "partnership/group_detail.html",
        {
            "group": group,
            "version": version,
            "members": members,
            "sign_form": sign_form if mine and not mine.signature else None,
            "sign_errors": sign_form if sign_form is not None and sign_form.errors else None,
            "meetings": group.meetings.all()[:20],
            "can_manage": request.user.has_perm("partnership.manage_groups", group),
        },
    )


@permission_required("partnership.view_groups")
def group_detail(request, pk):
    return _group_page(request, _group_or_404(request, pk))


@permission_required("partnership.manage_groups")
def group_terms_edit(request, pk):
    group = _group_or_404(request, pk)
    form = TermsForm(_posted(request), initial={"text": group.terms_of_reference})
    if request.method == "POST" and form.is_valid():
        try:
            version = groups.terms_change(
                group=group, text=form.cleaned_data["text"], by=request.user, request=request
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, f"Version {version.number} saved. Members are asked to sign it."
            )
            return redirect(group)
    return render(
        request,
        "partnership/group_form.html",
        {"form": form, "title": "Change the terms of reference", "group": group},
    )


@permission_required("partnership.manage_groups")
def group_member_add(request, pk):
    group = _group_or_404(request, pk)
    form = MemberForm(_posted(request), school=group.school, force_id=group.force_id)
    if request.method == "POST" and form.is_valid():
        try:
            user = User.objects.visible_to(request.user).get(pk=form.cleaned_data["user"])
            groups.member_add(
                group=group,
                user=user,
                by=request.user,
                request=request,
                role_in_group=form.cleaned_data["role_in_group"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"{user.display_name} added to the group.")
            return redirect(group)
    return render(
        request,
        "partnership/group_form.html",
        {"form": form, "title": "Add a member", "group": group},
    )


@require_POST
@permission_required("partnership.view_groups")
def group_sign(request, pk):
    group = _group_or_404(request, pk)
    if not group.members.filter(user=request.user).exists():
        raise PermissionDenied
    form = SignTermsForm(request.POST)
    if form.is_valid():
        try:
            groups.terms_sign(
                group=group,
                by=request.user,
                request=request,
                typed_name=form.cleaned_data["typed_name"],
                confirmed=form.cleaned_data["confirmed"],
                version_number=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "You have signed the terms of reference.")
            return redirect(group)
    return _group_page(request, group, sign_form=form)


@permission_required("partnership.manage_groups")
def meeting_create(request, pk):
    group = _group_or_404(request, pk)
    form = MeetingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        starts_at = timezone.make_aware(
            datetime.datetime.combine(form.cleaned_data["on"], form.cleaned_data["at"])
        )
        meeting = groups.meeting_schedule(
            group=group,
            starts_at=starts_at,
            by=request.user,
            location=form.cleaned_data["location"],
            request=request,
        )
        messages.success(request, "Meeting scheduled and invitations sent.")
        return redirect(meeting)
    return render(
        request,
        "partnership/group_form.html",
        {"form": form, "title": "Schedule a meeting", "group": group},
    )


@permission_required("partnership.view_groups")
def meeting_detail(request, pk):
    meeting = _meeting_or_404(request, pk)
    can_manage = request.user.has_perm("partnership.manage_groups", meeting.group)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = MinutesForm(
        _posted(request), initial={"minutes": meeting.minutes, "decisions": meeting.decisions}
    )
    if request.method == "POST" and form.is_valid():
        groups.meeting_record(
            meeting=meeting, by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, "Minutes saved.")
        return redirect(meeting)
    return render(
        request,
        "partnership/meeting_detail.html",
        {
            "meeting": meeting,
            "actions": meeting.actions.select_related("owner"),
            "form": form if can_manage else None,
            "can_manage": can_manage,
        },
    )


@permission_required("partnership.manage_groups")
def meeting_action_add(request, pk):
    meeting = _meeting_or_404(request, pk)
    form = MeetingActionForm(_posted(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            owner = User.objects.visible_to(request.user).get(pk=data["owner"])
            groups.meeting_action_add(
                meeting=meeting,
                description=data["description"],
                owner=owner,
                due_on=data["due_on"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Action added to {owner.display_name}'s list.")
            return redirect(meeting)
    return render(
        request,
        "partnership/group_form.html",
        {"form": form, "title": "Add an action", "group": meeting.group},
    )


@permission_required("partnership.view_groups")
def meeting_ics(request, pk):
    meeting = _meeting_or_404(request, pk)
    response = HttpResponse(groups.ics_for(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@require_POST
@permission_required("partnership.view_groups")
def meeting_action_done(request, pk):
    action = get_object_or_404(MeetingAction.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("partnership.close_meeting_action", action):
        raise PermissionDenied
    groups.meeting_action_done(action=action, by=request.user, request=request)
    messages.success(request, "Action marked as done.")
    return redirect("partnership:my_actions")
