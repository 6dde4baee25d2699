"""Forms of the school register."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from accounts.forms import GovukFormMixin
from accounts.forms_kit import (
    FixedRowsFormSet,
    date_field,
    fixed_rows_formset,
    force_officers,
    telephone_field,
)
from accounts.models import Team, User

from .models import SchoolContact


class SchoolContactForm(forms.Form):
    """One person the police deal with at the school, of one kind; a blank name removes them."""

    name = forms.CharField(label="Name", max_length=150, required=False)
    email = forms.EmailField(
        label="Email",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )
    telephone = telephone_field("Telephone")

    def __init__(self, *args, kind, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.label = kind, label
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset("name", "email", "telephone", legend=label, legend_size=Size.MEDIUM)
        )

    def clean(self):
        data = super().clean()
        if (data.get("email") or data.get("telephone")) and not data.get("name"):
            self.add_error("name", f"Enter the {self.label.lower()}'s name, or clear their details")
        return data

    def contact(self) -> dict | None:
        """The person as the service stores them, or None when the name is blank."""
        data = self.cleaned_data
        if not data.get("name", "").strip():
            return None
        return {
            "name": data["name"].strip(),
            "email": data["email"].strip().lower(),
            "telephone": data["telephone"].strip(),
        }


class BaseSchoolContactFormSet(FixedRowsFormSet):
    """One form for each kind of contact, in the order of SchoolContact.Kind."""

    KINDS = SchoolContact.Kind.choices

    def get_form_kwargs(self, index):
        kind, label = self.KINDS[index or 0]
        return {"kind": kind, "label": label, "empty_permitted": False}

    def contacts(self) -> dict:
        """Return {kind: {name, email, telephone}} for the kinds that have a name."""
        return {form.kind: contact for form in self.forms if (contact := form.contact())}


def school_contacts_formset(data=None, *, school):
    existing = {c.kind: c for c in school.contacts.all()}
    initial = [
        {"name": c.name, "email": c.email, "telephone": c.telephone} if c else {}
        for c in (existing.get(kind) for kind, _ in BaseSchoolContactFormSet.KINDS)
    ]
    formset_class = fixed_rows_formset(
        SchoolContactForm, BaseSchoolContactFormSet, rows=len(BaseSchoolContactFormSet.KINDS)
    )
    return formset_class(data, initial=initial, prefix="contacts")


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
