"""Case pages. Need-to-know, logged: every page that shows a case writes an access entry.

A case outside the user's force (or any case, for school staff and partners) is a 404.
A case of the force that is not the user's is a 403; an officer may then type the reason
they need to see it, and reads it for the next 30 minutes with every view logged with that
reason. Pages are never cached, and URLs carry the case's random id, never a name.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from accounts.models import AccessLogEntry, AuditEntry

from . import casework, services
from .casework_forms import add_consent_questions, consent_answers
from .export import render_subject_access_pdf
from .filters import STATUSES, CaseFilter
from .forms import (
    ActionForm,
    AllocationForm,
    CaseSearchForm,
    CloseForm,
    CorrectionForm,
    LegalHoldForm,
    LogEntryForm,
    MergeForm,
    ReasonForm,
    RiskForm,
    SchoolShareForm,
    ShareForm,
)
from .models import (
    Action,
    Case,
    CaseLogEntry,
    PanelMeeting,
    ReferralShare,
    YoungPerson,
)
from .rules import remember_access

PAGE_SIZE = 50
SEARCH_LIMIT = 50
REASON_LASTS = datetime.timedelta(minutes=30)
_SESSION_KEY = "referrals.case_reasons"

VIEW, WORK = "referrals.view_case", "referrals.work_case"


def _given_reason(request, case):
    """Return the reason this session gave to open a case not theirs, while it lasts."""
    given = request.session.get(_SESSION_KEY, {}).get(str(case.public_id))
    if not given:
        return None
    if datetime.datetime.fromisoformat(given["until"]) < timezone.now():
        return None
    return given["reason"]


CASE_LIST_FIELDS = (
    "public_id",
    "status",
    "risk_level",
    "opened_on",
    "young_person__first_name",
    "young_person__last_name",
    "officer__full_name",
    "officer__email",
    "officer__rank",
    "officer__collar_number",
    "team__name",
    "force",
)


def _case(request, public_id, perm=VIEW):
    """Return the case for this request, or 404/403. Pages showing it log through _case_page."""
    case = get_object_or_404(
        Case.objects.known_to(request.user).select_related(
            "young_person__school", "team__sergeant", "officer", "force"
        ),
        public_id=public_id,
    )
    if not request.user.has_perm(perm, case):
        raise PermissionDenied
    return case


def _case_page(request, case, template, context, *, reason=""):
    """Render a page that shows the case's young person, and log the view.

    Every page that names the young person renders through here, on a GET and when a form is
    shown again after a POST, so no view of them goes unlogged.
    """
    audit.record_access(actor=request.user, target=case, reason=reason, request=request)
    return render(request, template, {"case": case, "person": case.young_person, **context})


@never_cache
@permission_required("referrals.list_cases")
def case_list(request):
    """The cases the user may see, filtered; search by name goes in a POST so no name lands
    in a URL."""
    cases = Case.objects.visible_to(request.user).select_related("young_person", "officer", "team")
    filters = CaseFilter(request.GET, queryset=cases.only(*CASE_LIST_FIELDS), user=request.user)
    search = CaseSearchForm(request.POST or None)
    words = search.cleaned_data["q"].strip() if search.is_valid() else ""
    if words:
        page = Paginator(
            filters.qs.named(words).flagged_first()[:SEARCH_LIMIT], SEARCH_LIMIT
        ).get_page(1)
    else:
        page = Paginator(filters.qs.flagged_first(), PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_accesses(
        actor=request.user,
        targets=page.object_list,
        action="found by a name search" if words else "listed",
        request=request,
    )
    context = {"page": page, "form": search, "filters": filters, "searched": bool(words)}
    context.update(query=filters.query(), statuses=STATUSES)
    return render(request, "referrals/case_list.html", context)


@never_cache
@login_required
def case_detail(request, public_id):
    user = request.user
    case = get_object_or_404(
        Case.objects.known_to(user)
        .with_access_of(user)
        .with_safeguards_present()
        .select_related("young_person__school", "team__sergeant", "officer", "force"),
        public_id=public_id,
    )
    remember_access(user, case)
    reason = None
    if not user.has_perm(VIEW, case):
        reason = (
            _given_reason(request, case)
            if user.has_perm("referrals.open_with_reason", case)
            else None
        )
        if reason is None:
            may_give = user.has_perm("referrals.open_with_reason", case)
            return render(
                request,
                "referrals/case_not_yours.html",
                {"case_public_id": case.public_id, "may_give_reason": may_give},
                status=403,
            )
    panel_meeting = None
    if reason is None and not user.has_perm("referrals.hold_case", case):
        # Read through a panel's agenda: read-only, and logged with the meeting as the reason.
        panel_meeting = PanelMeeting.objects.visible_to(user).granting(user, case).first()
        reason = panel_meeting.access_reason if panel_meeting else None
    context = _case_context(case, reason_given=None if panel_meeting else reason)
    context["panel_meeting"] = panel_meeting
    return _case_page(request, case, "referrals/case_detail.html", context, reason=reason or "")


def _case_context(case, *, reason_given):
    """What the case page shows: the log, actions, risk history, referrals and shares."""
    today = timezone.localdate()
    return {
        "reason_given": reason_given,
        "entries": list(case.log_entries.timeline()),
        "actions": list(
            case.actions.select_related("owner_user").order_by("status", "due_on", "pk")
        ),
        "risk_history": list(case.risk_assessments.select_related("assessed_by")),
        "referrals": _referrals_with_school_shares(case),
        "shares": list(case.shares.active().select_related("user", "shared_by")),
        "today": today,
        "age": case.young_person.age_on(today),
        "officer_kinds": CaseLogEntry.OFFICER_KINDS,
    }


def _referrals_with_school_shares(case):
    """The case's referrals, each with its active share with the school (or None)."""
    referrals = list(case.referrals.select_related("referred_by", "school").order_by("created"))
    shares = {
        share.referral_id: share
        for share in ReferralShare.objects.active()
        .filter(referral__case=case)
        .select_related("shared_by", "school")
    }
    for referral in referrals:
        referral.school_share = shares.get(referral.pk)
    return referrals


