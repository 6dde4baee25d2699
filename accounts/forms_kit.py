"""The forms kit: the questions every form of the product asks the same way.

The one date question, the one telephone question, the one text question, the one question
answered with radios, and the one list of a force's officers to choose from.


Dates are asked with the GOV.UK date input (day, month and year boxes), through
crispy-forms-gds's DateInputField, with the Design System's error messages:
"Date it ends must include a month", "Date it ends must be a real date".
Lay it out with ``Field("name", context={"legend_size": ...})`` or plain ``"name"``.
"""

import datetime

import phonenumbers
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import (
    INITIAL_FORM_COUNT,
    MAX_NUM_FORM_COUNT,
    MIN_NUM_FORM_COUNT,
    TOTAL_FORM_COUNT,
    ManagementForm,
)
from django.utils.functional import cached_property

from .models import OFFICER_ROLES, User

PARTS = ("day", "month", "year")


class GovukDateField(DateInputField):
    """A date asked as day, month and year; every error names the question."""

    def __init__(self, *, label, required_message=None, required=True, help_text="", **kwargs):
        super().__init__(
            label=label, required=required, help_text=help_text, require_all_fields=False, **kwargs
        )
        self.error_messages["required"] = required_message or f"Enter {label[0].lower()}{label[1:]}"

    def _fail(self, message, code, boxes):
        for index, subfield in enumerate(self.fields):
            subfield.widget.errors = [message] if index in boxes else []
        raise ValidationError(message, code=code)

    def clean(self, value):
        if self.disabled and not isinstance(value, (list, tuple)):
            value = self.widget.decompress(value)
        parts = [str(part).strip() if part is not None else "" for part in list(value or [])[:3]]
        parts += [""] * (3 - len(parts))
        for subfield in self.fields:
            subfield.widget.errors = []
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        missing = [index for index, part in enumerate(parts) if not part]
        if missing:
            names = " and ".join(PARTS[index] for index in missing)
            self._fail(f"{self.label} must include a {names}", "incomplete", missing)
        day, month, year = parts
        if not all(part.isdigit() for part in parts):
            self._fail(f"{self.label} must be a real date", "invalid", [0, 1, 2])
        if len(year) != 4:
            self._fail("Year must include 4 numbers", "invalid", [2])
        try:
            result = datetime.date(int(year), int(month), int(day))
        except ValueError:
            self._fail(f"{self.label} must be a real date", "invalid", [0, 1, 2])
        self.validate(result)
        self.run_validators(result)
        return result


def date_field(label, *, required_message=None, required=True, help_text=""):
    """The date question of every form (GOV.UK date input)."""
    return GovukDateField(
        label=label, required_message=required_message, required=required, help_text=help_text
    )


