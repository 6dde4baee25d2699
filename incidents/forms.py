"""Forms of the report journey (one question a page), the officer's handling and the protocol."""

import datetime
import re

from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Layout, Size
from django import forms
from django.utils import timezone

from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field, radio_field, text_field
from accounts.models import SCHOOL_REFERRER_ROLES, SCHOOL_ROLES, User

from .models import YEAR_GROUPS, Incident, IncidentKind, IncidentPerson

YES_NO = [("yes", "Yes"), ("no", "No")]
H1 = {"legend_size": Size.LARGE, "legend_tag": "h1"}


class QuestionRadios(ConditionalRadios):
    """Conditional radios whose legend may be the page's heading (one question a page)."""

    def __init__(self, field, *choices, legend_size=None, legend_tag=None):
        super().__init__(field, *choices)
        self.legend = {
            "legend_size": Size.for_legend(legend_size) if legend_size else None,
            "legend_tag": legend_tag,
        }

    def render(self, form, context, *args, **kwargs):
        with context.push(**self.legend):
            return super().render(form, context, *args, **kwargs)


def _yes_no(label, message, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": message},
    )


def parse_time(typed: str) -> datetime.time | None:
    """Read a time typed like 9:30am, 2pm or 14:30; None when nothing was typed."""
    typed = (typed or "").strip().lower().replace(" ", "").replace(".", ":")
    if not typed:
        return None
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?(am|pm)?", typed)
    if not match:
        raise forms.ValidationError("Enter the time like 9:30am or 14:30")
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise forms.ValidationError("Enter the time like 9:30am or 14:30")
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match[2] is None:
        raise forms.ValidationError("Enter the time like 9:30am or 14:30")
    if hour > 23 or minute > 59:
        raise forms.ValidationError("Enter a real time, like 9:30am or 14:30")
    return datetime.time(hour, minute)


class StepForm(GovukFormMixin, forms.Form):
    """A step of the report: it saves the draft and goes on."""

    submit_label = "Save and continue"

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.helper.attrs = {"novalidate": ""}
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.pop("maxlength", None)

    @classmethod
    def initial_from(cls, incident) -> dict:
        initial = {}
        for name in cls.base_fields:
            value = getattr(incident, name, None)
            if isinstance(value, bool):
                value = "yes" if value else "no"
            if value is not None:
                initial[name] = value
        if "kind" in initial:
            initial["kind"] = incident.kind_id
        return initial


