"""Forms of multi-agency panels and of actions owned outside the police."""

import datetime

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone

from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field, radio_field, text_field
from accounts.models import User

from .forms import ActionQuestions, CaseworkFormMixin
from .models import PANEL_MEMBER_ROLES, Case, PanelMeeting, RiskLevel

TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


def _days_field(label, help_text):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=PanelMeeting.MAX_WINDOW_DAYS,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "invalid": "Enter a whole number of days, like 3",
            "min_value": f"Enter a number of days from 0 to {PanelMeeting.MAX_WINDOW_DAYS}",
            "max_value": f"Enter a number of days from 0 to {PanelMeeting.MAX_WINDOW_DAYS}",
        },
    )


class PanelMeetingForm(CaseworkFormMixin, forms.Form):
    submit_label = "Set up the panel meeting"

    title = text_field(
        "Name of the panel",
        required_message="Enter the name of the panel",
        max_length=200,
        help_text="For example, North Dorset multi-agency youth panel.",
    )
    on = date_field("Date", required_message="Enter the date of the meeting")
    at = forms.TimeField(
        label="Start time",
        input_formats=TIME_INPUT_FORMATS,
        help_text="In 24-hour time, for example 09:30 or 14:00.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time as hours and minutes, like 14:30",
        },
    )
    place = text_field(
        "Where", required_message="Enter where the meeting is", max_length=200, short_label="Place"
    )
    access_days_before = _days_field(
        "Days before the meeting members may read its cases",
        "Members read the cases on the agenda, and only those, from this many days before.",
    )
    access_days_after = _days_field(
        "Days after the meeting they may still read them", "After this, they read nothing."
    )

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["access_days_before"].initial = force.panel_access_days_before
        self.fields["access_days_after"].initial = force.panel_access_days_after

    def layout_fields(self):
        return [
            Field.text("title"),
            Field("on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("at", field_width=5),
            Field.text("place"),
            Field.text("access_days_before", field_width=3),
            Field.text("access_days_after", field_width=3),
        ]

    def clean(self):
        data = super().clean()
        if data.get("on") and data.get("at"):
            data["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(data["on"], data["at"])
            )
        return data


def panel_people(force):
    """The force's active people who may sit on a panel: police, school staff, agencies."""
    return (
        User.objects.filter(organisation__force=force, role__in=PANEL_MEMBER_ROLES, is_active=True)
        .select_related("organisation")
        .order_by("organisation__kind", "organisation__name", "full_name")
    )


def _grouped(people):
    groups = {}
    for person in people:
        label = f"{person.display_name}, {person.get_role_display().lower()}"
        groups.setdefault(person.organisation.name, []).append((person.pk, label))
    return list(groups.items())


class PanelMemberForm(GovukFormMixin, forms.Form):
    submit_label = "Add to the panel"

    user = forms.TypedChoiceField(
        label="Who sits on the panel",
        coerce=int,
        help_text="Police, school staff and partner agency workers of the force. They will read "
        "only the cases on this meeting's agenda, only in its reading window.",
        error_messages={
            "required": "Choose who to add",
            "invalid_choice": "Choose a person from the list",
        },
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = panel_people(meeting.force_id).exclude(
            pk__in=meeting.members.values("user_id")
        )
        self.fields["user"].choices = [("", "Choose a person"), *_grouped(self.people)]
        self.helper.layout = Layout(Field.select("user"))

    def clean_user(self):
        person = self.people.filter(pk=self.cleaned_data["user"]).first()
        if person is None:
            raise forms.ValidationError("Choose a person from the list")
        return person


class PanelCaseForm(CaseworkFormMixin, forms.Form):
    submit_label = "Add to the agenda"

    reference = text_field(
        "Case reference",
        required_message="Enter the case reference",
        max_length=36,
        help_text='The 8 characters after "Case" on the case page, for example 1A2B3C4D.',
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def layout_fields(self):
        return [Field.text("reference", field_width=10)]

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip().lower()
        cases = Case.objects.held_by(self.user).open().filter(public_id__istartswith=reference)
        matches = list(cases[:2]) if len(reference) >= 8 else []
        if len(matches) != 1:
            raise forms.ValidationError("Enter the reference of an open case you hold")
        return matches[0]


class AttendanceForm(GovukFormMixin, forms.Form):
    submit_label = "Save attendance"

    attended = forms.TypedMultipleChoiceField(
        label="Who attended",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose members from the list"},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [(m.pk, m.user.display_name) for m in members]
        self.fields["attended"].initial = [m.pk for m in members if m.attended]
        self.helper.layout = Layout(Field.checkboxes("attended", legend_size=Size.SMALL))


class DecisionForm(CaseworkFormMixin, forms.Form):
    submit_label = "Record the decision"

    risk_level = radio_field(
        "Risk agreed by the panel",
        RiskLevel.choices,
        required_message="Choose the risk the panel agreed: high, medium or low",
    )
    agreed = text_field(
        "What the panel agreed",
        required_message="Enter what the panel agreed",
        max_length=4000,
        rows=5,
        help_text="Actions with owners are added next; this goes on the case log.",
    )

    def layout_fields(self):
        return [
            Field.radios("risk_level", legend_size=Size.SMALL),
            Field.textarea("agreed", rows=5),
        ]


class PanelActionForm(ActionQuestions):
    owner = forms.TypedChoiceField(
        label="Who owns it",
        coerce=int,
        help_text="A member of the panel. An owner at a school or partner agency sees the "
        "action (not the case) under My actions, and is reminded of its monthly review.",
        error_messages={
            "required": "Choose who owns the action",
            "invalid_choice": "Choose a member of the panel",
        },
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = panel_people(meeting.force_id).filter(
            pk__in=meeting.members.values("user_id")
        )
        self.fields["owner"].choices = [("", "Choose a member"), *_grouped(self.people)]

    def layout_fields(self):
        return [
            Field.radios("term", legend_size=Size.SMALL),
            Field.textarea("description", rows=3),
            Field.select("owner"),
            Field("due_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
        ]

    def clean_owner(self):
        person = self.people.filter(pk=self.cleaned_data["owner"]).first()
        if person is None:
            raise forms.ValidationError("Choose a member of the panel")
        return person


class OwnerUpdateForm(CaseworkFormMixin, forms.Form):
    submit_label = "Save the update"

    note = text_field(
        "What has happened",
        required_message="Enter what has happened",
        max_length=2000,
        rows=4,
        help_text="The case's officer reads this on the case log, with your name.",
    )
    done = forms.TypedChoiceField(
        label="Is the action done?",
        choices=[("no", "Not yet: this is a progress update"), ("yes", "Yes, it is done")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the action is done"},
    )

    def layout_fields(self):
        return [Field.textarea("note", rows=4), Field.radios("done", legend_size=Size.SMALL)]