def radio_field(
    label,
    choices,
    *,
    required_message,
    invalid_message=None,
    required=True,
    help_text="",
    initial=None,
):
    """A question answered by choosing one of a few options, shown as GOV.UK radios.

    An answer that is not one of the choices (a tampered form) is refused with
    `invalid_message`, or the required message, never Django's technical default."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        required=required,
        help_text=help_text,
        initial=initial,
        error_messages={
            "required": required_message,
            "invalid_choice": invalid_message or required_message,
        },
    )


def text_field(
    label, *, required_message=None, max_length=None, help_text="", rows=None, short_label=None
):
    """A text question: one line, or a box of ``rows`` lines. It is required when it has a
    ``required_message``; too long, it says "Reason must be 1,000 characters or fewer" (naming
    it by ``short_label`` when the label is a question)."""
    error_messages = {"required": required_message or ""}
    if max_length:
        error_messages["max_length"] = (
            f"{short_label or label} must be {max_length:,} characters or fewer"
        )
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required_message is not None,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages=error_messages,
    )


def date_data(name, value: datetime.date) -> dict[str, str]:
    """What a browser posts for a date question: ``name_0`` day, ``name_1`` month, ``name_2`` year.
    For tests and journeys that fill dates."""
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }


def force_officers(force, *, in_a_team=False):
    """The force's active officers (a force or its id), by name: the people a form offers.

    ``in_a_team`` keeps only officers in a team (casework is allocated to a team's officer).
    """
    officers = User.objects.filter(
        organisation__force=force, role__in=OFFICER_ROLES, is_active=True
    ).order_by("full_name")
    if in_a_team:
        officers = officers.filter(team__isnull=False).select_related("team")
    return officers


def officer_choices(force, *, empty="Choose an officer"):
    """The force's officers in a team, grouped by team (teams by name, officers by name),
    after an empty choice: a sergeant picks from the team they allocate to."""
    groups = {}
    for officer in force_officers(force, in_a_team=True).order_by("team__name", "full_name"):
        groups.setdefault(officer.team.name, []).append((officer.pk, officer.display_name))
    return [("", empty), *groups.items()]


TELEPHONE_MESSAGE = (
    "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
)

# Ofcom's ranges kept for drama and examples (national numbers without the leading 0): never
# anyone's line, but people type them in examples and tests, and the library calls them invalid.
DRAMA_RANGES = (
    "1134960", "1144960", "1154960", "1164960", "1174960", "1184960", "1214960", "1314960",
    "1414960", "1514960", "1614960", "1914980", "1632960", "2079460", "2896496", "2920180",
    "3069990", "7700900", "8081570", "9098790",
)  # fmt: skip


def uk_telephone(value: str) -> str | None:
    """The UK number typed, written the one national way ("01202 123456", "0808 157 0192"),
    or None when it is not a UK telephone number. Checked by Google's libphonenumber."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return None
    national = phonenumbers.national_significant_number(number)
    if number.country_code != 44:
        return None
    drama = len(national) == 10 and national.startswith(DRAMA_RANGES)
    if not (drama or phonenumbers.is_valid_number(number)):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class TelephoneField(forms.CharField):
    """A UK telephone number, in any of the usual written forms; kept in the national format."""

    widget = forms.TextInput(
        attrs={"type": "tel", "autocomplete": "tel", "class": "govuk-input--width-20"}
    )
    default_error_messages = {"invalid": TELEPHONE_MESSAGE}

    def __init__(self, *, max_length=30, **kwargs):
        super().__init__(max_length=None, **kwargs)
        self.typed_max_length = max_length

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        if len(value) > self.typed_max_length or (formatted := uk_telephone(value)) is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return formatted


def telephone_field(label, *, required_message=None, required=False, initial=""):
    """The telephone question of every form."""
    field = TelephoneField(label=label, required=required, initial=initial)
    if required_message:
        field.error_messages["required"] = required_message
    return field


class FixedRowsFormSet(forms.BaseFormSet):
    """A formset whose rows the server decides (one a tier, one a kind of contact).

    The browser's management form is not trusted: a missing or altered count neither adds
    nor drops rows nor becomes an error, so what was typed in the rows is always read and,
    on an error, shown again. The subclass sets `rows`; `fixed_rows_formset` makes one.
    """

    rows = 0

    @cached_property
    def management_form(self):
        counts = {
            TOTAL_FORM_COUNT: self.rows,
            INITIAL_FORM_COUNT: min(len(self.initial or ()), self.rows),
            MIN_NUM_FORM_COUNT: 0,
            MAX_NUM_FORM_COUNT: self.rows,
        }
        data = {f"{self.prefix}-{name}": value for name, value in counts.items()}
        form = ManagementForm(
            data if self.is_bound else None,
            auto_id=self.auto_id,
            prefix=self.prefix,
            initial=counts,
            renderer=self.renderer,
        )
        form.full_clean()
        return form

    def total_form_count(self):
        return self.rows


def fixed_rows_formset(form, formset, *, rows: int):
    """A FixedRowsFormSet subclass of `formset` with `rows` rows of `form`."""
    formset_class = forms.formset_factory(
        form, formset=formset, extra=0, max_num=rows, absolute_max=rows
    )
    formset_class.rows = rows
    return formset_class
