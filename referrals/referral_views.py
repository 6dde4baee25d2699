"""Referral pages: the team inbox, making a referral, triage, and the referrer's status view.

Every page here shows a young person's details, so none may be cached (never_cache sends
Cache-Control: no-store) and none carries a name in its URL.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from accounts import audit
from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from accounts.models import SCHOOL_REFERRER_ROLES
from incidents.models import Incident, IncidentPerson
from schools.models import School

from . import casework, services
from .casework_forms import add_consent_questions, consent_answers
from .filters import ReferralFilter
from .forms import AcceptForm, DeclineForm, ReferralForm
from .models import Referral, Source

PAGE_SIZE = 50
INBOX_FIELDS = (
    "public_id",
    "created",
    "thresholds",
    "source",
    "young_person__first_name",
    "young_person__last_name",
    "school__name",
    "case__risk_level",
    "force",
)


def _referral_or_404(request, public_id):
    return get_object_or_404(
        Referral.objects.visible_to(request.user).select_related(
            "young_person",
            "school",
            "referred_by",
            "decided_by",
            "case__officer",
            "case__team",
            "incident",
        ),
        public_id=public_id,
    )


@never_cache
@permission_required("referrals.view_inbox")
def inbox(request):
    """Sergeants and managers: the force's referrals waiting for triage. Officers: their own."""
    user = request.user
    triager = user.has_perm("referrals.triage")
    visible = Referral.objects.visible_to(user)
    if not triager:
        visible = visible.filter(referred_by=user)
    figure = ReferralFilter(request.GET, queryset=visible, user=user)
    if triager and figure.applied:
        # The referrals behind a dashboard figure: references only, no young person named.
        listed = (
            figure.qs.select_related("case")
            .only("public_id", "created", "source", "status", "decided_at", "case__risk_level")
            .order_by("-created", "-pk")
        )
        page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "referrals/referral_list.html",
            {"page": page, "filters": figure, "query": figure.query()},
        )
    # Only what the page shows: not the concern (free text) or the wide school row.
    waiting = visible.waiting().select_related("young_person", "school", "case").only(*INBOX_FIELDS)
    waiting = waiting.by_risk_and_age() if triager else waiting.order_by("created")
    decided = (
        visible.exclude(status=Referral.Status.RECEIVED)
        .only("public_id", "status", "decided_at")
        .order_by("-decided_at")[:20]
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record_accesses(actor=user, targets=page.object_list, action="listed", request=request)
    return render(
        request,
        "referrals/inbox.html",
        {"page": page, "decided": decided, "triager": triager},
    )


@never_cache
@permission_required("referrals.refer")
def referral_create(request):
    """Police refer from the team inbox: any source, any school of the force, or none."""
    return _refer(request, school=None)


@never_cache
@login_required
def referral_create_for_school(request, school_pk):
    """A DSL or headteacher refers a pupil from their school's page."""
    school = get_object_or_404(School.objects.visible_to(request.user), pk=school_pk)
    if not request.user.has_perm("referrals.refer_from_school", school):
        raise PermissionDenied
    return _refer(request, school=school)


@never_cache
@permission_required("referrals.refer")
def referral_create_for_incident(request, public_id):
    """An officer refers a pupil named in an incident into casework, its outcome: the form
    comes filled in from the incident (school, pupil, what happened) and links to it."""
    incident = get_object_or_404(
        Incident.objects.visible_to(request.user).select_related("school", "kind"),
        public_id=public_id,
    )
    if not request.user.has_perm("incidents.handle", incident):
        raise PermissionDenied
    return _refer(request, school=None, incident=incident)


def _initial_from_incident(incident) -> dict:
    """The referral as the incident tells it: its school, its first named pupil (a suspect
    first, then a victim), and what happened."""
    pupils = incident.people.filter(kind=IncidentPerson.Kind.PUPIL, name_not_known=False)
    order = {IncidentPerson.Part.SUSPECT: 0, IncidentPerson.Part.VICTIM: 1}
    pupil = min(pupils, key=lambda p: (order.get(p.part, 2), p.pk), default=None)
    initial = {
        "school": incident.school_id,
        "source": Source.PROACTIVE,
        "concern": f"From incident {incident.reference} at {incident.school.name} "
        f"({incident.kind.name if incident.kind else 'incident'}, "
        f"{incident.occurred_on:%-d %B %Y}): {incident.summary}",
    }
    if pupil is not None:
        initial.update(
            first_name=pupil.first_name, last_name=pupil.last_name, year_group=pupil.year_group
        )
    return initial


def _refer(request, *, school, incident=None):
    """The referral form, with the consent questions every referral asks; from an incident,
    filled in from it and linked to it."""
    initial = _initial_from_incident(incident) if incident is not None else None
    form = ReferralForm(request.POST or None, by=request.user, school=school, initial=initial)
    add_consent_questions(form, force=request.user.force, what="this referral")
    if request.method == "POST" and form.is_valid() and (consent := consent_answers(form)):
        try:
            referral = casework.referral_receive_with_consent(
                by=request.user,
                request=request,
                consent=consent,
                incident=incident,
                **form.referral_fields,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            made = f"made from incident {incident.reference}" if incident else "sent"
            messages.success(
                request,
                f"Referral {referral.reference} {made}. The team's sergeant will accept or "
                "decline it, and you will be told which.",
            )
            return redirect(referral)
    if incident is not None:
        audit.record_access(actor=request.user, target=incident, request=request)
    context = {"form": form, "school": school, "incident": incident}
    return render(request, "referrals/referral_form.html", context)


@never_cache
@login_required
def referral_detail(request, public_id):
    """The referral as police see it, or, for the referring school, its status only."""
    referral = _referral_or_404(request, public_id)
    user = request.user
    audit.record_access(actor=user, target=referral, request=request)
    if user.role in SCHOOL_REFERRER_ROLES:
        share = None if referral.made_by_school else referral.school_shares.active().first()
        return render(
            request, "referrals/referral_status.html", {"referral": referral, "share": share}
        )
    can_triage = user.has_perm("referrals.triage", referral)
    context = {"referral": referral, "can_triage": can_triage}
    if can_triage and referral.status == Referral.Status.RECEIVED:
        context.update(_triage_forms(referral))
    return render(request, "referrals/referral_detail.html", context)


def _triage_forms(referral, data=None, decision=None):
    initial = {}
    if referral.case_id:  # joined an open case: start from its risk and allocation
        initial = {
            "risk_level": referral.case.risk_level,
            "team": referral.case.team_id,
            "officer": referral.case.officer_id,
        }
    forms = {
        "accept_form": AcceptForm(
            data if decision == "accept" else None,
            force=referral.force,
            initial=initial,
            prefix="accept",
        ),
        "decline_form": DeclineForm(data if decision == "decline" else None, prefix="decline"),
    }
    for form in forms.values():
        form.helper.form_tag = False  # the page wraps each in its own form with the decision
    return forms


@never_cache
@permission_required("referrals.triage")
def referral_triage(request, public_id):
    """A sergeant accepts (risk, team, officer) or declines (reason, signposting)."""
    referral = _referral_or_404(request, public_id)
    if not request.user.has_perm("referrals.triage", referral):
        raise PermissionDenied
    if referral.status != Referral.Status.RECEIVED:
        messages.info(request, "This referral has already been decided.")
        return redirect(referral)
    if request.method != "POST":
        return redirect(referral)
    decision = request.POST.get("decision")
    forms = _triage_forms(referral, request.POST, decision)
    form = forms.get(f"{decision}_form")
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if decision == "accept":
                case = services.referral_accept(
                    referral=referral,
                    by=request.user,
                    risk_level=data["risk_level"],
                    team=data["team"],
                    officer=data["officer"],
                    request=request,
                )
                messages.success(
                    request,
                    f"Referral accepted. Case {case.reference} is allocated to "
                    f"{case.officer.display_name}.",
                )
                # Allocated to another team, the case is theirs to see, not the sergeant's.
                if request.user.has_perm("referrals.view_case", case):
                    return redirect(case)
                return redirect("referrals:inbox")
            services.referral_decline(
                referral=referral,
                by=request.user,
                reason=data["decline_reason"],
                signposted_to=data["signposted_to"],
                request=request,
            )
            messages.success(request, "Referral declined. The referrer will be told.")
            return redirect("referrals:inbox")
        except ValidationError as error:
            add_validation_errors(form, error)
    context = {"referral": referral, "can_triage": True, **forms}
    audit.record_access(actor=request.user, target=referral, request=request)
    return render(request, "referrals/referral_detail.html", context, status=200)
