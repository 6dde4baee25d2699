"""The forms of a request for help: the school's question, the officer's answer and links."""

import datetime

from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field, radio_field, text_field
from bookings.models import Session
from incidents.models import Incident, IncidentKind

from .models import ANSWER_MAX_LENGTH, NEED_MAX_LENGTH, HelpRequest


class HelpRequestForm(GovukFormMixin, forms.Form):
    """One short page a member of school staff fills in on a phone."""

    submit_label = "Send to your officer"

    kind = radio_field(
        "What do you need help with?",
        HelpRequest.Kind.choices,
        required_message="Choose what you need help with",
    )
    need = forms.CharField(
        label="What do you need?",
        max_length=NEED_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example the class or year group, the time of day, or what has happened. "
        "Do not write pupils' names: to tell the police about a pupil, make a referral.",
        error_messages={
            "required": "Say what you need",
            "max_length": f"What you need must be {NEED_MAX_LENGTH:,} characters or fewer",
        },
    )
    needed_by = date_field(
        "When is it needed? (optional)",
        required=False,
        help_text="For example, 27 3 2027. Leave it blank if there is no date.",
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        # A maxlength would cut pasted text silently; the page says when it is too long.
        self.fields["need"].widget.attrs.pop("maxlength", None)
        self.helper.attrs = {"novalidate": ""}
        self.helper.inputs = []
        self.helper.layout = Layout(
            Field("kind", context={"legend_size": Size.for_legend(Size.MEDIUM)}),
            Field.textarea("need", rows=5, max_characters=NEED_MAX_LENGTH),
            Field("needed_by", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Submit("submit", self.submit_label),
        )

    def clean_need(self):
        need = self.cleaned_data["need"].strip()
        if not need:
            raise forms.ValidationError("Say what you need")
        return need

    def clean_needed_by(self):
        needed_by = self.cleaned_data.get("needed_by")
        if needed_by is not None and needed_by < self.today:
            raise forms.ValidationError("The date it is needed must be today or in the future")
        return needed_by


class AnswerForm(GovukFormMixin, forms.Form):
    submit_label = "Send answer"

    answer = forms.CharField(
        label="Your answer to the school",
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The school sees this and is emailed that you have answered. "
        "Do not write pupils' names or police intelligence.",
        error_messages={
            "required": "Write your answer to the school",
            "max_length": f"Your answer must be {ANSWER_MAX_LENGTH:,} characters or fewer",
        },
    )
    close = forms.BooleanField(label="Close the request: nothing more is needed", required=False)

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].widget.attrs.pop("maxlength", None)
        self.helper.form_action = action
        self.helper.attrs = {"novalidate": ""}

    def clean_answer(self):
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise forms.ValidationError("Write your answer to the school")
        return answer


class SuggestSessionForm(GovukFormMixin, forms.Form):
    submit_label = "Suggest this session"

    session = forms.ModelChoiceField(
        label="Session to suggest",
        queryset=Session.objects.none(),
        empty_label="Choose a session",
        help_text="The school sees a link to book it.",
        error_messages={
            "required": "Choose the session to suggest",
            "invalid_choice": "Choose a session of the force's catalogue",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = (
            Session.objects.visible_to(user).active().only("pk", "title").order_by("title")
        )
        self.helper.attrs = {"novalidate": ""}


class IncidentFromRequestForm(GovukFormMixin, forms.Form):
    """The officer records what the school asked about as an incident: what happened, when and
    where, taken from the request, and the answer the school reads."""

    submit_label = "Record the incident and answer the school"

    kind = forms.ModelChoiceField(
        label="What happened?",
        queryset=IncidentKind.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose what happened",
            "invalid_choice": "Choose one of the kinds of incident listed",
        },
    )
    occurred_on = date_field(
        "Date of the incident",
        required_message="Enter the date of the incident",
        help_text="For example, 27 3 2026.",
    )
    place = radio_field(
        "Where did it happen?", Incident.Place.choices, required_message="Choose where it happened"
    )
    place_detail = text_field("Where exactly (optional)", max_length=200)
    summary = text_field(
        "What happened",
        required_message="Describe what happened",
        max_length=3000,
        rows=6,
        help_text="Taken from the school's request: add what you know.",
    )
    answer = forms.CharField(
        label="Your answer to the school",
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The school sees this, and a link to the incident if its role may read it. "
        "Do not write pupils' names or police intelligence.",
        error_messages={
            "required": "Write your answer to the school",
            "max_length": f"Your answer must be {ANSWER_MAX_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = IncidentKind.objects.filter(
            force_id=school.force_id
        ).active()
        for name in ("summary", "answer"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.helper.attrs = {"novalidate": ""}
        self.helper.inputs = []
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field("occurred_on", context={"legend_size": Size.for_legend(Size.MEDIUM)}),
            Field.radios("place", legend_size=Size.MEDIUM),
            Field.text("place_detail"),
            Field.textarea("summary", rows=6, max_characters=3000),
            Field.textarea("answer", rows=4, max_characters=ANSWER_MAX_LENGTH),
            Submit("submit", self.submit_label),
        )

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError("The date of the incident must be today or in the past")
        if day < today - datetime.timedelta(days=366):
            raise forms.ValidationError("The date of the incident must be within the last year")
        return day

    def clean_summary(self):
        summary = self.cleaned_data["summary"].strip()
        if not summary:
            raise forms.ValidationError("Describe what happened")
        return summary

    def clean_answer(self):
        answer = self.cleaned_data["answer"].strip()
        if not answer:
            raise forms.ValidationError("Write your answer to the school")
        return answer
