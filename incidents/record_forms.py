"""Forms of the officer's operational records: a search, a restorative resolution, a consent,
its outcome, and an arrest. GOV.UK questions, plain-English errors, nothing lost on an error."""

import datetime

from crispy_forms_gds.layout import HTML, ConditionalQuestion, Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field, force_officers, radio_field, text_field

from .forms import QuestionRadios, parse_time
from .models import YEAR_GROUPS
from .records import (
    COMPENSATION_MESSAGE,
    NEVER_COMPENSATION,
    ConsentSignature,
    PupilSearch,
    RestorativeResolution,
    is_compensation,
)

TIME_HINT = "For example, 9:30am or 14:30."


class TimeField(forms.CharField):
    """A time typed like 9:30am or 14:30, read into a time."""

    def __init__(self, label, *, required_message=None, **kwargs):
        super().__init__(
            label=label,
            max_length=10,
            required=required_message is not None,
            help_text=kwargs.pop("help_text", TIME_HINT),
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            error_messages={
                "required": required_message or "",
                "max_length": "Enter the time like 9:30am or 14:30",
            },
            **kwargs,
        )

    def clean(self, value):
        return parse_time(super().clean(value))


def _not_future(form, day_name, time_name, what):
    """Add "must be today or in the past" errors for a date and time in the future."""
    day, time = form.cleaned_data.get(day_name), form.cleaned_data.get(time_name)
    if day and day > timezone.localdate():
        form.add_error(day_name, f"The date {what} must be today or in the past")
    elif day and time and day == timezone.localdate() and time > timezone.localtime().time():
        form.add_error(time_name, f"The time {what} must be in the past")


