"""Multi-agency panel pages, and the actions people outside the police own.

A panel's members read the cases on its agenda through the case page itself
(CaseQuerySet.narrow lets them, in the meeting's window; the case page logs each view with
the meeting as its reason). These pages set up the meeting, its members and agenda, record
attendance and decisions, and let an owner at a school or agency update their actions
without ever seeing the case.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors

from . import panel_services
from .models import Action, Case, PanelMeeting
from .panel_forms import (
    AttendanceForm,
    DecisionForm,
    OwnerUpdateForm,
    PanelActionForm,
    PanelCaseForm,
    PanelMeetingForm,
    PanelMemberForm,
)

RUN = "referrals.run_panels"
FORM = "referrals/panels/form.html"


def _meeting(request, panel_id, perm=None):
    """The meeting if the user may see it (else 404), and may do `perm` with it (else 403)."""
    meeting = get_object_or_404(
        PanelMeeting.objects.visible_to(request.user).select_related("force"),
        public_id=panel_id,
    )
    if perm and not request.user.has_perm(perm, meeting):
        raise PermissionDenied
    return meeting


def _agenda_item(request, panel_id, item_pk):
    """A case on the agenda of a meeting the user runs, which they hold (and so may change)."""
    meeting = _meeting(request, panel_id, RUN)
    item = get_object_or_404(
        meeting.agenda.select_related("case__young_person__school", "case__force"), pk=item_pk
    )
    if not request.user.has_perm("referrals.work_case", item.case):
        raise PermissionDenied
    return meeting, item


@never_cache
@permission_required("referrals.list_panels")
def panel_list(request):
    meetings = (
        PanelMeeting.objects.visible_to(request.user)
        .annotate(
            agenda_count=Count("agenda", distinct=True),
            member_count=Count("members", distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    return render(request, "referrals/panels/list.html", {"page": page})


@never_cache
@permission_required(RUN)
def panel_create(request):
    force = request.user.force
    form = PanelMeetingForm(request.POST or None, force=force)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = panel_services.panel_create(
                force=force,
                by=request.user,
                title=data["title"],
                starts_at=data["starts_at"],
                place=data["place"],
                access_days_before=data["access_days_before"],
                access_days_after=data["access_days_after"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Panel meeting set up. Add its members and cases.")
            return redirect(meeting)
    return render(request, FORM, {"form": form, "title": "Set up a multi-agency panel meeting"})


@never_cache
@permission_required("referrals.list_panels")
def panel_detail(request, panel_id):
    """The meeting: when, where, who, and (to those who run it, or to members in the window)
    the cases on its agenda by reference, each logged as listed."""
    meeting = _meeting(request, panel_id)
    user = request.user
    runs = user.has_perm(RUN, meeting)
    members = list(meeting.members.select_related("user__organisation"))
    items = []
    if runs or meeting.window_open():
        items = list(
            meeting.agenda.select_related("case__young_person__school", "decision__author")
        )
        readable = set(
            Case.objects.visible_to(user)
            .filter(pk__in=[item.case_id for item in items])
            .values_list("pk", flat=True)
        )
        # Who runs the meeting records decisions and actions on the cases they hold.
        workable = set()
        if runs:
            workable = set(
                Case.objects.visible_to(user)
                .held_by(user)
                .open()
                .filter(pk__in=[item.case_id for item in items])
                .values_list("pk", flat=True)
            )
        for item in items:
            item.readable = item.case_id in readable
            item.workable = item.case_id in workable
        audit.record_accesses(
            actor=user,
            targets=[item.case for item in items],
            action="listed on a panel agenda",
            request=request,
        )
    context = {"meeting": meeting, "members": members, "items": items, "runs": runs}
    return render(request, "referrals/panels/detail.html", context)


@never_cache
@permission_required("referrals.list_panels")
def panel_member_add(request, panel_id):
    meeting = _meeting(request, panel_id, RUN)
    form = PanelMemberForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            panel_services.panel_add_member(
                meeting=meeting, by=request.user, user=form.cleaned_data["user"], request=request
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['user'].display_name} added.")
            return redirect(meeting)
    return render(request, FORM, {"form": form, "title": "Add a member", "meeting": meeting})


@never_cache
@require_POST
@permission_required("referrals.list_panels")
def panel_member_remove(request, panel_id, member_pk):
    meeting = _meeting(request, panel_id, RUN)
    member = get_object_or_404(meeting.members.select_related("user"), pk=member_pk)
    panel_services.panel_remove_member(member=member, by=request.user, request=request)
    messages.success(request, f"{member.user.display_name} is no longer a member.")
    return redirect(meeting)


@never_cache
@permission_required("referrals.list_panels")
def panel_case_add(request, panel_id):
    meeting = _meeting(request, panel_id, RUN)
    form = PanelCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        case = form.cleaned_data["reference"]
        try:
            panel_services.panel_add_case(
                meeting=meeting, by=request.user, case=case, request=request
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Case {case.reference} added to the agenda.")
            return redirect(meeting)
    intro = (
        "Members read the cases on the agenda, and only those, from "
        f"{meeting.access_from:%d %B %Y %H:%M} until {meeting.access_until:%d %B %Y %H:%M}."
    )
    return render(
        request,
        FORM,
        {"form": form, "title": "Add a case to the agenda", "meeting": meeting, "intro": intro},
    )


@never_cache
@permission_required("referrals.list_panels")
def panel_attendance(request, panel_id):
    meeting = _meeting(request, panel_id, RUN)
    members = list(meeting.members.select_related("user"))
    form = AttendanceForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            panel_services.panel_record_attendance(
                meeting=meeting,
                by=request.user,
                attended=set(form.cleaned_data["attended"]),
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Attendance saved.")
            return redirect(meeting)
    return render(request, FORM, {"form": form, "title": "Who attended", "meeting": meeting})


@never_cache
@permission_required("referrals.list_panels")
def panel_decision(request, panel_id, item_pk):
    meeting, item = _agenda_item(request, panel_id, item_pk)
    form = DecisionForm(request.POST or None, initial={"risk_level": item.case.risk_level})
    if request.method == "POST" and form.is_valid():
        panel_services.panel_record_decision(
            item=item, by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, f"Decision on case {item.case.reference} added to its log.")
        return redirect(meeting)
    context = {"form": form, "title": f"Decision on case {item.case.reference}", "meeting": meeting}
    return render(request, FORM, context)


@never_cache
@permission_required("referrals.list_panels")
def panel_action_add(request, panel_id, item_pk):
    meeting, item = _agenda_item(request, panel_id, item_pk)
    form = PanelActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            panel_services.panel_add_action(
                item=item, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Action added to case {item.case.reference}.")
            return redirect(meeting)
    context = {
        "form": form,
        "title": f"Action agreed for case {item.case.reference}",
        "meeting": meeting,
    }
    return render(request, FORM, context)


@never_cache
@permission_required("referrals.view_my_actions")
def my_actions(request):
    """The actions this person (at a school or partner agency) owns: what, when, which
    school, the case's reference; never the young person or the case."""
    actions = (
        Action.objects.visible_to(request.user)
        .owned_by(request.user)
        .select_related("case__young_person__school")
        .order_by("status", "due_on", "pk")
    )
    page = Paginator(actions, 50).get_page(request.GET.get("page"))
    audit.record_accesses(
        actor=request.user, targets=page.object_list, action="listed as its owner", request=request
    )
    return render(request, "referrals/panels/my_actions.html", {"page": page})


@never_cache
@permission_required("referrals.view_my_actions")
def my_action_update(request, action_pk):
    action = get_object_or_404(
        Action.objects.visible_to(request.user)
        .owned_by(request.user)
        .select_related("case__young_person__school"),
        pk=action_pk,
    )
    if not request.user.has_perm("referrals.update_owned_action", action):
        raise PermissionDenied
    form = OwnerUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        panel_services.action_owner_update(
            action=action, by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, "Update saved. The case's officer can read it.")
        return redirect("referrals:my_actions")
    audit.record_access(actor=request.user, target=action, reason="its owner", request=request)
    return render(request, "referrals/panels/action_update.html", {"form": form, "action": action})
