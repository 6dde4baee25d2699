"""Forms of the partnership: the school's answer on its level, the checklist, the plan."""

from django import forms

from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field, radio_field, text_field
from accounts.models import SCHOOL_ROLES, Organisation, User

from .models import Action, ActionPlan


class LevelAnswerForm(GovukFormMixin, forms.Form):
    submit_label = "Send your answer"

    AGREE, DISCUSS = "agree", "discuss"
    answer = radio_field(
        "Do you agree this level for your school?",
        [(AGREE, "Yes, we agree the level"), (DISCUSS, "No, we would like to discuss it")],
        required_message="Choose whether you agree the level",
    )
    reason = forms.CharField(
        label="What would you like to discuss?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed if you would like to discuss the level. Do not name pupils.",
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == self.DISCUSS and not data.get("reason", "").strip():
            self.add_error("reason", "Say what you would like to discuss about the level")
        return data


class TickForm(GovukFormMixin, forms.Form):
    submit_label = "Tick it off"

    evidence = forms.CharField(
        label="Evidence that it is in place",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example the date the protocol was signed, or where the minutes are kept.",
        error_messages={
            "required": "Enter the evidence that it is in place",
            "max_length": "The evidence must be 1,000 characters or fewer",
        },
    )


class StrategyForm(GovukFormMixin, forms.ModelForm):
    submit_label = "Save the strategy"

    class Meta:
        model = ActionPlan
        fields = ["strategy"]
        widgets = {"strategy": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "strategy": {"max_length": "The strategy must be 3,000 characters or fewer"}
        }


class ObjectiveForm(GovukFormMixin, forms.Form):
    submit_label = "Add the objective"

    aim = forms.ModelChoiceField(
        label="Aim",
        queryset=None,
        empty_label="Choose an aim",
        error_messages={
            "required": "Choose the aim of the objective",
            "invalid_choice": "Choose one of the aims listed",
        },
    )
    baseline = forms.DecimalField(
        label="Baseline",
        help_text="Where the school stands now, in the aim's measure (for example 4.5 for 4.5%).",
        max_digits=9,
        decimal_places=2,
        min_value=0,
        error_messages={
            "required": "Enter the baseline",
            "invalid": "Enter the baseline as a number, like 12 or 4.5",
            "min_value": "The baseline must be 0 or more",
            "max_digits": "Enter a baseline of fewer digits",
            "max_decimal_places": "Enter the baseline with at most 2 decimal places",
        },
    )
    target_percent = forms.DecimalField(
        label="Target change in %",
        help_text="The reduction or improvement aimed for, as a share of the baseline.",
        max_digits=5,
        decimal_places=1,
        min_value=1,
        max_value=100,
        error_messages={
            "required": "Enter the target change in %",
            "invalid": "Enter the target as a number, like 10",
            "min_value": "Enter a target between 1 and 100%%",
            "max_value": "Enter a target between 1 and 100%%",
            "max_digits": "Enter a target between 1 and 100%%",
            "max_decimal_places": "Enter the target with at most 1 decimal place",
        },
    )
    target_on = date_field("Target date", required_message="Enter the target date")

    def __init__(self, *args, aims, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aim"].queryset = aims


def possible_owners(school):
    """The force's active people, of whom owner_choices offers the school's own staff, the
    police and partners."""
    return (
        User.objects.filter(organisation__force_id=school.force_id, is_active=True)
        .exclude(role="")
        .select_related("organisation")
        .order_by("full_name")
    )


def owner_choices(school, people=None):
    """The people who may own an action of the school's plan: its staff, the force's police
    and partners (grouped, by name)."""
    people = possible_owners(school) if people is None else people
    groups = {"The school": [], "The police": [], "Partner organisations": []}
    for person in people:
        if person.role in SCHOOL_ROLES:
            if person.organisation_id == school.organisation_id:
                groups["The school"].append(
                    (person.pk, f"{person.display_name}, {person.get_role_display()}")
                )
        elif person.organisation.kind == Organisation.Kind.POLICE:
            groups["The police"].append(
                (person.pk, f"{person.display_name}, {person.get_role_display()}")
            )
        else:
            groups["Partner organisations"].append(
                (person.pk, f"{person.display_name}, {person.organisation.name}")
            )
    return [("", "Choose who owns it")] + [(g, items) for g, items in groups.items() if items]


class ActionForm(GovukFormMixin, forms.Form):
    submit_label = "Add the action"

    description = forms.CharField(
        label="What will be done",
        max_length=300,
        error_messages={
            "required": "Enter what will be done",
            "max_length": "The action must be 300 characters or fewer",
        },
    )
    objective = forms.ModelChoiceField(
        label="Objective it serves (optional)",
        queryset=None,
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose an objective of this plan"},
    )
    horizon = radio_field(
        "Short or long term", Action.Horizon.choices, required_message="Choose short or long term"
    )
    owner = forms.TypedChoiceField(
        label="Who owns it",
        coerce=int,
        help_text="A person of the school, the police or a partner organisation.",
        error_messages={
            "required": "Choose who owns the action",
            "invalid_choice": "Choose a person from the list",
        },
    )
    starts_on = date_field("Start date", required_message="Enter the start date")
    due_on = date_field("Due date", required_message="Enter the due date")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = plan.objectives.select_related("aim")
        # The owner is one of the people offered (the choice checks it), handed back as a user.
        self.owners = {person.pk: person for person in possible_owners(plan.school)}
        self.fields["owner"].choices = owner_choices(plan.school, self.owners.values())

    def clean_owner(self):
        return self.owners[self.cleaned_data["owner"]]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("due_on") and data["due_on"] < data["starts_on"]:
            self.add_error("due_on", "The due date must be on or after the start date")
        return data


class ActionUpdateForm(GovukFormMixin, forms.Form):
    submit_label = "Save progress"

    status = radio_field(
        "Where is it?", Action.Status.choices, required_message="Choose where the action is"
    )
    progress_note = forms.CharField(
        label="Progress (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has been done since the last review. Do not name pupils.",
        error_messages={"max_length": "The note must be 1,000 characters or fewer"},
    )


class ReviewSignForm(GovukFormMixin, forms.Form):
    submit_label = "Sign off the review"

    notes = forms.CharField(
        label="Comments (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Comments must be 1,000 characters or fewer"},
    )


class GroupForm(GovukFormMixin, forms.Form):
    submit_label = "Set up the group"

    kind = radio_field(
        "Kind of group",
        [
            ("steering", "Strategic steering group (meets every quarter)"),
            ("management", "A school's local management group"),
        ],
        required_message="Choose the kind of group",
    )
    name = forms.CharField(
        label="Name",
        max_length=150,
        error_messages={
            "required": "Enter the group's name",
            "max_length": "The name must be 150 characters or fewer",
        },
    )
    la_code = forms.ChoiceField(
        label="Area (for a steering group)",
        required=False,
        error_messages={"invalid_choice": "Choose a local authority of your force"},
    )
    school = forms.ModelChoiceField(
        label="School (for a local management group)",
        queryset=None,
        required=False,
        empty_label="Choose a school",
        error_messages={"invalid_choice": "Choose a school of your force"},
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        areas = schools.order_by("la_name").values_list("la_code", "la_name").distinct()
        self.fields["la_code"].choices = [("", "The whole force"), *areas]

    def clean(self):
        data = super().clean()
        if data.get("kind") == "management" and not data.get("school"):
            self.add_error("school", "Choose the school the management group runs")
        return data


class MemberForm(GovukFormMixin, forms.Form):
    submit_label = "Add the member"

    user = forms.TypedChoiceField(
        label="Person",
        coerce=int,
        error_messages={
            "required": "Choose the person to add",
            "invalid_choice": "Choose a person from the list",
        },
    )
    role_in_group = forms.CharField(
        label="Role on the group",
        max_length=120,
        help_text="For example: chair, school link, officer's line manager, youth offending team.",
        error_messages={
            "required": "Enter the person's role on the group",
            "max_length": "The role must be 120 characters or fewer",
        },
    )

    def __init__(self, *args, school, force_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = member_choices(force_id, school)


def member_choices(force_id, school=None):
    people = (
        User.objects.filter(organisation__force_id=force_id, is_active=True)
        .exclude(role="")
        .select_related("organisation")
        .order_by("full_name")
    )
    choices = [("", "Choose a person")]
    for person in people:
        if (
            person.role in SCHOOL_ROLES
            and school
            and person.organisation_id != school.organisation_id
        ):
            continue
        choices.append((person.pk, f"{person.display_name}, {person.organisation.name}"))
    return choices


class SignTermsForm(GovukFormMixin, forms.Form):
    """A member's signature of the terms of reference, as an agreement is signed: the typed
    name, the version read, and the member's confirmation."""

    submit_label = "Sign the terms of reference"

    typed_name = text_field(
        "Type your full name to sign",
        short_label="Your name",
        max_length=150,
        required_message="Type your full name",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirmed = forms.BooleanField(
        label="I have read these terms of reference and agree to them as a member of the group",
        required=False,
    )


class TermsForm(GovukFormMixin, forms.Form):
    submit_label = "Save: members sign the new wording"

    text = text_field(
        "Terms of reference",
        rows=14,
        max_length=5000,
        required_message="Enter the terms of reference",
        help_text="Every member is asked to sign the new wording; earlier signatures stay on "
        "record against the wording they signed.",
    )


class MeetingForm(GovukFormMixin, forms.Form):
    submit_label = "Schedule and send invitations"

    on = date_field("Date", required_message="Enter the date of the meeting")
    at = forms.TimeField(
        label="Start time",
        help_text="For example 14:30",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time as hours and minutes, like 14:30",
        },
    )
    location = forms.CharField(
        label="Where",
        max_length=200,
        error_messages={
            "required": "Enter where the meeting is",
            "max_length": "The place must be 200 characters or fewer",
        },
    )


class MinutesForm(GovukFormMixin, forms.Form):
    submit_label = "Save the minutes"

    minutes = forms.CharField(
        label="Minutes",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": "The minutes must be 10,000 characters or fewer"},
    )
    decisions = forms.CharField(
        label="Decisions",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The decisions must be 5,000 characters or fewer"},
    )


class MeetingActionForm(GovukFormMixin, forms.Form):
    submit_label = "Add the action"

    description = forms.CharField(
        label="Action",
        max_length=300,
        error_messages={
            "required": "Enter the action",
            "max_length": "The action must be 300 characters or fewer",
        },
    )
    owner = forms.TypedChoiceField(
        label="Owner",
        coerce=int,
        error_messages={
            "required": "Choose who owns the action",
            "invalid_choice": "Choose a member of the group",
        },
    )
    due_on = date_field("Due date", required_message="Enter the due date")

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        members = meeting.group.members.select_related("user")
        self.fields["owner"].choices = [("", "Choose a member")] + [
            (m.user_id, f"{m.user.display_name}, {m.role_in_group}") for m in members
        ]


def _percent(label, required=True):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": f"Enter the {label[0].lower() + label[1:]}",
            "invalid": "Enter a percentage as a number, like 4.5",
            "min_value": "Enter a percentage from 0 to 100",
            "max_value": "Enter a percentage from 0 to 100",
            "max_digits": "Enter a percentage from 0 to 100",
            "max_decimal_places": "Enter the percentage with at most 2 decimal places",
        },
    )


def _count(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100000,
        error_messages={
            "required": f"Enter the number of {label.lower()}",
            "invalid": "Enter a whole number, like 3",
            "min_value": "Enter 0 or more",
            "max_value": "Enter a smaller number",
        },
    )


class FiguresForm(GovukFormMixin, forms.Form):
    submit_label = "Send the figures"

    exclusions = _count("Exclusions")
    unauthorised_absence_percent = _percent("Unauthorised absence (truancy), % of sessions")
    total_absence_percent = _percent("Total absence, % of sessions")
    incidents = _count("Incidents of crime or disorder in school")
    bullying_reports = _count("Reports of bullying or victimisation")
    results_percent = _percent(
        "Pupils reaching grade 4 or above in English and maths, % (optional)", required=False
    )

    def clean(self):
        data = super().clean()
        truancy, total = data.get("unauthorised_absence_percent"), data.get("total_absence_percent")
        if truancy is not None and total is not None and truancy > total:
            self.add_error(
                "unauthorised_absence_percent", "Truancy cannot be more than total absence"
            )
        return data


class SurveyAnswerForm(GovukFormMixin, forms.Form):
    submit_label = "Send your answer"

    respondent = radio_field(
        "Are you",
        [
            ("pupil", "A pupil"),
            ("staff", "A member of staff"),
            ("parent", "A parent or carer"),
        ],
        required_message="Choose whether you are a pupil, staff or a parent or carer",
    )
    feels_safe = radio_field(
        "How safe do you feel in and around the school?",
        [("yes", "Safe"), ("mostly", "Mostly safe"), ("no", "Not safe")],
        required_message="Choose how safe you feel",
    )
    bullied = radio_field(
        "This term, have you been bullied or made to feel afraid at or near the school?",
        [("no", "No"), ("yes", "Yes")],
        required_message="Choose yes or no",
    )


class PurposesForm(GovukFormMixin, forms.Form):
    submit_label = "Save the roles"

    names = text_field(
        "Roles an engagement may serve, one on each line",
        short_label="The list",
        rows=8,
        max_length=800,
        required_message="List at least one role",
        help_text="Officers choose one of these when they log an engagement. A role you take "
        "off stays on the entries already logged against it.",
    )


class AimForm(GovukFormMixin, forms.Form):
    submit_label = "Save the aim"

    name = text_field("Aim", max_length=120, required_message="Enter the aim")
    indicator_key = forms.ChoiceField(
        label="Measured by",
        required=False,
        error_messages={"invalid_choice": "Choose an indicator of this framework"},
    )
    lower_is_better = forms.TypedChoiceField(
        label="Which way is better?",
        choices=[("1", "Lower is better (absence, offending)"), ("0", "Higher is better")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which way is better"},
    )

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_key"].choices = [("", "Not measured by an indicator")] + [
            (i.key, i.name) for i in framework.indicators.all()
        ]


class ExpectationForm(GovukFormMixin, forms.Form):
    submit_label = "Save the expectation"

    text = text_field(
        "What the partnership is expected to have in place",
        short_label="The expectation",
        max_length=300,
        required_message="Enter what is expected",
    )
    levels = forms.MultipleChoiceField(
        label="Levels that expect it",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one level that expects it",
            "invalid_choice": "Choose levels of this framework",
        },
    )

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].choices = [
            (str(level.pk), level.name) for level in framework.levels.order_by("-rank")
        ]