class RecordForm(GovukFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.attrs = {"novalidate": ""}
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.pop("maxlength", None)


POLICE_NOTE = {
    "label": "Police-only note (optional)",
    "max_length": 4000,
    "rows": 3,
    "help_text": "Never shown to the school: intelligence and police information.",
}


class SearchForm(RecordForm):
    submit_label = "Save the search record"

    pupil_name = text_field(
        "Name of the pupil searched",
        max_length=150,
        required_message="Enter the name of the pupil searched",
    )
    year_group = forms.ChoiceField(
        label="Year group (optional)", choices=[("", "Not known"), *YEAR_GROUPS], required=False
    )
    searched_on = date_field(
        "Date of the search",
        required_message="Enter the date of the search",
        help_text="For example, 27 3 2026.",
    )
    searched_at = TimeField("Time of the search", required_message="Enter the time of the search")
    place = text_field(
        "Where did the search take place?",
        short_label="Where",
        max_length=200,
        required_message="Enter where the search took place",
        help_text="For example, the deputy head's office.",
    )
    grounds = text_field(
        "Grounds for the search",
        max_length=2000,
        rows=3,
        required_message="Enter the grounds for the search",
        help_text="What gave reasonable grounds to suspect the pupil had the item.",
    )
    object_of_search = text_field(
        "What was searched for?",
        short_label="What was searched for",
        max_length=300,
        required_message="Enter what was searched for",
    )
    found = text_field(
        "What was found?",
        short_label="What was found",
        max_length=500,
        required_message="Enter what was found, or 'Nothing'",
    )
    officer = forms.ModelChoiceField(
        label="Officer who searched",
        queryset=None,
        empty_label="Choose an officer",
        error_messages={
            "required": "Choose the officer who searched",
            "invalid_choice": "Choose an officer of your force",
        },
    )
    staff_present = text_field(
        "Staff who assisted",
        max_length=300,
        required_message="Enter the names and roles of the staff who assisted",
        help_text="Their names and roles, for example 'Mr A Patel, deputy head'.",
    )
    parents_told = radio_field(
        "Have the parents been told?",
        PupilSearch.ParentsTold.choices,
        required_message="Say whether the parents have been told",
    )
    parents_told_by = text_field(
        "Who told them?", short_label="Who told them", max_length=150,
        help_text="The protocol asks the school to tell them: the name and role.",
    )  # fmt: skip
    parents_told_how = forms.ChoiceField(
        label="How were they told?",
        choices=PupilSearch.HowTold.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    parents_told_on = date_field("Date they were told", required=False)
    parents_told_at = TimeField("Time they were told (optional)")
    outcome = radio_field(
        "Outcome of the search",
        PupilSearch.Outcome.choices,
        required_message="Choose the outcome of the search",
    )
    outcome_detail = text_field("About the outcome (optional)", max_length=500)
    police_note = text_field(**POLICE_NOTE)

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = force_officers(force)
        self.fields["officer"].label_from_instance = lambda officer: officer.display_name
        self.helper.layout = Layout(
            Fieldset(
                Field.text("pupil_name"),
                Field.select("year_group"),
                legend="The pupil",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("searched_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
                Field.text("searched_at", field_width=5),
                Field.text("place"),
                legend="When and where",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("grounds", rows=3),
                Field.text("object_of_search"),
                Field.text("found"),
                Field.select("officer"),
                Field.text("staff_present"),
                legend="The search",
                legend_size=Size.MEDIUM,
            ),
            QuestionRadios(
                "parents_told",
                ConditionalQuestion(
                    PupilSearch.ParentsTold.YES.label,
                    Field.text("parents_told_by"),
                    Field.radios("parents_told_how", legend_size=Size.SMALL),
                    Field("parents_told_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
                    Field.text("parents_told_at", field_width=5),
                ),
                PupilSearch.ParentsTold.NOT_YET.label,
                legend_size=Size.MEDIUM,
            ),
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.text("outcome_detail"),
            Field.textarea("police_note", rows=3),
        )

    def clean(self):
        data = super().clean()
        _not_future(self, "searched_on", "searched_at", "of the search")
        if data.get("parents_told") == PupilSearch.ParentsTold.YES:
            if not data.get("parents_told_by", "").strip():
                self.add_error("parents_told_by", "Enter who told the parents")
            if not data.get("parents_told_how"):
                self.add_error("parents_told_how", "Choose how the parents were told")
            if not data.get("parents_told_on") and "parents_told_on" not in self.errors:
                self.add_error("parents_told_on", "Enter the date the parents were told")
            _not_future(self, "parents_told_on", "parents_told_at", "the parents were told")
        return data


class CopiesForm(RecordForm):
    submit_label = "Record the copies"

    given_to_pupil_on = date_field(
        "Date the copy was given to the pupil",
        required_message="Enter the date the copy was given to the pupil",
    )
    given_to_pupil_at = TimeField("Time (optional)")
    filed_with = text_field(
        "Who at the school took the copy for the pupil's file?",
        short_label="Who took the copy",
        max_length=150,
        required_message="Enter who at the school took the copy for the pupil's file",
    )
    filed_on = date_field(
        "Date the copy was filed to the school",
        required_message="Enter the date the copy was filed to the school",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field("given_to_pupil_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("given_to_pupil_at", field_width=5),
            Field.text("filed_with"),
            Field("filed_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
        )

    def clean(self):
        data = super().clean()
        _not_future(self, "given_to_pupil_on", "given_to_pupil_at", "the copy was given")
        if data.get("filed_on") and data["filed_on"] > timezone.localdate():
            self.add_error("filed_on", "The date the copy was filed must be today or in the past")
        return data

    def moments(self) -> dict:
        """The service's arguments: the two moments, as aware datetimes."""
        data = self.cleaned_data
        given = datetime.datetime.combine(
            data["given_to_pupil_on"], data.get("given_to_pupil_at") or datetime.time(0, 0)
        )
        filed = datetime.datetime.combine(data["filed_on"], datetime.time(0, 0))
        return {
            "given_to_pupil_at": timezone.make_aware(given),
            "filed_with": data["filed_with"],
            "filed_at": timezone.make_aware(filed),
        }


class ResolutionForm(RecordForm):
    submit_label = "Save and ask for agreement"

    proposed = text_field(
        "What is proposed?",
        short_label="What is proposed",
        max_length=3000,
        rows=5,
        required_message="Describe the resolution proposed",
        help_text=NEVER_COMPENSATION,
    )
    police_note = text_field(**POLICE_NOTE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.textarea("proposed", rows=5, label_size=Size.MEDIUM),
            Field.textarea("police_note", rows=3),
        )

    def clean_proposed(self):
        text = self.cleaned_data["proposed"].strip()
        if is_compensation(text):
            raise forms.ValidationError(COMPENSATION_MESSAGE)
        return text


class ConsentForm(RecordForm):
    """One party agrees, in person, on the officer's device."""

    submit_label = "I agree"

    capacity = radio_field(
        "Who is agreeing?",
        ConsentSignature.Capacity.choices,
        required_message="Choose who is agreeing",
    )
    signer_name = text_field(
        "Their full name",
        max_length=150,
        required_message="Enter the full name of the person agreeing",
    )
    typed_name = text_field(
        "Type your full name to sign",
        short_label="Your name",
        max_length=150,
        required_message="Type your full name to sign",
        help_text="The person agreeing types this themselves.",
    )
    agreed = forms.BooleanField(
        label="I have read the resolution above and I agree to it",
        required=True,
        error_messages={"required": "Tick the box to confirm you agree to the resolution"},
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["typed_name"].widget.attrs["autocomplete"] = "off"
        self.helper.layout = Layout(
            Field.radios("capacity", legend_size=Size.MEDIUM),
            Field.text("signer_name"),
            HTML('<p class="govuk-body">Now hand the device to the person agreeing.</p>'),
            Field.text("typed_name"),
            Field.checkbox("agreed"),
            "fingerprint",
        )

    def clean(self):
        data = super().clean()
        signer, typed = data.get("signer_name", ""), data.get("typed_name", "")
        if signer and typed and " ".join(signer.lower().split()) != " ".join(typed.lower().split()):
            self.add_error("typed_name", "Type your name exactly as it is written above")
        return data


class ResolutionOutcomeForm(RecordForm):
    submit_label = "Record the outcome"

    outcome = radio_field(
        "What was the outcome?",
        RestorativeResolution.Outcome.choices,
        required_message="Choose the outcome",
    )
    outcome_detail = text_field(
        "What happened (optional)", short_label="What happened", max_length=2000, rows=3
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.textarea("outcome_detail", rows=3),
        )

    def clean_outcome_detail(self):
        text = self.cleaned_data["outcome_detail"].strip()
        if is_compensation(text):
            raise forms.ValidationError(
                "A restorative resolution is never compensation. Remove any payment, money or "
                "compensation from what happened"
            )
        return text


class ArrestForm(RecordForm):
    submit_label = "Save the arrest record"

    person_name = text_field(
        "Name of the person arrested",
        max_length=150,
        required_message="Enter the name of the person arrested",
    )
    year_group = forms.ChoiceField(
        label="Year group (if a pupil)",
        choices=[("", "Not a pupil or not known"), *YEAR_GROUPS],
        required=False,
    )
    arrested_on = date_field(
        "Date of the arrest",
        required_message="Enter the date of the arrest",
        help_text="For example, 27 3 2026.",
    )
    arrested_at = TimeField("Time of the arrest", required_message="Enter the time of the arrest")
    offence = text_field(
        "Offence", max_length=300, required_message="Enter the offence the arrest is for"
    )
    necessity = text_field(
        "Why was the arrest necessary?",
        short_label="Why the arrest was necessary",
        max_length=2000,
        rows=3,
        required_message="Enter why the arrest was necessary",
        help_text="The necessity criteria that applied (PACE Code G).",
    )
    why_not_wait = text_field(
        "Why could it not wait until the pupil was away from school?",
        short_label="Why it could not wait",
        max_length=2000,
        rows=3,
        required_message="Enter why the arrest could not wait until the pupil was away from school",
    )
    protocol_confirmed = forms.BooleanField(
        label="I confirm this is a serious matter that could not wait, as the protocol asks",
        required=True,
        error_messages={
            "required": "Confirm the matter was serious and could not wait until after school"
        },
    )
    head_told = text_field(
        "Who at the school was told?",
        short_label="Who was told",
        max_length=150,
        required_message="Enter who at the school was told, usually the headteacher",
        help_text="The headteacher, or who stood in for them: their name and role.",
    )
    head_told_at = TimeField(
        "Time they were told", required_message="Enter the time the school was told"
    )
    police_note = text_field(**POLICE_NOTE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.text("person_name"),
            Field.select("year_group"),
            Field("arrested_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("arrested_at", field_width=5),
            Field.text("offence"),
            Field.textarea("necessity", rows=3),
            Field.textarea("why_not_wait", rows=3),
            Field.checkbox("protocol_confirmed"),
            Field.text("head_told"),
            Field.text("head_told_at", field_width=5),
            Field.textarea("police_note", rows=3),
        )

    def clean(self):
        data = super().clean()
        _not_future(self, "arrested_on", "arrested_at", "of the arrest")
        return data
