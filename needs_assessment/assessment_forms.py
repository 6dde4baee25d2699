"""Forms of the assessment pages: the working document, the manager's decision, a review date."""

from decimal import Decimal

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from accounts.forms import GovukFormMixin

from .computed import computed_value
from .models import Assessment

NO_PROPOSAL = ""


def _plain(value: Decimal) -> str:
    """Return a number as people type it: 31.5, not 31.50 or 3.15E+1."""
    return format(value.normalize(), "f")


def _radio_items(bound_field, options, start=0, empty_is_default=False):
    """Return GOV.UK radio items: the first has the field's id, so error links reach it."""
    value_now = bound_field.value()
    current = "" if value_now is None else str(value_now)
    if empty_is_default:
        empty_checked = current == ""
    else:  # "Not rated yet" is checked only when chosen, never by default
        empty_checked = bound_field.form.is_bound and bound_field.data == ""
    items = []
    for position, (value, label, hint) in enumerate(options, start=start + 1):
        item_id = bound_field.auto_id if position == 1 else f"{bound_field.auto_id}-{position}"
        items.append(
            {
                "id": item_id,
                "value": value,
                "label": label,
                "hint": hint,
                "checked": empty_checked if value == "" else value == current,
            }
        )
    return items


class AssessmentForm(forms.Form):
    """The assessor's working document: ratings with evidence, numbers, and an optional proposal.

    The fields come from the assessment's framework: `rating_<factor>` and `evidence_<factor>`
    for each factor, `indicator_<indicator>` for each number (the names the services use in
    their errors), then `proposed_level` and `override_reason`.
    """

    proposed_level = forms.ChoiceField(
        label="Propose a different tier",
        required=False,
        widget=forms.RadioSelect,
        help_text="A prevention manager sees your reason when they decide.",
    )
    override_reason = forms.CharField(
        label="Reason for a different tier",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed only if you propose a different tier.",
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        framework = assessment.framework
        self.levels = list(framework.levels.all())
        self.factors = list(framework.factors.prefetch_related("descriptors"))
        self.indicators = list(framework.indicators.all())
        ratings = {r.factor_id: r for r in assessment.ratings.select_related("level")}
        recorded = list(assessment.indicator_values.all())
        values = {v.indicator_id: v.value for v in recorded}
        self._notes = {v.indicator_id: v.source_note for v in recorded if v.source_note}
        self._rated_by_numbers = {i.factor_id for i in self.indicators if i.thresholds}
        level_choices = [(level.key, level.name) for level in self.levels]

        for factor in self.factors:
            rating = ratings.get(factor.pk)
            self.fields[f"rating_{factor.key}"] = forms.ChoiceField(
                label=factor.name,
                required=False,
                widget=forms.RadioSelect,
                choices=[*level_choices, ("", "Not rated yet")],
                help_text=factor.guidance,
                initial=rating.level.key if rating and rating.level_id else None,
            )
            self.fields[f"evidence_{factor.key}"] = forms.CharField(
                label="Evidence",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=rating.evidence if rating else "",
            )
        self.computed = {}
        for indicator in self.indicators:
            field = self._indicator_field(indicator, values.get(indicator.pk))
            computed = computed_value(indicator, assessment.school)
            if computed is not None:
                # Shown, not typed: the value comes from the school's reported incidents.
                self.computed[indicator.key] = computed
                field.disabled, field.initial = True, computed.value
            self.fields[f"indicator_{indicator.key}"] = field
        self.fields["proposed_level"].choices = [(NO_PROPOSAL, "No, use the computed tier")] + [
            (level.key, level.name) for level in self.levels
        ]
        self.fields["proposed_level"].initial = (
            assessment.proposed_level.key if assessment.proposed_level_id else NO_PROPOSAL
        )
        self.fields["override_reason"].initial = assessment.override_reason

    @staticmethod
    def _indicator_field(indicator, value):
        name = indicator.name
        low = _plain(indicator.minimum)
        if indicator.maximum is None:
            out_of_range = f"{name} must be {low} or more"
        else:
            out_of_range = f"{name} must be between {low} and {_plain(indicator.maximum)}"
        return forms.DecimalField(
            label=name,
            required=False,
            help_text=indicator.help_text,
            min_value=indicator.minimum,
            max_value=indicator.maximum,
            max_digits=9,
            decimal_places=2,
            initial=_plain(value) if value is not None else None,
            error_messages={
                "invalid": f"{name} must be a number, like 12 or 12.5",
                "min_value": out_of_range,
                "max_value": out_of_range,
                "max_decimal_places": f"{name} can have no more than 2 decimal places",
                "max_digits": f"{name} is too large",
                "max_whole_digits": f"{name} is too large",
            },
        )

    def clean(self):
        data = super().clean()
        if data.get("proposed_level") and not data.get("override_reason", "").strip():
            self.add_error("override_reason", "Give the reason for proposing a different tier")
        return data

    def factor_rows(self):
        """Return each factor with its radios (each level's descriptor as its hint) and evidence."""
        rows = []
        for factor in self.factors:
            descriptors = {d.level_id: d.text for d in factor.descriptors.all()}
            rating = self[f"rating_{factor.key}"]
            options = [
                (level.key, level.name, descriptors.get(level.pk, "")) for level in self.levels
            ]
            rows.append(
                {
                    "factor": factor,
                    "rating": rating,
                    "evidence": self[f"evidence_{factor.key}"],
                    "choices": _radio_items(rating, options),
                    "unrated": _radio_items(
                        rating, [("", "Not rated yet", "")], start=len(options)
                    ),
                    "rated_by_numbers": factor.pk in self._rated_by_numbers,
                }
            )
        return rows

    def indicator_rows(self):
        """Return each indicator with its bound field and a hint giving the range it accepts."""
        rows = []
        for indicator in self.indicators:
            low = _plain(indicator.minimum)
            allowed = (
                f"{low} or more."
                if indicator.maximum is None
                else f"From {low} to {_plain(indicator.maximum)}."
            )
            rows.append(
                {
                    "indicator": indicator,
                    "field": self[f"indicator_{indicator.key}"],
                    "computed": self.computed.get(indicator.key),
                    "hint": " ".join(
                        part
                        for part in (
                            indicator.help_text,
                            allowed,
                            f"Filled in from {self._notes[indicator.pk]}."
                            if indicator.pk in self._notes
                            else "",
                        )
                        if part
                    ),
                }
            )
        return rows

    def proposal_choices(self):
        """Return the radios of the proposal: no, then each level."""
        field = self["proposed_level"]
        options = [(value, label, "") for value, label in field.field.choices]
        return _radio_items(field, options, empty_is_default=True)

    def changes(self) -> dict:
        """Return the keyword arguments services.assessment_save takes."""
        data = self.cleaned_data
        by_key = {level.key: level for level in self.levels}
        return {
            "ratings": {
                factor.key: (
                    data.get(f"rating_{factor.key}") or None,
                    data.get(f"evidence_{factor.key}", ""),
                )
                for factor in self.factors
            },
            "indicators": {
                indicator.key: data.get(f"indicator_{indicator.key}")
                for indicator in self.indicators
            },
            "proposed_level": by_key.get(data.get("proposed_level") or ""),
            "override_reason": data.get("override_reason", ""),
        }


class DecisionForm(GovukFormMixin, forms.Form):
    """A prevention manager approves an assessment or returns it with a comment."""

    APPROVE, RETURN = "approve", "return"
    submit_label = "Confirm decision"

    decision = forms.ChoiceField(
        label="What is your decision?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the assessment or return it"},
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional when you approve. When you return it, say what needs to change.",
    )

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        tier = assessment.level.name if assessment.level else "the tier proposed"
        self.fields["decision"].choices = [
            Choice(
                self.APPROVE,
                f"Approve: {assessment.school.name} becomes {tier}",
                hint="The tier and its service start now. The next review is due in a year.",
            ),
            Choice(
                self.RETURN,
                "Return it to the assessor for changes",
                hint="They can change the assessment and submit it again.",
            ),
        ]
        self.helper.layout = Layout(
            Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("comment")
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not data.get("comment", "").strip():
            self.add_error("comment", "Say what needs to change")
        return data


class ReviewDateField(DateInputField):
    """A GOV.UK date input whose errors say what to type."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages["required"] = "Enter the date the school should be reassessed by"
        self.error_messages["incomplete"] = "Enter the day, month and year"
        for subfield in self.fields:
            subfield.validators[0].message = "Enter a real date, for example 27 3 2027"

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError:
            raise ValidationError("Enter a real date, for example 27 3 2027") from None


class ReviewDateForm(GovukFormMixin, forms.Form):
    """A prevention manager brings a school's next assessment forward."""

    submit_label = "Request an earlier review"

    due_on = ReviewDateField(
        label="Reassess the school by",
        help_text="For example, 27 3 2027. The assessors are reminded when it is due.",
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_action = action
        self.helper.layout = Layout(
            Field("due_on", context={"legend_size": Size.for_legend(Size.SMALL)})
        )
