"""Managers' forms: the assessment table's filters, the indicator upload, and framework edits."""

from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from accounts.forms import GovukFormMixin
from accounts.forms_kit import FixedRowsFormSet, fixed_rows_formset, radio_field, text_field
from accounts.models import Role

from .models import Indicator, Level, ServiceOffer

# The colours a GOV.UK tag comes in.
TAG_COLOURS = [
    ("grey", "Grey"),
    ("green", "Green"),
    ("turquoise", "Turquoise"),
    ("blue", "Blue"),
    ("light-blue", "Light blue"),
    ("purple", "Purple"),
    ("pink", "Pink"),
    ("red", "Red"),
    ("orange", "Orange"),
    ("yellow", "Yellow"),
]

MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024


def _number_input(width: int, *, decimal: bool = False):
    """Return a text input for numbers, as the GOV.UK Design System advises (not type=number)."""
    return forms.TextInput(
        attrs={
            "class": f"govuk-input--width-{width}",
            "inputmode": "decimal" if decimal else "numeric",
            "spellcheck": "false",
        }
    )


class IndicatorUploadForm(GovukFormMixin, forms.Form):
    submit_label = "Upload and save drafts"

    file = forms.FileField(
        label="CSV file of indicator values",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=f"A CSV file smaller than {MAX_UPLOAD_MB}MB, with the columns described above.",
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
            "invalid": "Select a CSV file",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError("The selected file must be a CSV")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"The selected file must be smaller than {MAX_UPLOAD_MB}MB")
        return upload