class KindForm(StepForm):
    kind = forms.ModelChoiceField(
        label="What happened?",
        queryset=IncidentKind.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The kinds the protocol lists come first, then those your police and school "
        "agreed to report.",
        error_messages={
            "required": "Choose what happened",
            "invalid_choice": "Choose one of the kinds of incident listed",
        },
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = IncidentKind.objects.filter(
            force_id=school.force_id
        ).active()
        self.helper.layout = Layout(Field.radios("kind", **H1))


class WhenForm(StepForm):
    occurred_on = date_field(
        "Date of the incident",
        required_message="Enter the date of the incident",
        help_text="For example, 27 3 2026.",
    )
    occurred_at = forms.CharField(
        label="Time (optional)",
        required=False,
        max_length=10,
        help_text="For example, 9:30am or 14:30.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": "Enter the time like 9:30am or 14:30"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field("occurred_on", context={"legend_size": Size.for_legend(Size.MEDIUM)}),
            Field.text("occurred_at", field_width=5),
        )

    @classmethod
    def initial_from(cls, incident):
        initial = super().initial_from(incident)
        if incident.occurred_at:
            initial["occurred_at"] = incident.occurred_at.strftime("%H:%M")
        return initial

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of the incident must be today or in the past")
        if day < timezone.localdate() - datetime.timedelta(days=366):
            raise forms.ValidationError(
                "The date of the incident must be within the last year. Report older incidents "
                "to your officer directly"
            )
        return day

    def clean_occurred_at(self):
        return parse_time(self.cleaned_data["occurred_at"])

    def clean(self):
        data = super().clean()
        day, time = data.get("occurred_on"), data.get("occurred_at")
        if day and time and day == timezone.localdate() and time > timezone.localtime().time():
            self.add_error("occurred_at", "The time of the incident must be in the past")
        return data


class WhereForm(StepForm):
    place = radio_field(
        "Where did it happen?", Incident.Place.choices, required_message="Choose where it happened"
    )
    place_detail = text_field(
        "Where exactly (optional)",
        max_length=200,
        help_text="For example, the science block toilets, or the bus stop on Mill Lane.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("place", **H1), Field.text("place_detail"))


class WhatForm(StepForm):
    summary = text_field(
        "What happened?",
        required_message="Describe what happened",
        max_length=3000,
        rows=6,
        help_text="The facts as staff know them: what was done or found, by whom and what "
        "was said. You add the people involved on the next page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea(
                "summary", rows=6, max_characters=3000, label_size=Size.LARGE, label_tag="h1"
            )
        )


class ThirdPartyForm(StepForm):
    third_party_reported = _yes_no(
        "Did someone outside the school report it to you?",
        "Say whether someone outside the school reported it",
        help_text="For example, a parent, a bus driver or a neighbour. A third party's report "
        "is accepted with the full details.",
    )
    third_party_detail = text_field("Who reported it, and how to reach them", max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            QuestionRadios(
                "third_party_reported",
                ConditionalQuestion("Yes", Field.text("third_party_detail")),
                "No",
                **H1,
            )
        )

    def clean(self):
        data = super().clean()
        if data.get("third_party_reported") and not data.get("third_party_detail", "").strip():
            self.add_error(
                "third_party_detail", "Enter who reported it and how the officer can reach them"
            )
        if data.get("third_party_reported") is False:
            data["third_party_detail"] = ""
        return data


class EvidenceForm(StepForm):
    evidence_kept = _yes_no(
        "Has evidence been kept?",
        "Say whether evidence has been kept",
        help_text="Things found or used, CCTV, and staff's or pupils' written accounts.",
    )
    evidence_detail = text_field("What has been kept", max_length=2000, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            QuestionRadios(
                "evidence_kept",
                ConditionalQuestion("Yes", Field.textarea("evidence_detail", rows=3)),
                "No",
                **H1,
            )
        )

    def clean(self):
        data = super().clean()
        if data.get("evidence_kept") and not data.get("evidence_detail", "").strip():
            self.add_error("evidence_detail", "Enter what evidence has been kept")
        if data.get("evidence_kept") is False:
            data["evidence_detail"] = ""
        return data


class ParentsForm(StepForm):
    parents_told = radio_field(
        "Have the parents been told?",
        Incident.ParentsTold.choices,
        required_message="Say whether parents have been told",
        help_text="The school tells parents, not the police.",
    )
    parents_told_detail = text_field(
        "Who told them, and when (optional)",
        max_length=300,
        help_text="For example, the head of year phoned both families at 3pm.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("parents_told", **H1), Field.text("parents_told_detail")
        )


class PersonForm(GovukFormMixin, forms.Form):
    submit_label = "Add this person"

    part = radio_field(
        "What was their part?",
        IncidentPerson.Part.choices,
        required_message="Choose whether they are a victim, a suspect or a witness",
    )
    kind = radio_field(
        "Who are they?",
        IncidentPerson.Kind.choices,
        required_message="Choose whether they are a pupil, staff or someone else",
    )
    first_name = text_field("First name", max_length=100)
    last_name = text_field("Last name", max_length=100)
    name_not_known = forms.BooleanField(label="Name not known", required=False)
    year_group = forms.ChoiceField(
        label="Year group (pupils)",
        choices=[("", "Not known"), *YEAR_GROUPS],
        required=False,
    )
    description = text_field(
        "Job or description (staff and others)",
        max_length=200,
        help_text="For example, 'Year 9 tutor' or 'a man in a grey hoodie, about 20'.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.radios("part", legend_size=Size.MEDIUM, inline=True),
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field.checkbox("name_not_known"),
            Field.select("year_group"),
            Field.text("description"),
        )

    def clean(self):
        data = super().clean()
        first, last = data.get("first_name", "").strip(), data.get("last_name", "").strip()
        not_known = data.get("name_not_known")
        kind = data.get("kind")
        if kind == IncidentPerson.Kind.PUPIL:
            if not_known and (first or last):
                self.add_error(
                    "name_not_known", "Enter the pupil's name or tick 'Name not known', not both"
                )
            elif not not_known:
                if not first:
                    self.add_error(
                        "first_name", "Enter the pupil's first name, or tick 'Name not known'"
                    )
                if not last:
                    self.add_error(
                        "last_name", "Enter the pupil's last name, or tick 'Name not known'"
                    )
        elif kind and not (first and last) and not data.get("description", "").strip():
            self.add_error(
                "description", "Enter the person's name or a description, like 'Year 9 tutor'"
            )
        if kind and kind != IncidentPerson.Kind.PUPIL:
            data["year_group"] = ""
        return data

    @property
    def person_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name) or ("" if name != "name_not_known" else False)
            for name in (
                "part",
                "kind",
                "first_name",
                "last_name",
                "name_not_known",
                "year_group",
                "description",
            )
        }


