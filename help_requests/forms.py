"""The forms of a request for help: the school's question, the officer's answer and links."""

from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field
from bookings.models import Session

from .models import ANSWER_MAX_LENGTH, NEED_MAX_LENGTH, HelpRequest


class HelpRequestForm(GovukFormMixin, forms.Form):
    """One short page a member of school staff fills in on a phone."""

    submit_label = "Send to your officer"

    kind = forms.ChoiceField(
        label="What do you need help with?",
        choices=HelpRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what you need help with",
            "invalid_choice": "Choose what you need help with",
        },
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
