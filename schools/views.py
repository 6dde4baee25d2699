"""Pages of the school register: the list, the school page, contacts and named contacts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, FilteredRelation, OuterRef, Prefetch, Q, Subquery, Window
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.decorators import permission_required
from accounts.forms import add_validation_errors
from accounts.models import Force

from . import services
from .filters import SchoolFilter
from .forms import HandOverForm, SchoolTeamForm, school_contacts_formset
from .models import NamedContact, School, Term
from .overview import officer_loads, schools_overseen
from .panels import annotations_for, panels_for, promised_for

PAGE_SIZE = 50
_TERM_FIELDS = ("pk", "name", "starts_on", "ends_on")


def _current_contacts():
    return Prefetch(
        "named_contacts",
        queryset=NamedContact.objects.current().select_related("officer", "deputy"),
        to_attr="current_contacts",
    )


def _school_or_404(request, pk, perm="schools.view_school", annotations=None):
    schools = School.objects.visible_to(request.user).select_related(
        "force", "team__sergeant", "organisation"
    )
    if annotations:
        # Today's contact joined through a filtered relation: one row, never a row per contact.
        schools = (
            schools.annotate(**annotations)
            .annotate(
                current_contact=FilteredRelation(
                    "named_contacts", condition=Q(named_contacts__pk=F("current_contact_pk"))
                )
            )
            .select_related("current_contact__officer", "current_contact__deputy")
        )
    school = get_object_or_404(schools, pk=pk)
    if not request.user.has_perm(perm, school):
        raise PermissionDenied
    return school


# The columns the list shows (School.get_absolute_url needs only the key).
LISTED = ("name", "urn", "postcode", "la_name", "status", "phase", "establishment_type")


@permission_required("schools.view_school")
def school_list(request):
    user = request.user
    if not user.has_perm("schools.list_schools"):
        own = School.objects.visible_to(user).first()
        if own is None:
            raise PermissionDenied
        return redirect(own)
    filters = SchoolFilter(request.GET, School.objects.visible_to(user), request=request)
    schools = (
        filters.qs.only(*LISTED, "team__name")
        .select_related("team")
        .prefetch_related(_current_contacts())
    )
    page = Paginator(schools, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "contact_model": user.force.contact_model}
    return render(request, "schools/school_list.html", context)


def _page_annotations(request, today):
    """Today's term and contact, and what the panels read, with the school in one query."""
    term = (
        Term.objects.filter(force_id=OuterRef("force_id")).containing(today).order_by("starts_on")
    )
    contact = (
        NamedContact.objects.current(on=today).filter(school=OuterRef("pk")).order_by("-starts_on")
    )
    return {
        "current_contact_pk": Subquery(contact.values("pk")[:1]),
        **{f"current_term_{name}": Subquery(term.values(name)[:1]) for name in _TERM_FIELDS},
        **annotations_for(request),
    }


def _term_of(school, today):
    """Today's term of the school's force as read with the school (made on first need)."""
    if school.current_term_pk is None:
        return Term.current_for(school.force, on=today)
    term = Term(
        pk=school.current_term_pk,
        force=school.force,
        **{name: getattr(school, f"current_term_{name}") for name in _TERM_FIELDS[1:]},
    )
    term._state.adding = False
    term._state.db = school._state.db
    return term


@permission_required("schools.view_school")
def school_detail(request, pk):
    today = timezone.localdate()
    school = _school_or_404(request, pk, annotations=_page_annotations(request, today))
    user = request.user
    context = {"school": school, "contacts": school.contacts.select_related("user")}
    if user.has_perm("schools.view_engagements"):
        history = list(
            school.named_contacts.select_related("officer", "deputy").order_by("-starts_on")[:10]
        )
        term = _term_of(school, today)
        engagements = school.engagements.select_related("officer")
        if term:
            # The term's count rides on the latest engagements: a window over all of them.
            in_term = Q(pk__in=school.engagements.in_term(term).values("pk"))
            engagements = engagements.annotate(term_total=Window(Count("pk", filter=in_term)))
        latest = list(engagements[:20])
        context.update(
            contact_history=history,
            today=today,
            named_contact=next((c for c in history if c.is_current(on=today)), None),
            engagements=latest,
            term=term,
            term_count=latest[0].term_total if term and latest else 0,
        )
        context["promised"] = promised_for(school, term) if term else None
    else:
        context["named_contact"] = getattr(school, "current_contact", None)
    context["panels"] = panels_for(request, school)
    return render(request, "schools/school_detail.html", context)


@permission_required("schools.view_school")
def contacts_edit(request, pk):
    school = _school_or_404(request, pk, perm="schools.edit_contacts")
    formset = school_contacts_formset(request.POST or None, school=school)
    if request.method == "POST" and formset.is_valid():
        services.school_contacts_save(
            school=school, contacts=formset.contacts(), by=request.user, request=request
        )
        messages.success(request, "Contacts saved.")
        return redirect(school)
    return render(request, "schools/contacts_form.html", {"formset": formset, "school": school})


@permission_required("schools.view_school")
def hand_over(request, pk):
    school = _school_or_404(request, pk, perm="schools.hand_over")
    if school.force.contact_model == Force.ContactModel.TEAM_CASELOAD:
        form = SchoolTeamForm(
            request.POST or None, force=school.force, initial={"team": school.team_id}
        )
        if request.method == "POST" and form.is_valid():
            services.school_team_change(
                school=school, team=form.cleaned_data["team"], by=request.user, request=request
            )
            messages.success(request, f"{school.name} is now held by {form.cleaned_data['team']}.")
            return redirect(school)
        return render(request, "schools/team_form.html", {"form": form, "school": school})
    current = school.named_contacts.filter(ends_on__isnull=True).first()
    form = HandOverForm(request.POST or None, force=school.force)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.named_contact_hand_over(
                school=school, by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                f"{contact.officer.full_name} is the named contact from {contact.starts_on:%-d %B %Y}. "
                "Both officers and the school's senior link have been emailed.",
            )
            return redirect(school)
    return render(
        request, "schools/hand_over_form.html", {"form": form, "school": school, "current": current}
    )


@permission_required("schools.view_contact_overview")
def contact_overview(request):
    schools, scope = schools_overseen(request.user)
    if request.user.force.contact_model == Force.ContactModel.TEAM_CASELOAD:
        without = schools.filter(team__isnull=True)
    else:
        current = NamedContact.objects.visible_to(request.user).current()
        without = schools.exclude(named_contacts__in=current)
    without = without.select_related("team").order_by("name")
    return render(
        request,
        "schools/contact_overview.html",
        {
            "without": Paginator(without, PAGE_SIZE).get_page(request.GET.get("page")),
            "officers": officer_loads(request.user, schools),
            "scope": scope,
        },
    )