@never_cache
@login_required
def case_reason(request, public_id):
    """An officer types why they need a case not allocated to them; the reason is logged."""
    case = get_object_or_404(Case.objects.known_to(request.user), public_id=public_id)
    if request.user.has_perm(VIEW, case):
        return redirect(case)
    if not request.user.has_perm("referrals.open_with_reason", case):
        raise PermissionDenied
    form = ReasonForm(
        request.POST or None,
        label="Why do you need to see this case?",
        help_text="This case is not allocated to you or your team. Your name, the time and "
        "this reason are recorded, and prevention managers read them.",
        submit_label="Open the case",
    )
    if request.method == "POST" and form.is_valid():
        reasons = request.session.get(_SESSION_KEY, {})
        reasons[str(case.public_id)] = {
            "reason": form.cleaned_data["reason"],
            "until": (timezone.now() + REASON_LASTS).isoformat(),
        }
        request.session[_SESSION_KEY] = reasons
        audit.record(
            "referrals.case.opened_with_reason", actor=request.user, target=case, request=request
        )
        return redirect(case)
    return render(
        request, "referrals/case_reason.html", {"form": form, "case_public_id": case.public_id}
    )


def _form_page(
    request, case, form, *, title, intro="", template="referrals/case_form.html", **extra
):
    return _case_page(
        request, case, template, {"form": form, "title": title, "intro": intro, **extra}
    )


def _valid_log_entry(form):
    """A log entry is valid; information shared also answers the consent questions, which
    other kinds leave unanswered."""
    form.consent = None
    if not form.is_valid():
        return False
    if form.cleaned_data["kind"] != CaseLogEntry.Kind.INFORMATION_SHARED:
        return True
    form.consent = consent_answers(form)
    return form.consent is not None


