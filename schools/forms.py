"""Forms of the school register."""

from django import forms
from django.utils import timezone

from accounts.forms import GovukFormMixin
from accounts.models import OFFICER_ROLES, Team, User

from .models import School, SchoolContact
from .panels import list_filters


class SchoolFilterForm(forms.Form):
    SORTS = {
        "name": ("name", "Name"),
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
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=[(k, v[1]) for k, v in SORTS.items()]
    )

    def __init__(self, *args, schools, officers, user, **kwargs):
        super().__init__(*args, **kwargs)
        for extra in list_filters():
            self.fields[extra.name] = forms.ChoiceField(
                label=extra.label, required=False, choices=[("", "Any"), *extra.choices(user)]
            )
        # Keep the sort order last.
        self.fields["sort"] = self.fields.pop("sort")
        las = schools.order_by("la_name").values_list("la_code", "la_name").distinct()
        self.fields["la"].choices = [("", "Any local authority"), *las]
        types = (
            schools.order_by("establishment_type")
            .values_list("establishment_type", flat=True)
            .distinct()
        )
        self.fields["type"].choices = [("", "Any type"), *((t, t) for t in types)]
        teams = Team.objects.filter(force_id=user.force_id).order_by("name")
        self.fields["team"].choices = [("", "Any team"), *((str(t.pk), t.name) for t in teams)]
        self.fields["contact"].choices = [
            ("", "Anyone"),
            ("none", "No named contact"),
            *((str(o.pk), o.display_name) for o in officers),
        ]


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
            self.fields[f"{kind}_telephone"] = forms.CharField(
                label=f"{label}: telephone",
                max_length=30,
                required=False,
                initial=contact.telephone if contact else "",
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
    starts_on = forms.DateField(
        label="From",
        help_text="For example, 1 9 2026. Use the format DD/MM/YYYY or YYYY-MM-DD.",
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date the new contact starts",
            "invalid": "Enter a real date, like 01/09/2026",
        },
    )

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        officers = (
            User.objects.filter(organisation__force=force, role__in=OFFICER_ROLES, is_active=True)
            .select_related("organisation")
            .order_by("full_name")
        )
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