class LevelForm(GovukFormMixin, forms.Form):
    """A tier's wording, colour and the rule that places a school in it."""

    submit_label = "Save tier"

    name = text_field("Name", max_length=80, required_message="Enter the name")
    description = text_field("Description", max_length=2000, rows=3)
    key_factors = forms.MultipleChoiceField(
        label="Key factors",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="One of these rated at this tier or above is enough on its own.",
    )
    min_factors = forms.IntegerField(
        label="Number of factors",
        required=False,
        min_value=1,
        help_text="How many factors rated at this tier or above place a school here. "
        "Leave empty for no such rule.",
        widget=_number_input(3),
        error_messages={
            "invalid": "Enter the number of factors as a whole number, like 2",
            "min_value": "The number of factors must be 1 or more",
        },
    )
    lifted_by_higher = forms.BooleanField(
        label="Any factor rated above this tier places a school here at least",
        required=False,
    )
    colour = forms.ChoiceField(label="Colour of its tag", choices=TAG_COLOURS)
    criteria = text_field(
        "What a school at this tier looks like",
        max_length=4000,
        rows=6,
        help_text="One sign a line. A line you add or change is marked as the force's own.",
    )
    resources = text_field(
        "The people and time the tier brings",
        max_length=2000,
        rows=3,
        help_text="A change here is marked as the force's own.",
    )

    def __init__(self, *args, level: Level, factors, **kwargs):
        self.level = level
        self.factors = list(factors)
        initial = {
            "name": level.name,
            "description": level.description,
            "key_factors": list(level.key_factors),
            "min_factors": level.min_factors,
            "lifted_by_higher": level.lifted_by_higher,
            "colour": level.colour,
            "criteria": "\n".join(c["text"] for c in level.criteria),
            "resources": level.resources,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["key_factors"].choices = [(f.key, f.name) for f in self.factors]
        self.fields["min_factors"].validators.append(
            _at_most(len(self.factors), "The number of factors cannot be more than there are")
        )
        self.lowest = not level.framework.levels.filter(rank__lt=level.rank).exists()
        if self.lowest:
            self.fields["key_factors"].help_text = (
                "This is the least intensive tier: a school the other tiers' rules do not "
                "reach is placed here, so it needs no rule."
            )

    def clean(self):
        data = super().clean()
        if self.errors or self.lowest:
            return data
        if not (data.get("key_factors") or data.get("min_factors") or data.get("lifted_by_higher")):
            raise ValidationError(
                "Give this tier a rule: key factors, a number of factors, or being lifted by a "
                "higher rating. Without one no school is ever placed in it."
            )
        return data

    def _criteria_and_resources(self, data) -> dict:
        """Keep the guidance's label on the lines left as they were; the rest are the force's."""
        sources = {c["text"]: c.get("source", "force") for c in self.level.criteria}
        lines = [" ".join(line.split()) for line in data["criteria"].splitlines()]
        resources = data["resources"].strip()
        return {
            "criteria": [{"text": t, "source": sources.get(t, "force")} for t in lines if t],
            "resources": resources,
            "resources_source": self.level.resources_source
            if resources == self.level.resources
            else "force",
        }

    def values(self) -> dict:
        data = self.cleaned_data
        order = [f.key for f in self.factors]
        return {
            "name": data["name"].strip(),
            "description": data["description"].strip(),
            "key_factors": sorted(data["key_factors"], key=order.index),
            "min_factors": data["min_factors"],
            "lifted_by_higher": data["lifted_by_higher"],
            **self._criteria_and_resources(data),
            "colour": data["colour"],
        }


def _at_most(limit, message):
    def validator(value):
        if value is not None and value > limit:
            raise ValidationError(message)

    return validator


class ServiceOfferForm(GovukFormMixin, forms.Form):
    """What a school of a tier and phase receives."""

    submit_label = "Save service offer"

    contact = text_field(
        "Police contact", max_length=200, required_message="Enter who the police contact is"
    )
    contact_role = forms.ChoiceField(
        label="Role the named contact must hold",
        required=False,
        choices=[
            ("", "Any officer"),
            (Role.SAFER_SCHOOLS_OFFICER.value, "Safer Schools officer"),
            (Role.NEIGHBOURHOOD_OFFICER.value, "Neighbourhood officer or PCSO"),
        ],
        widget=forms.RadioSelect,
        help_text="Schools whose named contact holds another role are listed under "
        "“Contacts to change”.",
    )
    frequency = radio_field(
        "How often",
        ServiceOffer.Frequency.choices,
        required_message="Choose how often the school is engaged",
    )
    engagements_per_term = forms.IntegerField(
        label="Engagements a term",
        min_value=1,
        max_value=100,
        widget=_number_input(3),
        help_text="For “a number of times a term”.",
        error_messages={
            "required": "Enter the number of engagements a term",
            "invalid": "Enter the number of engagements a term as a whole number, like 3",
            "min_value": "The number of engagements a term must be 1 or more",
            "max_value": "The number of engagements a term must be 100 or fewer",
        },
    )
    uses_force_enhanced_number = forms.BooleanField(
        label="Use the force's number for Enhanced schools instead",
        required=False,
    )
    offer = text_field(
        "The service, as the school is told it",
        max_length=2000,
        rows=3,
        required_message="Describe the service the school receives",
    )
    education_inputs = text_field("Safety-education inputs (optional)", max_length=2000, rows=3)

    FIELDS = (
        "contact",
        "contact_role",
        "frequency",
        "engagements_per_term",
        "uses_force_enhanced_number",
        "offer",
        "education_inputs",
    )

    def __init__(self, *args, offer: ServiceOffer, **kwargs):
        initial = {name: getattr(offer, name) for name in self.FIELDS}
        super().__init__(*args, initial=initial, **kwargs)
        force = offer.framework.force
        self.fields["uses_force_enhanced_number"].help_text = (
            f"{force.name} promises Enhanced schools {force.enhanced_engagements_per_term} "
            "engagements a term."
        )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name].strip() if isinstance(data[name], str) else data[name]
            for name in self.FIELDS
        }