@never_cache
@login_required
def log_entry_create(request, public_id):
    case = _case(request, public_id, WORK)
    form = LogEntryForm(request.POST or None)
    add_consent_questions(form, force=case.force, what="the information shared", required=False)
    if request.method == "POST" and _valid_log_entry(form):
        data = dict(form.cleaned_data)
        fields = {k: v for k, v in data.items() if not k.startswith("consent_")}
        try:
            casework.case_log_add_with_consent(
                case=case, by=request.user, request=request, consent=form.consent, **fields
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Added to the case log.")
            return redirect(case)
    return _form_page(request, case, form, title="Add to the case log")


@never_cache
@login_required
def log_entry_correct(request, public_id, entry_pk):
    """A correction is a new entry pointing at the one it corrects; the old one stays."""
    case = _case(request, public_id, WORK)
    entry = get_object_or_404(
        case.log_entries.filter(kind__in=CaseLogEntry.OFFICER_KINDS), pk=entry_pk
    )
    initial = {
        name: getattr(entry, name)
        for name in ("kind", "summary", "shared_what", "shared_with", "shared_basis", "occurred_on")
    }
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_log_add(
                case=case, by=request.user, corrects=entry, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Correction added. The original entry stays in the log.")
            return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Correct a log entry",
        intro="The entry below stays in the log as it was. Your correction is added as a new "
        "entry that points back to it.",
        corrected=entry,
    )


@never_cache
@login_required
def action_create(request, public_id):
    case = _case(request, public_id, WORK)
    form = ActionForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(
                case=case,
                by=request.user,
                request=request,
                term=data["term"],
                description=data["description"],
                owner_kind=data["owner_kind"],
                owner_user=data.get("owner_user"),
                owner_name=data.get("owner_name") or "",
                due_on=data["due_on"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Action added to the plan.")
            return redirect(f"{case.get_absolute_url()}#action-plan")
    return _form_page(request, case, form, title="Add an action")


@never_cache
@require_POST
@login_required
def action_update(request, public_id, action_pk):
    case = _case(request, public_id, WORK)
    action = get_object_or_404(case.actions.all(), pk=action_pk)
    do = request.POST.get("do")
    status = {
        "reviewed": Action.Status.OPEN,
        "done": Action.Status.DONE,
        "cancelled": Action.Status.CANCELLED,
        "reopen": Action.Status.OPEN,
    }.get(do)
    if status is None:
        messages.error(request, "Choose what to record about the action.")
    else:
        services.action_update(
            action=action,
            by=request.user,
            status=status,
            reviewed=do == "reviewed",
            request=request,
        )
        messages.success(
            request,
            {
                "reviewed": "Review recorded. The next is due in a month.",
                "done": "Action marked as done.",
                "cancelled": "Action marked as no longer needed.",
                "reopen": "Action reopened.",
            }[do],
        )
    return redirect(f"{case.get_absolute_url()}#action-plan")


@never_cache
@login_required
def case_risk(request, public_id):
    case = _case(request, public_id, WORK)
    form = RiskForm(request.POST or None, initial={"level": case.risk_level})
    if request.method == "POST" and form.is_valid():
        services.case_reassess_risk(
            case=case, by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, "Risk level saved. The history keeps the earlier assessments.")
        return redirect(case)
    return _form_page(request, case, form, title="Re-assess the risk")


@never_cache
@login_required
def case_allocate(request, public_id):
    case = _case(request, public_id, "referrals.allocate_case")
    form = AllocationForm(
        request.POST or None,
        force=case.force,
        initial={"team": case.team_id, "officer": case.officer_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_allocate(case=case, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Allocated to {form.cleaned_data['officer'].display_name}.")
            return redirect(case)
    return _form_page(request, case, form, title="Allocate the case")


@never_cache
@login_required
def case_share(request, public_id):
    case = _case(request, public_id, "referrals.share_case")
    form = ShareForm(request.POST or None, case=case)
    add_consent_questions(form, force=case.force, what="sharing the case")
    if request.method == "POST" and form.is_valid() and (consent := consent_answers(form)):
        try:
            casework.case_share_with_consent(
                case=case,
                by=request.user,
                request=request,
                user=form.cleaned_data["user"],
                reason=form.cleaned_data["reason"],
                consent=consent,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Shared with {form.cleaned_data['user'].display_name}.")
            return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Share the case with an officer",
        intro="The allocated officer, their team and sergeant, and prevention managers already "
        "see this case. Share it with someone else only when they need it.",
    )


@never_cache
@require_POST
@login_required
def share_revoke(request, public_id, share_pk):
    case = _case(request, public_id, "referrals.share_case")
    share = get_object_or_404(case.shares.active(), pk=share_pk)
    services.case_unshare(share=share, by=request.user, request=request)
    messages.success(request, f"No longer shared with {share.user.display_name}.")
    return redirect(case)


@never_cache
@login_required
def case_close(request, public_id):
    case = _case(request, public_id, "referrals.close_case")
    if casework.closure_needs_approval(case, request.user):
        return redirect("referrals:closure_request", case.public_id)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.case_close(
            case=case,
            by=request.user,
            outcome=form.cleaned_data["outcome"],
            summary=form.cleaned_data["summary"],
            request=request,
        )
        messages.success(request, "Case closed. The referring school sees that it is closed.")
        return redirect(case)
    return _form_page(request, case, form, title="Close the case")


@never_cache
@login_required
def case_reopen(request, public_id):
    case = _case(request, public_id, "referrals.reopen_case")
    form = ReasonForm(
        request.POST or None, label="Why is the case reopened?", submit_label="Reopen the case"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(
                case=case, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Case reopened.")
            return redirect(case)
    return _form_page(request, case, form, title="Reopen the case")


@never_cache
@login_required
def case_legal_hold(request, public_id):
    case = _case(request, public_id, "referrals.manage_records")
    form = LegalHoldForm(
        request.POST or None, initial={"hold": case.legal_hold, "reason": case.legal_hold_reason}
    )
    if request.method == "POST" and form.is_valid():
        services.case_set_legal_hold(
            case=case,
            by=request.user,
            hold=form.cleaned_data["hold"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
        messages.success(request, "Legal hold saved.")
        return redirect(case)
    return _form_page(
        request,
        case,
        form,
        title="Legal hold",
        intro="A case on legal hold is left off the retention review until the hold is lifted.",
    )


@never_cache
@login_required
def case_access_log(request, public_id):
    """Managers: who viewed, changed, exported or disclosed from this case, and why."""
    case = _case(request, public_id, "referrals.manage_records")
    views = AccessLogEntry.objects.for_object(case).select_related("actor", "target_type")
    changes = AuditEntry.objects.for_object(case).select_related("actor", "target_type")
    return _case_page(
        request,
        case,
        "referrals/case_access_log.html",
        {
            "views": Paginator(views, 100).get_page(request.GET.get("views")),
            "changes": Paginator(changes, 100).get_page(request.GET.get("changes")),
        },
    )


@never_cache
@login_required
def young_person_merge(request, public_id):
    """A sergeant folds a duplicate record of the case's young person into it."""
    case = _case(request, public_id, "referrals.allocate_case")
    if not request.user.has_perm("referrals.merge_people", case):
        raise PermissionDenied
    person = case.young_person
    candidates = list(
        YoungPerson.objects.visible_to(request.user)
        .filter(
            Q(date_of_birth=person.date_of_birth)
            | Q(last_name__iexact=person.last_name)
            | Q(first_name__iexact=person.first_name, school=person.school_id)
        )
        .exclude(pk=person.pk)
        .select_related("school")
        .order_by("last_name", "first_name")[:20]
    )
    form = MergeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.young_person_merge(
                keep=person,
                duplicate=form.cleaned_data["duplicate"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Records merged. The duplicate record no longer exists.")
            return redirect(case)
    audit.record_accesses(
        actor=request.user,
        targets=candidates,
        action="listed as a possible duplicate",
        request=request,
    )
    return _form_page(
        request,
        case,
        form,
        title="Merge a duplicate record",
        intro="Records with the same date of birth or name. The chosen record's referrals and "
        "cases move to this young person and the duplicate is deleted. This is logged.",
        candidates=candidates,
        merging=True,
    )


@never_cache
@require_POST
@login_required
def subject_access_export(request, public_id):
    """A manager downloads everything held about the case's young person, as a PDF; logged."""
    case = _case(request, public_id, "referrals.manage_records")
    person = case.young_person
    pdf = render_subject_access_pdf(person, by=request.user)
    for held in person.cases.all():
        audit.record_access(actor=request.user, target=held, action="exported", request=request)
    audit.record_access(actor=request.user, target=person, action="exported", request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{person.public_id.hex[:8]}.pdf"'
    )
    return response


@never_cache
@permission_required("referrals.manage_records")
def retention_review(request):
    """Closed cases whose young person has reached 25 and are not on legal hold."""
    cases = (
        Case.objects.visible_to(request.user)
        .due_for_retention_review()
        .select_related("young_person", "officer")
        .order_by("young_person__date_of_birth", "pk")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_accesses(
        actor=request.user, targets=page.object_list, action="listed", request=request
    )
    return render(request, "referrals/retention_review.html", {"page": page})


@never_cache
@login_required
def case_delete(request, public_id):
    """A manager deletes a case due for retention review; the audit keeps only ids."""
    case = _case(request, public_id, "referrals.manage_records")
    if (
        not Case.objects.known_to(request.user)
        .due_for_retention_review()
        .filter(pk=case.pk)
        .exists()
    ):
        messages.error(
            request,
            "Only a closed case on the retention review list, not on legal hold, can be deleted.",
        )
        return redirect(case)
    if request.method == "POST":
        services.case_delete_for_retention(case=case, by=request.user, request=request)
        messages.success(request, f"Case {case.reference} and what it held have been deleted.")
        return redirect("referrals:retention_review")
    return _case_page(request, case, "referrals/case_delete.html", {})


@never_cache
@login_required
def referral_share_with_school(request, public_id, referral_public_id):
    """An officer lets the young person's school see a referral it did not make, with a reason."""
    case = _case(request, public_id, "referrals.share_with_school")
    referral = get_object_or_404(
        case.referrals.select_related("school"), public_id=referral_public_id
    )
    if referral.school_id is None or referral.made_by_school:
        messages.info(
            request,
            "The school made this referral and already sees it."
            if referral.school_id
            else "This referral names no school to share it with.",
        )
        return redirect(f"{case.get_absolute_url()}#referrals")
    form = SchoolShareForm(request.POST or None)
    add_consent_questions(form, force=case.force, what="sharing the referral with the school")
    if request.method == "POST" and form.is_valid() and (consent := consent_answers(form)):
        try:
            casework.referral_share_with_consent(
                referral=referral,
                by=request.user,
                request=request,
                reason=form.cleaned_data["reason"],
                consent=consent,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, f"Referral {referral.reference} shared with the school.")
            return redirect(f"{case.get_absolute_url()}#referrals")
    return _form_page(
        request,
        case,
        form,
        title="Share a referral with the school",
        intro=f"Referral {referral.reference} did not come from {referral.school.name}, so its "
        "staff do not see it. Once shared, the school's DSL and headteacher see its status, "
        "thresholds and who referred, until you stop sharing. Your reason is kept in the case's "
        "access log.",
    )


@never_cache
@require_POST
@login_required
def referral_unshare_with_school(request, public_id, share_pk):
    case = _case(request, public_id, "referrals.share_with_school")
    share = get_object_or_404(
        ReferralShare.objects.active().filter(referral__case=case).select_related("referral"),
        pk=share_pk,
    )
    services.referral_unshare_with_school(share=share, by=request.user, request=request)
    messages.success(
        request, f"Referral {share.referral.reference} no longer shared with the school."
    )
    return redirect(f"{case.get_absolute_url()}#referrals")