YES_NO = [("yes", "Yes"), ("no", "No")]


class ReviewAnswerForm(GovukFormMixin, forms.Form):
    submit_label = "Send your side's answers"

    current = forms.TypedChoiceField(
        label="Is the agreement still current?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the agreement is still current"},
    )
    effective = forms.TypedChoiceField(
        label="Is it effective?",
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the agreement is effective"},
    )
    improve = text_field(
        "What should improve?",
        short_label="What should improve",
        rows=5,
        max_length=2000,
        required_message="Say what should improve, or write 'nothing'",
        help_text="Do not name pupils.",
    )


class ReviewDecisionForm(GovukFormMixin, forms.Form):
    submit_label = "Decide the review"

    outcome = radio_field(
        "How does the review end?",
        [
            ("renew_unchanged", "Renew it unchanged: it stays in force until the next review"),
            ("renew_with_changes", "Renew it with changes: the officer prepares a new version"),
            ("end", "End the agreement"),
        ],
        required_message="Choose how the review ends",
    )
    note = text_field(
        "Note (the reason, if the agreement ends)",
        short_label="The note",
        rows=3,
        max_length=2000,
    )


class NmtMeetingForm(GovukFormMixin, forms.Form):
    submit_label = "Record the meeting"

    held_on = date_field("Date held", required_message="Enter the date of the meeting")
    attendees = text_field(
        "Who attended",
        rows=3,
        max_length=1000,
        required_message="Say who attended",
        help_text="Roles and names of those at the meeting. Do not name pupils.",
    )
    notes = text_field(
        "Notes",
        rows=8,
        max_length=5000,
        required_message="Enter the notes of the meeting",
    )
