"""Forms of the school register."""

from django import forms
from django.utils import timezone

from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field, force_officers, telephone_field
from accounts.models import Team, User

from .models import SchoolContact


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