class ThresholdForm(forms.Form):
    """One row of an indicator's thresholds: a tier, a comparison and a value, all or none."""

    COMPARISONS = [("above", "more than"), ("at_least", "at least"), ("below", "less than")]

    level = forms.ChoiceField(label="Tier", required=False)
    comparison = forms.ChoiceField(
        label="When the value is", required=False, choices=[("", "Choose"), *COMPARISONS]
    )
    value = forms.DecimalField(
        label="Value",
        required=False,
        max_digits=9,
        decimal_places=2,
        widget=_number_input(5, decimal=True),
        error_messages={"invalid": "Enter the value as a number, like 10"},
    )

    def __init__(self, *args, levels, number, **kwargs):
        super().__init__(*args, **kwargs)
        self.number = number
        self.levels = {level.key: level for level in levels}
        self.fields["level"].choices = [
            ("", "None"),
            *((level.key, level.name) for level in self.levels.values()),
        ]
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                Field.select("level"),
                Field.select("comparison"),
                Field.text("value"),
                legend=f"Threshold {number}",
                legend_size=Size.SMALL,
            )
        )

    def clean(self):
        data = super().clean()
        level, comparison, value = data.get("level"), data.get("comparison"), data.get("value")
        if "value" in self.errors or not (level or comparison or value is not None):
            return data
        if not level:
            self.add_error("level", f"Choose the tier of threshold {self.number}")
        if not comparison:
            self.add_error("comparison", f"Choose the comparison of threshold {self.number}")
        if value is None:
            self.add_error("value", f"Enter the value of threshold {self.number}")
        return data

    def threshold(self) -> dict | None:
        """The row as stored on the indicator, or None when it is empty."""
        data = self.cleaned_data
        if not data.get("level"):
            return None
        return {"level": data["level"], data["comparison"]: _json_number(data["value"])}


class BaseThresholdFormSet(FixedRowsFormSet):
    def __init__(self, *args, levels, **kwargs):
        self.levels = list(levels)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        # Every row is read, even one left as it was: the rows together are the thresholds.
        return {"levels": self.levels, "number": (index or 0) + 1, "empty_permitted": False}

    def thresholds(self) -> list[dict]:
        """The filled rows, most intensive tier first (the order the indicator reads them in)."""
        ranks = {level.key: level.rank for level in self.levels}
        rows = [row for form in self.forms if (row := form.threshold())]
        return sorted(rows, key=lambda row: -ranks[row["level"]])


def threshold_formset(data=None, *, indicator: Indicator, levels):
    """One row per tier, the indicator's thresholds first: never numbered fields by hand."""
    levels = list(levels)
    initial = [
        {
            "level": row.get("level", ""),
            "comparison": comparison,
            "value": row.get(comparison),
        }
        for row in indicator.thresholds[: len(levels)]
        for comparison in [next((c for c, _ in ThresholdForm.COMPARISONS if c in row), "")]
    ]
    formset_class = fixed_rows_formset(ThresholdForm, BaseThresholdFormSet, rows=len(levels))
    return formset_class(data, initial=initial, prefix="threshold", levels=levels)


class IndicatorForm(GovukFormMixin, forms.ModelForm):
    """An indicator's wording and range, with its thresholds as a formset of one row a tier.

    The rules that bind the thresholds together (one a tier, one direction, rising with the
    tier, within the range) are the indicator's own: `Indicator.clean()`, which this form's
    model validation and the service's `full_clean()` both run.
    """

    submit_label = "Save indicator"

    class Meta:
        model = Indicator
        fields = ["name", "help_text", "minimum", "maximum"]
        labels = {
            "name": "Name",
            "help_text": "Hint for assessors (optional)",
            "minimum": "Lowest value allowed",
            "maximum": "Highest value allowed (optional)",
        }
        widgets = {
            "minimum": _number_input(5, decimal=True),
            "maximum": _number_input(5, decimal=True),
        }
        error_messages = {
            "name": {"required": "Enter the name"},
            "minimum": {
                "required": "Enter the lowest value allowed",
                "invalid": "Enter the lowest value as a number, like 0",
            },
            "maximum": {"invalid": "Enter the highest value as a number, like 100"},
        }

    def __init__(self, data=None, *, indicator: Indicator, levels, **kwargs):
        super().__init__(data, instance=indicator, **kwargs)
        self.formset = threshold_formset(data, indicator=indicator, levels=levels)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.inputs = []

    def clean(self):
        data = super().clean()
        # The model checks the rows together only once each row is whole.
        if self.formset.is_valid():
            self.instance.thresholds = self.formset.thresholds()
        return data

    def is_valid(self):
        return self.formset.is_valid() & super().is_valid()

    def values(self) -> dict:
        return {
            "name": self.instance.name.strip(),
            "help_text": self.instance.help_text.strip(),
            "minimum": self.instance.minimum,
            "maximum": self.instance.maximum,
            "thresholds": self.instance.thresholds,
        }


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
