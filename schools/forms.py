"""Forms of the school register."""

from django import forms
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field, force_officers, telephone_field
from accounts.models import Team, User

from .models import School, SchoolContact
from .options import filter_choices
from .panels import list_filters


class SchoolFilterForm(forms.Form):
    SORTS = {
        "name": (Lower("name"), "Name"),
        "urn": ("urn", "URN"),
        "pupils": ("-number_of_pupils", "Most pupils"),
        "la": ("la_name", "Local authority"),
    }

    q = forms.CharField(label="Name, URN or postcode", required=False)
    la = forms.ChoiceField(label="Local authority", required=False)
    type = forms.ChoiceField(label="Type of establishment", required=False)
    phase = forms.ChoiceField(
        label="Phase", required=False, choices=[("", "Any phase"), *School.Phase.choices]
    )
    contact = forms.ChoiceField(label="Named contact", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Open"), ("closed", "Closed"), ("all", "Open and closed")],
    )
    # The period of a later app's period filter (ListFilter.period), carried by the links
    # from a dashboard's figures as ISO dates.
    since = forms.DateField(required=False, widget=forms.HiddenInput)
    until = forms.DateField(required=False, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=[(k, v[1]) for k, v in SORTS.items()]
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        choices = filter_choices(user)
        for extra in list_filters():
            self.fields[extra.name] = forms.ChoiceField(
                label=extra.label, required=False, choices=choices[extra.name]
            )
        # Keep the sort order last.
        self.fields["sort"] = self.fields.pop("sort")
        for name in ("la", "type", "team", "contact"):
            self.fields[name].choices = choices[name]

    def schools(self, schools, *, today):
        """Return (the schools matching the filters in order, whether the result may be cached).

        Invalid filters are ignored, as if none were given. The result may be cached unless a
        later app's filter (tier, MoU, engagement) was applied: those depend on data the school
        list's cache is not cleared for.
        """
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if q := data.get("q", "").strip():
            compact = q.replace(" ", "").upper()
            match = Q(name__icontains=q) | Q(postcode__icontains=q)
            if len(compact) >= 2 and compact.isalnum():
                # Postcodes are typed with or without their space.
                match |= Q(postcode__iexact=f"{compact[:-3]} {compact[-3:]}")
            if q.isdigit():
                match |= Q(urn=int(q))
            schools = schools.filter(match)
        if data.get("la"):
            schools = schools.filter(la_code=data["la"])
        if data.get("type"):
            schools = schools.filter(establishment_type=data["type"])
        if data.get("phase"):
            schools = schools.filter(phase=data["phase"])
        if data.get("team"):
            schools = schools.in_team(data["team"])
        if data.get("contact") == "none":
            schools = schools.without_named_contact(on=today)
        elif data.get("contact"):
            schools = schools.with_named_officer_of(int(data["contact"]), on=today)
        period = {"since": data.get("since"), "until": data.get("until")}
        applied = [
            extra
            for extra in list_filters()
            if data.get(extra.name) and (not extra.period or all(period.values()))
        ]
        for extra in applied:
            extra_args = {"user": self.user} if extra.with_user else {}
            if extra.period:
                extra_args.update(period)
            schools = extra.apply(schools, data[extra.name], **extra_args)
        if applied:
            # A later app's filter may join rows of which a school has many: keep each school
            # once by its key, which costs far less than DISTINCT over every column.
            schools = School.objects.filter(pk__in=schools.values("pk"))
        status = data.get("status", "")
        if status == "closed":
            schools = schools.filter(status=School.Status.CLOSED)
        elif status != "all":
            schools = schools.open()
        sort = data.get("sort") or "name"
        return schools.order_by(self.SORTS[sort][0], "pk"), not applied


class SchoolContactsForm(GovukFormMixin, forms.Form):
    """The four people the police deal with at a school, each optional."""

    submit_label = "Save contacts"

    def __init__(self, *args, school, **kwargs):
        self.school = school
        super().__init__(*args, **kwargs)
        existing = {c.kind: c for c in school.contacts.all()}
        for kind, label in SchoolContact.Kind.choices:
            contact = existing.get(kind)
            self.fields[f"{kind}_name"] = forms.CharField(
                label=f"{label}: name",
                max_length=150,
                required=False,
                initial=contact.name if contact else "",
            )
            self.fields[f"{kind}_email"] = forms.EmailField(
                label=f"{label}: email",
                required=False,
                initial=contact.email if contact else "",
                error_messages={
                    "invalid": "Enter an email address in the correct format, like name@example.org"
                },
            )
            self.fields[f"{kind}_telephone"] = telephone_field(
                f"{label}: telephone", initial=contact.telephone if contact else ""
            )

    def clean(self):
        data = super().clean()
        for kind, label in SchoolContact.Kind.choices:
            has_details = data.get(f"{kind}_email") or data.get(f"{kind}_telephone")
            if has_details and not data.get(f"{kind}_name"):
                self.add_error(
                    f"{kind}_name", f"Enter the {label.lower()}'s name, or clear their details"
                )
        return data

    def contacts(self):
        """Return {kind: {name, email, telephone}} for the kinds that have a name."""
        return {
            kind: {
                "name": self.cleaned_data[f"{kind}_name"].strip(),
                "email": self.cleaned_data[f"{kind}_email"].strip().lower(),
                "telephone": self.cleaned_data[f"{kind}_telephone"].strip(),
            }
            for kind, _ in SchoolContact.Kind.choices
            if self.cleaned_data[f"{kind}_name"].strip()
        }


class HandOverForm(GovukFormMixin, forms.Form):
    submit_label = "Save named contact"

    officer = forms.ModelChoiceField(
        label="Named police contact",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the officer who will be the school's contact"},
    )
    deputy = forms.ModelChoiceField(
        label="Cover when they are away (optional)", queryset=User.objects.none(), required=False
    )
    starts_on = date_field(
        "From",
        required_message="Enter the date the new contact starts",
        help_text="For example, 1 9 2026",
    )

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        officers = force_officers(force).select_related("organisation")
        for name in ("officer", "deputy"):
            self.fields[name].queryset = officers
            self.fields[name].label_from_instance = lambda u: (
                f"{u.display_name}, {u.get_role_display().lower()}"
            )
        self.fields["starts_on"].initial = timezone.localdate()


class SchoolTeamForm(GovukFormMixin, forms.Form):
    submit_label = "Save team"

    team = forms.ModelChoiceField(
        label="Team that holds the school",
        queryset=Team.objects.none(),
        error_messages={"required": "Choose the team that holds the school"},
    )

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(force=force)
