"""Forms of the catalogue, booking, slots, cancellations, evaluation and demand."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from accounts.filtering import IdsField
from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field, radio_field
from accounts.models import Role
from schools.models import School

from .models import (
    RULE_FIELDS,
    YEAR_GROUPS,
    Booking,
    ProviderRules,
    Session,
    Topic,
    pack_codes,
)


def providers_rules_text(user, providers) -> str:
    """The rules of the providers a session may be published for, for the session form:
    "Your provider's rules: …", or each provider's when a coordinator manages several."""
    rules = ProviderRules.objects.visible_to(user).by_provider(providers)
    if len(providers) == 1:
        return f"Your provider's rules: {rules[providers[0].pk].summary()}"
    return "The providers' rules: " + "; ".join(
        f"{p.name}: {rules[p.pk].summary()}" for p in providers
    )


TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


def _time_field(label, required_message):
    return forms.TimeField(
        label=label,
        input_formats=TIME_INPUT_FORMATS,
        help_text="In 24-hour time, for example 09:00 or 13:30.",
        widget=forms.TextInput(attrs={"input_type": "time", "autocomplete": "off"}),
        error_messages={
            "required": required_message,
            "invalid": "Enter a time like 09:00 or 13:30",
        },
    )


class ServerChecked(GovukFormMixin):
    """The GOV.UK layout, checked on the server only: plain-English errors in the error
    summary, not the browser's own bubbles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.attrs = {"novalidate": ""}


class BookingsForm(ServerChecked, forms.Form):
    """A bookings form (not bound to a model)."""


def _year_groups_field(label="Year groups", help_text=""):
    return forms.TypedMultipleChoiceField(
        label=label,
        choices=YEAR_GROUPS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={"required": "Choose at least one year group"},
    )


class CohortFields(BookingsForm):
    """Who takes part: year groups and a number of pupils, at most `most_pupils` (the
    session's capacity, or a limit of the form's own). Shared by booking, the waitlist,
    proposing a date and a case's targeted input."""

    most_pupils = 500

    year_groups = _year_groups_field(help_text="Choose all that apply.")
    pupils = forms.IntegerField(
        label="Number of pupils",
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter how many pupils will take part",
            "invalid": "Enter the number of pupils as a whole number, like 30",
            "min_value": "Enter at least 1 pupil",
        },
    )

    def too_many_pupils(self) -> str:
        return f"Enter {self.most_pupils} pupils or fewer"

    def clean_pupils(self):
        pupils = self.cleaned_data["pupils"]
        if pupils > self.most_pupils:
            raise forms.ValidationError(self.too_many_pupils())
        return pupils