class ExhibitForm(GovukFormMixin, forms.Form):
    submit_label = "Add this exhibit"

    what = text_field(
        "What is it?",
        required_message="Enter what the exhibit is",
        max_length=200,
        help_text="For example, a kitchen knife in a sealed bag, or CCTV from the main gate.",
    )
    where_kept = text_field(
        "Where is it kept?",
        required_message="Enter where the exhibit is kept",
        max_length=200,
        help_text="For example, the locked safe in the headteacher's office.",
    )
    held_by = text_field(
        "Who holds it?",
        required_message="Enter who holds the exhibit",
        max_length=150,
        help_text="The person responsible for it until the officer takes it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.attrs = {"novalidate": ""}


class OutcomeForm(GovukFormMixin, forms.Form):
    submit_label = "Record the outcome"

    outcome = radio_field(
        "What was the outcome?", Incident.Outcome.choices, required_message="Choose the outcome"
    )
    crime_reference = text_field("Crime reference", max_length=40)
    school_note = text_field(
        "Note for the school (optional)",
        max_length=2000,
        rows=3,
        help_text="The school reads this. Do not include police information or intelligence.",
    )
    police_note = text_field(
        "Police-only note (optional)",
        max_length=4000,
        rows=3,
        help_text="Never shown to the school.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.attrs = {"novalidate": ""}
        for name in ("school_note", "police_note"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.helper.layout = Layout(
            QuestionRadios(
                "outcome",
                *[
                    ConditionalQuestion(label, Field.text("crime_reference", field_width=20))
                    if value == Incident.Outcome.CRIME_RECORDED
                    else label
                    for value, label in Incident.Outcome.choices
                ],
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("school_note", rows=3),
            Field.textarea("police_note", rows=3),
        )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Incident.Outcome.CRIME_RECORDED:
            if not data.get("crime_reference", "").strip():
                self.add_error("crime_reference", "Enter the crime reference")
        else:
            data["crime_reference"] = ""
        return data


class LeadForm(GovukFormMixin, forms.Form):
    submit_label = "Name as a designated lead"

    person = forms.ModelChoiceField(
        label="Who may report incidents?",
        queryset=User.objects.none(),
        empty_label="Choose a member of staff",
        error_messages={
            "required": "Choose a member of staff",
            "invalid_choice": "Choose a member of your school's staff",
        },
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        # The headteacher and the DSL report already; others need naming.
        self.fields["person"].queryset = (
            User.objects.filter(
                organisation_id=school.organisation_id, role__in=SCHOOL_ROLES, is_active=True
            )
            .exclude(role__in=SCHOOL_REFERRER_ROLES)
            .exclude(incident_designations__school=school, incident_designations__revoked_at=None)
            .order_by("full_name")
        )
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(Field.select("person"))


class ProtocolKindForm(GovukFormMixin, forms.ModelForm):
    """The force's wording of a kind of incident, and its steps one a line."""

    submit_label = "Save"

    steps = text_field(
        "Steps agreed for this kind",
        required_message="Enter at least one step",
        max_length=8000,
        rows=10,
        help_text="One step a paragraph, separated by a blank line, in the order staff follow them.",
    )

    class Meta:
        model = IncidentKind
        fields = ["name", "is_urgent", "is_active"]
        labels = {
            "name": "Name",
            "is_urgent": "Urgent: tell the reporter to call 999 or the control room now",
            "is_active": "Offered to schools",
        }
        error_messages = {"name": {"required": "Enter the name of the kind of incident"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.attrs = {"novalidate": ""}
        self.fields["steps"].widget.attrs.pop("maxlength", None)
        if self.instance.pk:
            self.fields["steps"].initial = "\n\n".join(
                self.instance.steps.values_list("text", flat=True)
            )
        self.helper.layout = Layout(
            Field.text("name"),
            Field.checkbox("is_urgent"),
            Field.checkbox("is_active"),
            Field.textarea("steps", rows=10),
        )

    @property
    def step_texts(self) -> list[str]:
        text = self.cleaned_data["steps"].replace("\r\n", "\n")
        return [" ".join(part.split()) for part in re.split(r"\n\s*\n", text) if part.strip()]

    def clean_steps(self):
        text = self.cleaned_data["steps"]
        parts = [part for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if part.strip()]
        if any(len(part) > 1000 for part in parts):
            raise forms.ValidationError("Each step must be 1,000 characters or fewer")
        return text


STEP_FORMS = {
    "kind": KindForm,
    "when": WhenForm,
    "where": WhereForm,
    "what": WhatForm,
    "third_party": ThirdPartyForm,
    "evidence": EvidenceForm,
    "parents": ParentsForm,
}