class CohortForm(CohortFields):
    """Screen 2 of booking (and joining a waitlist): who will take part in the session."""

    submit_label = "Continue"

    needs = forms.CharField(
        label="Any needs the provider should know about (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example access, SEND or language needs. Do not write pupils' names.",
        error_messages={"max_length": "Needs must be 1,000 characters or fewer"},
    )

    def __init__(self, *args, session: Session, submit_label=None, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        self.session = session
        self.most_pupils = session.capacity
        self.fields["pupils"].help_text = f"At most {session.capacity} pupils."
        self.fields["needs"].widget.attrs.pop("maxlength", None)

    def too_many_pupils(self) -> str:
        return f"This session takes at most {self.session.capacity} pupils at a time"


RULE_LIMITS = (
    ("min_notice_days", 0, 365),
    ("buffer_minutes", 0, 1440),
    ("max_dates_per_day", 1, 20),
)
RULE_LABELS = {
    "min_notice_days": "Minimum notice in days",
    "term_time_only": "Dates in school term time only",
    "buffer_minutes": "Minutes a deliverer needs between two dates",
    "max_dates_per_day": "Most dates a deliverer takes in a day (optional)",
}
RULE_ERRORS = {
    "min_notice_days": {
        "required": "Enter the minimum notice in days, or 0 for none",
        "invalid": "Enter the minimum notice as a whole number of days",
        "min_value": "Enter 0 days or more",
        "max_value": "Enter 365 days or fewer",
    },
    "buffer_minutes": {
        "required": "Enter the minutes between two dates, or 0 for none",
        "invalid": "Enter the minutes as a whole number",
        "min_value": "Enter 0 minutes or more",
        "max_value": "Enter 1,440 minutes (a day) or fewer",
    },
    "max_dates_per_day": {
        "invalid": "Enter the most dates a day as a whole number",
        "min_value": "Enter at least 1 date a day, or leave it empty",
        "max_value": "Enter 20 dates a day or fewer",
    },
}


class RuleFieldsMixin:
    """The four booking-rule fields of a model form (a provider's rules, a session's own):
    typed as text, empty meaning none, bounded with plain-English errors."""

    def tidy_rule_fields(self):
        for name, low, top in RULE_LIMITS:
            field = self.fields[name]
            field.required = False
            field.validators = [MinValueValidator(low), MaxValueValidator(top)]
            field.widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def clean_min_notice_days(self):
        return self.cleaned_data.get("min_notice_days") or 0

    def clean_buffer_minutes(self):
        return self.cleaned_data.get("buffer_minutes") or 0


class ProviderRulesForm(RuleFieldsMixin, ServerChecked, forms.ModelForm):
    """The booking rules a provider sets once for all its sessions."""

    submit_label = "Save booking rules"

    class Meta:
        model = ProviderRules
        fields = ["min_notice_days", "term_time_only", "buffer_minutes", "max_dates_per_day"]
        labels = RULE_LABELS
        error_messages = RULE_ERRORS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tidy_rule_fields()


class SessionForm(RuleFieldsMixin, ServerChecked, forms.ModelForm):
    submit_label = "Save session"
    MAX_POUNDS = 1_000_000  # far above any session; the pence fit the column

    year_groups = _year_groups_field("Audience: year groups")
    cost = forms.CharField(
        label="Cost per session in pounds",
        help_text="Enter 0 if the session is free.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": "Enter the cost, or 0 if it is free"},
    )
    target_tiers = forms.MultipleChoiceField(
        label="Tiers it is aimed at (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Schools of these tiers see it first.",
    )
    own_rules = forms.TypedChoiceField(
        label="Booking rules",
        choices=[
            ("provider", "Use the provider's booking rules"),
            ("own", "Set this session's own rules (below)"),
        ],
        coerce=lambda value: value == "own",
        required=False,
        empty_value=False,  # not answered: the provider's rules
        initial="provider",
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Choose one of the listed answers",
        },
    )

    class Meta:
        model = Session
        fields = [
            "provider",
            "title",
            "topic",
            "format",
            "length_minutes",
            "capacity",
            "description",
            "school_provides",
            "needs_provider_acceptance",
            "is_priority",
            "active",
            "own_rules",
            "min_notice_days",
            "term_time_only",
            "buffer_minutes",
            "max_dates_per_day",
        ]
        labels = {
            **RULE_LABELS,
            "length_minutes": "Length in minutes",
            "capacity": "Most pupils at a time",
            "school_provides": "What the school must provide (optional)",
            "needs_provider_acceptance": "The provider accepts each booking before it is confirmed",
            "is_priority": "One of the force's priority inputs (offered first to Universal schools)",
            "active": "Shown in the catalogue",
        }
        widgets = {"format": forms.RadioSelect}
        error_messages = {
            "title": {"required": "Enter the session's title"},
            "topic": {"required": "Choose the topic"},
            "format": {"required": "Choose the format"},
            "length_minutes": {
                "required": "Enter the length in minutes",
                "invalid": "Enter the length as a whole number of minutes",
            },
            "capacity": {
                "required": "Enter the most pupils at a time",
                "invalid": "Enter the number of pupils as a whole number",
            },
            "description": {"required": "Describe the session"},
            "provider": {"required": "Choose the provider"},
            **RULE_ERRORS,
        }

    def __init__(self, *args, user, providers, tiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = self.fields["provider"].queryset.filter(
            pk__in=[p.pk for p in providers]
        )
        self.fields["provider"].empty_label = None
        if len(providers) == 1:
            self.fields["provider"].widget = forms.HiddenInput()
            self.fields["provider"].initial = providers[0].pk
        self.fields["topic"].queryset = Topic.objects.visible_to(user)
        self.fields["target_tiers"].choices = tiers
        if user.role != Role.COORDINATOR:
            del self.fields["is_priority"]
        self.tidy_rule_fields()
        self.fields["own_rules"].help_text = providers_rules_text(user, providers)
        if self.instance.pk:
            self.initial["own_rules"] = "own" if self.instance.own_rules else "provider"
            self.fields["year_groups"].initial = self.instance.year_group_list
            self.fields["target_tiers"].initial = self.instance.tier_list
            pounds = Decimal(self.instance.cost_pence) / 100
            self.fields["cost"].initial = f"{pounds:.2f}"
        else:
            self.fields["cost"].initial = "0"

    def clean(self):
        data = super().clean()
        if data.get("own_rules") is False:
            # The provider's rules apply: the session's own are kept as they were, unchecked.
            for name in RULE_FIELDS:
                self.errors.pop(name, None)
                data[name] = getattr(self.instance, name)
        return data

    def session_fields(self) -> dict:
        """The session's values to save, its year groups and tiers packed, its cost in pence."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name in self.fields}
        fields.update(
            year_groups=pack_codes(data["year_groups"]),
            target_tiers=pack_codes(data["target_tiers"]),
            cost_pence=data["cost"],
        )
        return fields

    def clean_cost(self):
        text = self.cleaned_data["cost"].strip().lstrip("£").replace(",", "")
        try:
            pounds = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError("Enter the cost in pounds, like 0 or 75.50") from None
        # NaN, Infinity and 1e309 parse as Decimals but are not amounts of money.
        if not pounds.is_finite() or pounds > self.MAX_POUNDS:
            raise forms.ValidationError(
                f"Enter a cost in pounds up to £{self.MAX_POUNDS:,}, like 0 or 75.50"
            )
        if pounds < 0 or pounds != pounds.quantize(Decimal("0.01")):
            raise forms.ValidationError("Enter the cost in pounds and pence, like 75.50")
        return int(pounds * 100)


class SlotForm(BookingsForm):
    submit_label = "Publish"

    day = date_field("Date", required_message="Enter the date", help_text="For example, 27 3 2026.")
    starts = _time_field("Start time", "Enter the start time")
    ends = _time_field("End time", "Enter the end time")
    deliverer_person = forms.ModelChoiceField(
        label="Who delivers it (optional)",
        queryset=None,
        required=False,
        empty_label="Not decided yet",
        help_text="You can also share the dates out later, in turn.",
        error_messages={"invalid_choice": "Choose one of the listed people"},
    )
    capacity = forms.IntegerField(
        label="Places (schools or groups that can book this date)",
        min_value=1,
        max_value=500,
        initial=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Enter the number of places as a whole number",
            "min_value": "Enter at least 1 place",
            "max_value": "Enter 500 places or fewer",
        },
    )
    repeat = radio_field(
        "How often",
        [("once", "Just this date"), ("weekly", "Every week on this day")],
        required_message="Choose how often",
        initial="once",
    )
    repeat_until = date_field(
        "Last date (weekly only)",
        required=False,
        help_text="Dates in school holidays are left out.",
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliverer_person"].queryset = session.deliverer_choices()
        self.fields["deliverer_person"].label_from_instance = lambda user: user.display_name

    def clean(self):
        data = super().clean()
        if data.get("repeat") == "weekly" and not data.get("repeat_until"):
            self.add_error("repeat_until", "Enter the last date of the weekly dates")
        if data.get("repeat") != "weekly":
            data["repeat_until"] = None
        return data


class ReasonForm(BookingsForm):
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The other side is told, with this reason.",
        error_messages={"required": "Give the reason"},
    )

    def __init__(self, *args, submit_label="Continue", **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)


class RescheduleForm(ReasonForm):
    slot = forms.ModelChoiceField(
        label="New date",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the new date"},
    )
    field_order = ["slot", "reason"]

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, submit_label="Move the booking", **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].label_from_instance = lambda slot: (
            f"{slot.local_start:%A %-d %B %Y, %H:%M} to {slot.local_end:%H:%M}"
            f" ({slot.places_left} place{'s' if slot.places_left != 1 else ''} left)"
        )


class DecisionForm(BookingsForm):
    submit_label = "Save decision"

    decision = radio_field(
        "Can you deliver it?",
        [("accept", "Accept: confirm the booking"), ("decline", "Decline")],
        required_message="Choose accept or decline",
    )
    reason = forms.CharField(
        label="Reason for declining",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The school is told, with this reason.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", "Tell the school why you are declining")
        return data


YES_NO = [("yes", "Yes"), ("no", "No")]


class EvaluationForm(BookingsForm):
    submit_label = "Send evaluation"

    delivered = radio_field(
        "Was the session delivered?",
        YES_NO,
        required_message="Say whether the session was delivered",
    )
    suitable_for_age = forms.ChoiceField(
        label="Was it suitable for the age group?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    usefulness = forms.TypedChoiceField(
        label="How useful was it?",
        choices=[(5, "5: very useful"), (4, "4"), (3, "3"), (2, "2"), (1, "1: not useful")],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    what_changed = forms.CharField(
        label="What has changed since? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, pupils reporting concerns, or fewer incidents. Shared with "
        "every partner of the force: never write a pupil's name.",
    )
    comment = forms.CharField(
        label="Any other comment (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shared with every partner of the force, who may answer it: never write a "
        "pupil's name.",
    )
    confidence_before = forms.DecimalField(
        label="Pupils' average confidence on the topic before (optional, 1 to 5)",
        required=False,
        min_value=1,
        max_value=5,
        decimal_places=1,
        error_messages={
            "invalid": "Enter a number from 1 to 5, like 2.5",
            "min_value": "Enter a number from 1 to 5",
            "max_value": "Enter a number from 1 to 5",
            "max_decimal_places": "Enter the average to one decimal place, like 2.5",
        },
    )
    confidence_after = forms.DecimalField(
        label="Pupils' average confidence on the topic after (optional, 1 to 5)",
        required=False,
        min_value=1,
        max_value=5,
        decimal_places=1,
        error_messages={
            "invalid": "Enter a number from 1 to 5, like 4",
            "min_value": "Enter a number from 1 to 5",
            "max_value": "Enter a number from 1 to 5",
            "max_decimal_places": "Enter the average to one decimal place, like 4.5",
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("delivered") == "yes" and not data.get("usefulness"):
            self.add_error("usefulness", "Say how useful the session was")
        return data

    @property
    def answers(self):
        data = self.cleaned_data
        return {
            "delivered": data["delivered"] == "yes",
            "suitable_for_age": {"yes": True, "no": False}.get(data.get("suitable_for_age")),
            "usefulness": data.get("usefulness"),
            "what_changed": data.get("what_changed", ""),
            "comment": data.get("comment", ""),
            "confidence_before": data.get("confidence_before"),
            "confidence_after": data.get("confidence_after"),
        }


class DemandForm(BookingsForm):
    submit_label = "Send request"

    topic = forms.ModelChoiceField(
        label="Topic",
        queryset=Topic.objects.none(),
        required=False,
        empty_label="Another topic (name it below)",
    )
    other_topic = forms.CharField(label="Another topic (optional)", required=False, max_length=150)
    year_groups = _year_groups_field("Year groups", help_text="Choose all that apply.")
    pupils = forms.IntegerField(
        label="About how many pupils (optional)",
        required=False,
        min_value=1,
        max_value=5000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter the number of pupils as a whole number"},
    )
    note = forms.CharField(
        label="What you need (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example the format, the term, or what prompted the request.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.visible_to(user)

    def clean(self):
        data = super().clean()
        if not data.get("topic") and not data.get("other_topic", "").strip():
            self.add_error("other_topic", "Choose a topic, or name the one you need")
        return data


class TopicForm(BookingsForm):
    submit_label = "Add topic"

    name = forms.CharField(
        label="New topic",
        max_length=120,
        error_messages={"required": "Enter the topic's name"},
    )


class FigureFilterForm(forms.Form):
    """The dates and requests behind a dashboard figure: a period, a topic, and the slice of
    open schools (local authority, teams) the dashboard counted. Invalid values are ignored.
    (The bookings behind a figure are the bookings list's, bookings.filters.BookingFilter.)"""

    since = forms.DateField(required=False)
    until = forms.DateField(required=False)
    topic = forms.CharField(required=False, max_length=10)
    la = forms.CharField(required=False, max_length=10)
    team = IdsField(required=False)  # repeated: a sergeant leading several teams

    @property
    def applied(self) -> bool:
        return self.is_bound and bool(self.data.get("since") and self.data.get("until"))

    def _data(self):
        return self.cleaned_data if self.is_valid() else {}

    def _schools(self):
        data = self._data()
        schools = School.objects.open()
        if data.get("la"):
            schools = schools.in_local_authority(data["la"])
        if data.get("team"):
            schools = schools.filter(team_id__in=data["team"])
        return schools

    def slots(self, slots):
        """The dates of the catalogue's sessions in the period, of a topic if given."""
        data = self._data()
        if not (data.get("since") and data.get("until")):
            return slots.none()
        slots = slots.offered_between(data["since"], data["until"])
        if (data.get("topic") or "").isdigit():
            slots = slots.filter(session__topic_id=int(data["topic"]))
        return slots

    def requests(self, requests):
        """The schools' requests made in the period."""
        data = self._data()
        if not (data.get("since") and data.get("until")):
            return requests.none()
        requests = requests.requested_between(data["since"], data["until"]).filter(
            school__in=self._schools()
        )
        topic = data.get("topic") or ""
        if topic == "none" or topic.isdigit():
            requests = requests.about_topic(topic)
        return requests


class ForSchoolForm(BookingsForm):
    """A coordinator chooses the school to book on behalf of."""

    submit_label = "Continue"

    school = forms.ModelChoiceField(
        label="School",
        queryset=None,
        empty_label="Choose a school",
        help_text="Its booking lead is told of the booking and can change or cancel it.",
        error_messages={
            "required": "Choose the school you are booking for",
            "invalid_choice": "Choose one of your force's open schools",
        },
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class OutcomeForm(BookingsForm):
    """Did it happen: the provider's word once the date has passed."""

    submit_label = "Save"

    outcome = radio_field(
        "What happened?",
        Booking.Outcome.choices,
        required_message="Choose what happened",
        invalid_message="Choose one of the listed answers",
    )
    note = forms.CharField(
        label="Note (needed if it was cancelled on the day)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The school's booking lead sees this. Do not name pupils.",
        error_messages={"max_length": "The note must be 1,000 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == Booking.Outcome.CANCELLED_ON_DAY
            and not data.get("note", "").strip()
        ):
            self.add_error("note", "Say why the session was cancelled on the day")
        return data


class ReplyForm(BookingsForm):
    submit_label = "Send the answer"

    reply = forms.CharField(
        label="Your answer to the school's comments",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Every partner of the force can read it. Do not name pupils.",
        error_messages={
            "required": "Write your answer",
            "max_length": "The answer must be 2,000 characters or fewer",
        },
    )


class ProposalForm(CohortForm):
    """A school asks for the session on a date of its choosing."""

    submit_label = "Send the request"

    day = date_field("Date", required_message="Enter the date", help_text="For example, 27 3 2026.")
    starts = _time_field("Start time", "Enter the start time")
    field_order = ["day", "starts", "year_groups", "pupils", "needs"]


class ProposalAnswerForm(BookingsForm):
    """The provider's answer to a school's date."""

    submit_label = "Send the answer"

    decision = radio_field(
        "Can you deliver it on that date?",
        [
            ("accept", "Yes: book it"),
            ("other", "No, but I can offer another date"),
            ("decline", "No"),
        ],
        required_message="Choose your answer",
        invalid_message="Choose one of the listed answers",
    )
    day = date_field(
        "Other date (if you offer one)", required=False, help_text="For example, 27 3 2026."
    )
    starts = forms.TimeField(
        label="Start time of the other date",
        required=False,
        input_formats=TIME_INPUT_FORMATS,
        help_text="In 24-hour time, for example 09:00 or 13:30.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": "Enter a time like 09:00 or 13:30"},
    )
    note = forms.CharField(
        label="Note to the school (needed if you decline)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The note must be 1,000 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "other":
            if not data.get("day") and "day" not in self.errors:
                self.add_error("day", "Enter the other date you can offer")
            if not data.get("starts") and "starts" not in self.errors:
                self.add_error("starts", "Enter the start time of the other date")
        if data.get("decision") == "decline" and not data.get("note", "").strip():
            self.add_error("note", "Tell the school why you are declining")
        return data


class OfferAnswerForm(BookingsForm):
    submit_label = "Send the answer"

    answer = radio_field(
        "Will you take the date offered?",
        [("accept", "Yes: book it"), ("decline", "No")],
        required_message="Choose your answer",
        invalid_message="Choose one of the listed answers",
    )


class CaseInputForm(CohortFields):
    """An officer books (or asks for) a targeted input for a case: a date, or a topic."""

    submit_label = "Book or ask"

    who = radio_field(
        "Who is the input for?",
        [("individual", "The referred pupil alone"), ("group", "A group or class")],
        required_message="Say who the input is for",
        invalid_message="Choose one of the listed answers",
        help_text="The provider is told only that it is a targeted input for a referred pupil.",
    )
    slot = forms.ModelChoiceField(
        label="Book a date (optional)",
        queryset=None,
        required=False,
        empty_label="No date: ask the coordinator instead",
        error_messages={"invalid_choice": "Choose one of the listed dates"},
    )
    topic = forms.ModelChoiceField(
        label="Or ask for a topic nobody offers a date for",
        queryset=None,
        required=False,
        empty_label="Choose a topic",
        error_messages={"invalid_choice": "Choose one of the listed topics"},
    )

    field_order = ["who", "year_groups", "pupils", "slot", "topic"]

    def __init__(self, *args, slots, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].label_from_instance = lambda slot: (
            f"{slot.session.title} ({slot.session.provider.name}), "
            f"{slot.local_start:%a %-d %b %Y %H:%M}"
        )
        self.fields["topic"].queryset = topics
        self.fields["pupils"].error_messages["invalid"] = (
            "Enter the number of pupils as a whole number, like 1 or 30"
        )

    def clean(self):
        data = super().clean()
        nothing_chosen = not data.get("slot") and not data.get("topic")
        if nothing_chosen and not self.has_error("slot") and not self.has_error("topic"):
            self.add_error("slot", "Choose a date to book, or a topic to ask for")
        if data.get("who") == "individual" and data.get("pupils") not in (None, 1):
            self.add_error("pupils", "An input for the referred pupil alone has 1 pupil")
        return data
