"""Forms of referral casework. They validate what was typed; the services do the work."""

from crispy_forms_gds.layout import (
    HTML,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fieldset,
    Layout,
    Size,
)
from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone

from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field, force_officers, officer_choices, radio_field, text_field
from accounts.models import AGENCY_ROLES, SCHOOL_ROLES, Organisation, Team, User, in_sentence
from schools.models import School

from .models import (
    RETENTION_YEARS,
    YEAR_GROUPS,
    Action,
    Case,
    CaseLogEntry,
    RiskLevel,
    Source,
    Threshold,
)


class CaseworkFormMixin(GovukFormMixin):
    """The one base of casework's forms: their errors are the form's own, in plain English
    (the browser's checks are off), and `layout_fields()` lays their questions out in order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(*self.layout_fields())

    def layout_fields(self) -> list:
        """Return the layout objects of the form's questions, in order."""
        return [Field(name) for name in self.fields]


class ReferralForm(CaseworkFormMixin, forms.Form):
    """Who the young person is, the thresholds met, where the referral comes from and why."""

    submit_label = "Send referral"

    first_name = text_field(
        "First name", required_message="Enter the young person's first name", max_length=100
    )
    last_name = text_field(
        "Last name", required_message="Enter the young person's last name", max_length=100
    )
    date_of_birth = date_field(
        "Date of birth",
        required_message="Enter the young person's date of birth",
        help_text="For example, 27 3 2011.",
    )
    school = forms.ModelChoiceField(
        label="School (optional)",
        queryset=School.objects.none(),
        required=False,
        empty_label="Not known or not in school",
        error_messages={"invalid_choice": "Choose a school of your force"},
    )
    year_group = forms.ChoiceField(
        label="Year group (optional)", choices=YEAR_GROUPS, required=False
    )
    thresholds = forms.MultipleChoiceField(
        label="Which thresholds does the young person meet?",
        choices=Threshold.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Choose at least one threshold the young person meets"},
    )
    source = radio_field(
        "Where does the referral come from?",
        Source.choices,
        required_message="Choose where the referral comes from",
    )
    concern = text_field(
        "Describe the concern",
        required_message="Describe the concern",
        max_length=5000,
        rows=6,
        help_text="What has happened, the risks you see and what has been tried. "
        "Only what the team needs to decide.",
    )
    mash_referral_made = forms.BooleanField(
        label="The school has made its referral to the multi-agency safeguarding hub (MASH)",
        required=False,
    )
    mash_reference = text_field(
        "MASH referral reference",
        max_length=60,
        help_text="Needed when the referral comes from the school.",
    )

    def __init__(self, *args, by, school=None, **kwargs):
        self.fixed_school = school  # before the layout is built: it asks for no school then
        super().__init__(*args, **kwargs)
        if school is not None:
            # A DSL refers from their own school: the school and the source are known.
            del self.fields["school"]
            del self.fields["source"]
        else:
            self.fields["school"].queryset = School.objects.visible_to(by).open().only("pk", "name")
        self.fields["concern"].widget.attrs.pop("maxlength", None)

    def layout_fields(self):
        return [
            Fieldset(
                Field.text("first_name", field_width=20),
                Field.text("last_name", field_width=20),
                Field("date_of_birth", context={"legend_size": Size.for_legend(Size.SMALL)}),
                *([Field.select("school")] if self.fixed_school is None else []),
                Field.select("year_group"),
                legend="The young person",
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("thresholds", legend_size=Size.SMALL),
            *(
                [Field.radios("source", legend_size=Size.SMALL)]
                if self.fixed_school is None
                else []
            ),
            Field.textarea("concern", rows=6, max_characters=5000),
            Fieldset(
                Field.checkbox("mash_referral_made"),
                Field.text("mash_reference", field_width=20),
                legend="The school's MASH referral",
                legend_size=Size.SMALL,
            ),
        ]

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if born >= today:
            raise forms.ValidationError("The date of birth must be in the past")
        if born <= today - relativedelta(years=RETENTION_YEARS):
            raise forms.ValidationError(
                f"The team works with young people under {RETENTION_YEARS}. Check the date of birth"
            )
        return born

    def clean(self):
        data = super().clean()
        source = Source.SCHOOL if self.fixed_school is not None else data.get("source")
        if source == Source.SCHOOL:
            if not data.get("mash_referral_made"):
                self.add_error(
                    "mash_referral_made",
                    "Confirm the school has made its referral to the MASH. Refer to the MASH first",
                )
            if not data.get("mash_reference"):
                self.add_error(
                    "mash_reference", "Enter the reference of the school's MASH referral"
                )
        return data

    @property
    def referral_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data.get(name)
            for name in (
                "first_name",
                "last_name",
                "date_of_birth",
                "thresholds",
                "concern",
                "mash_referral_made",
                "mash_reference",
            )
        }
        fields["year_group"] = data.get("year_group") or ""
        if self.fixed_school is not None:
            fields.update(school=self.fixed_school, source=Source.SCHOOL)
        else:
            fields.update(school=data.get("school"), source=data["source"])
        return fields


class AllocationForm(CaseworkFormMixin, forms.Form):
    submit_label = "Allocate"

    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        empty_label="Choose a team",
        error_messages={
            "required": "Choose the team",
            "invalid_choice": "Choose a team of your force",
        },
    )
    officer = forms.TypedChoiceField(
        label="Officer",
        coerce=int,
        error_messages={
            "required": "Choose the officer",
            "invalid_choice": "Choose an active officer of your force",
        },
    )

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.force = force
        self.fields["team"].queryset = Team.objects.filter(force=force).order_by("name")
        self.fields["officer"].choices = officer_choices(force)

    def layout_fields(self):
        return [Field.select("team"), Field.select("officer")]

    def clean(self):
        data = super().clean()
        officer_pk, team = data.get("officer"), data.get("team")
        if officer_pk:
            officer = force_officers(self.force, in_a_team=True).filter(pk=officer_pk).first()
            if officer is None:
                self.add_error("officer", "Choose an active officer of your force")
            elif team is not None and officer.team_id != team.pk:
                self.add_error(
                    "officer",
                    f"{officer.display_name} is not in {team.name}. Choose an officer of the team",
                )
            data["officer"] = officer
        return data


class AcceptForm(AllocationForm):
    submit_label = "Accept and allocate"

    risk_level = radio_field(
        "Risk level",
        RiskLevel.choices,
        required_message="Choose the risk level: high, medium or low",
    )

    def layout_fields(self):
        return [
            Field.radios("risk_level", legend_size=Size.SMALL, inline=True),
            *super().layout_fields(),
        ]


class DeclineForm(CaseworkFormMixin, forms.Form):
    submit_label = "Decline referral"

    decline_reason = text_field(
        "Why is the referral declined?",
        required_message="Enter why the referral is declined",
        max_length=2000,
        rows=3,
        help_text="The referrer sees this.",
    )
    signposted_to = text_field(
        "Where was the young person signposted instead?",
        required_message="Enter where the young person was signposted, or 'nowhere' and why",
        max_length=300,
        help_text="For example, the youth offending service or an early help team.",
    )

    def layout_fields(self):
        return [Field.textarea("decline_reason", rows=3), Field.text("signposted_to")]


class LogEntryForm(CaseworkFormMixin, forms.Form):
    submit_label = "Add to the case log"

    kind = radio_field(
        "What happened?",
        [(k, CaseLogEntry.Kind(k).label) for k in CaseLogEntry.OFFICER_KINDS],
        required_message="Choose what happened",
    )
    occurred_on = date_field("Date", required_message="Enter the date it happened")
    summary = text_field(
        "Summary",
        required_message="Enter a summary",
        max_length=5000,
        rows=5,
        help_text="Facts, who was there, what was agreed. This entry cannot be changed later; "
        "a mistake is put right with a correction.",
    )
    shared_what = text_field("What was shared", max_length=2000, rows=2)
    shared_with = text_field(
        "Shared with", max_length=200, help_text="The person and their agency."
    )
    shared_basis = text_field(
        "On what basis",
        max_length=300,
        help_text="For example, safeguarding under the Children Act 1989, or consent.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate
        self.fields["summary"].widget.attrs.pop("maxlength", None)

    def layout_fields(self):
        return [
            Field.radios("kind", legend_size=Size.SMALL),
            Field("occurred_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.textarea("summary", rows=5, max_characters=5000),
            Fieldset(
                HTML(
                    '<p class="govuk-body">Only when you shared information with a partner: '
                    "every disclosure says what, to whom and why.</p>"
                ),
                Field.textarea("shared_what", rows=2),
                Field.text("shared_with"),
                Field.text("shared_basis"),
                legend="Information shared",
                legend_size=Size.SMALL,
            ),
        ]

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return day

    def clean(self):
        data = super().clean()
        if data.get("kind") == CaseLogEntry.Kind.INFORMATION_SHARED:
            for name, message in (
                ("shared_what", "Say what information was shared"),
                ("shared_with", "Say who it was shared with"),
                ("shared_basis", "Say on what basis it was shared"),
            ):
                if not data.get(name):
                    self.add_error(name, message)
        return data


class CorrectionForm(LogEntryForm):
    submit_label = "Add the correction"


def school_people(case: Case):
    """The active staff of the young person's school who may own an action (none without a
    school): the case's force only."""
    school = case.young_person.school
    if school is None or school.force_id != case.force_id:
        return User.objects.none()
    return (
        User.objects.filter(
            organisation_id=school.organisation_id, role__in=SCHOOL_ROLES, is_active=True
        )
        .select_related("organisation")
        .order_by("full_name", "pk")
    )


def agency_people(force):
    """The active people of the force's partner agencies, by agency then name."""
    return (
        User.objects.filter(
            organisation__force=force,
            organisation__kind=Organisation.Kind.AGENCY,
            role__in=AGENCY_ROLES,
            is_active=True,
        )
        .select_related("organisation")
        .order_by("organisation__name", "full_name", "pk")
    )


def _people_by_organisation(people, *, empty):
    groups = {}
    for person in people:
        label = f"{person.display_name}, {in_sentence(person.get_role_display())}"
        groups.setdefault(person.organisation.name, []).append((person.pk, label))
    return [("", empty), *groups.items()]


class ActionQuestions(CaseworkFormMixin, forms.Form):
    """What every new action of a plan asks, whoever adds it: its term, what needs doing and
    when it is due (the case page's form and a panel's add who owns it)."""

    submit_label = "Add the action"

    term = radio_field(
        "Short or long term?",
        Action.Term.choices,
        required_message="Choose short term or long term",
    )
    description = text_field(
        "What needs doing", required_message="Describe the action", max_length=2000, rows=3
    )
    due_on = date_field(
        "Due date",
        required_message="Enter the due date",
        help_text="Short term: within 6 months. Long term: 6 months to 3 years.",
    )


def _owner_field(label, *, wrong):
    """A person who may own an action outside the police: a choice, optional (a name may be
    typed instead), `wrong` when the id posted is not one of the people offered."""
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        required=False,
        empty_value=None,
        help_text="They see the action (not the case) under My actions, and are reminded of "
        "its monthly review.",
        error_messages={"invalid_choice": wrong},
    )


class ActionForm(ActionQuestions):
    """An action of the plan, owned by a person: an officer of the force, someone at the young
    person's school or at one of the force's partner agencies (they see it under My actions
    and are reminded of its reviews); only failing that, someone named without an account."""

    owner_kind = radio_field(
        "Who owns it?", Action.OwnerKind.choices, required_message="Choose who owns the action"
    )
    owner_user = forms.TypedChoiceField(
        label="Officer",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose an active officer of your force"},
    )
    school_person = _owner_field(
        "Who at the school", wrong="Choose a person of the young person's school"
    )
    school_name = text_field(
        "Or, if they have no account here: who at the school",
        max_length=200,
        help_text="For example, the head of year. The case's officer is reminded to follow it up.",
        short_label="Who at the school",
    )
    partner_person = _owner_field(
        "Who at the partner agency",
        wrong="Choose a person of one of your force's partner agencies",
    )
    partner_name = text_field(
        "Or, if they have no account here: which partner agency",
        max_length=200,
        help_text="The case's officer is reminded to follow it up with them.",
        short_label="Which partner agency",
    )

    # Per owner outside the police: the person's field, the typed name's field, and the error
    # when neither is given. Only the chosen owner's answers are kept.
    OUTSIDE_OWNER_FIELDS = {
        Action.OwnerKind.SCHOOL: (
            "school_person",
            "school_name",
            "Choose who at the school owns the action, or name them",
        ),
        Action.OwnerKind.PARTNER: (
            "partner_person",
            "partner_name",
            "Choose who at the partner agency owns the action, or name the partner agency",
        ),
    }

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.people = {
            Action.OwnerKind.SCHOOL: school_people(case),
            Action.OwnerKind.PARTNER: agency_people(case.force_id),
        }
        self.fields["owner_user"].choices = officer_choices(case.force, empty="Choose an officer")
        self.fields["owner_user"].initial = case.officer_id
        self.fields["school_person"].choices = _people_by_organisation(
            self.people[Action.OwnerKind.SCHOOL], empty="Choose a person"
        )
        self.fields["partner_person"].choices = _people_by_organisation(
            self.people[Action.OwnerKind.PARTNER], empty="Choose a person"
        )

    def layout_fields(self):
        return [
            Field.radios("term", legend_size=Size.SMALL),
            Field.textarea("description", rows=3),
            ConditionalRadios(
                "owner_kind",
                ConditionalQuestion(Action.OwnerKind.OFFICER.label, Field.select("owner_user")),
                ConditionalQuestion(
                    Action.OwnerKind.SCHOOL.label,
                    Field.select("school_person"),
                    Field.text("school_name"),
                ),
                ConditionalQuestion(
                    Action.OwnerKind.PARTNER.label,
                    Field.select("partner_person"),
                    Field.text("partner_name"),
                ),
            ),
            Field("due_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("owner_kind")
        # Answers under the choices not taken are dropped, so nothing contradicts the owner.
        data["owner_name"] = ""
        if kind == Action.OwnerKind.OFFICER:
            if not data.get("owner_user"):
                self.add_error("owner_user", "Choose the officer who owns the action")
            else:
                data["owner_user"] = (
                    force_officers(self.case.force, in_a_team=True)
                    .filter(pk=data["owner_user"])
                    .first()
                )
                if data["owner_user"] is None:
                    self.add_error("owner_user", "Choose an active officer of your force")
        elif kind in self.OUTSIDE_OWNER_FIELDS:
            data["owner_user"] = None
            person_field, name_field, missing = self.OUTSIDE_OWNER_FIELDS[kind]
            if data.get(person_field):
                person = self.people[kind].filter(pk=data[person_field]).first()
                if person is None:
                    # Left the school or agency, or lost their account, since the page showed.
                    message = self.fields[person_field].error_messages["invalid_choice"]
                    self.add_error(person_field, message)
                else:
                    data["owner_user"] = person
                    data["owner_name"] = person.organisation.name
            elif (data.get(name_field) or "").strip():
                data["owner_name"] = data[name_field].strip()
            elif person_field not in self.errors:
                self.add_error(person_field, missing)
        return data


class RiskForm(CaseworkFormMixin, forms.Form):
    submit_label = "Save the risk level"

    level = radio_field(
        "Risk level",
        RiskLevel.choices,
        required_message="Choose the risk level: high, medium or low",
    )
    after_multi_agency_assessment = forms.BooleanField(
        label="This follows a multi-agency assessment", required=False
    )
    reason = text_field(
        "Why", required_message="Enter why the risk is at this level", max_length=2000, rows=3
    )

    def layout_fields(self):
        return [
            Field.radios("level", legend_size=Size.SMALL, inline=True),
            Field.checkbox("after_multi_agency_assessment"),
            Field.textarea("reason", rows=3),
        ]


class ShareForm(CaseworkFormMixin, forms.Form):
    submit_label = "Share the case"

    user = forms.TypedChoiceField(
        label="Officer",
        coerce=int,
        error_messages={
            "required": "Choose the officer",
            "invalid_choice": "Choose an active officer of your force",
        },
    )
    reason = text_field(
        "Why do they need to see it?",
        required_message="Enter why the officer needs to see this case",
        max_length=500,
        rows=2,
        help_text="Share only what is necessary. The officer, the reason and you are logged.",
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["user"].choices = officer_choices(case.force)

    def layout_fields(self):
        return [Field.select("user"), Field.textarea("reason", rows=2)]

    def clean_user(self):
        officer = (
            force_officers(self.case.force, in_a_team=True)
            .filter(pk=self.cleaned_data["user"])
            .first()
        )
        if officer is None:
            raise forms.ValidationError("Choose an active officer of your force")
        return officer


class CloseForm(CaseworkFormMixin, forms.Form):
    submit_label = "Close the case"

    outcome = radio_field("Outcome", Case.Outcome.choices, required_message="Choose the outcome")
    summary = text_field(
        "Closing summary", required_message="Enter a closing summary", max_length=5000, rows=5
    )

    def layout_fields(self):
        return [Field.radios("outcome", legend_size=Size.SMALL), Field.textarea("summary", rows=5)]


class SchoolShareForm(CaseworkFormMixin, forms.Form):
    submit_label = "Share with the school"

    reason = text_field(
        "Why does the school need to see it?",
        required_message="Enter why the school needs to see this referral",
        max_length=500,
        rows=3,
        help_text="Share only what is necessary. The reason, the time and you are logged.",
    )

    def layout_fields(self):
        return [Field.textarea("reason", rows=3)]


class ReasonForm(CaseworkFormMixin, forms.Form):
    """A reason typed before something is done: opening a case not yours, reopening one."""

    submit_label = "Continue"

    reason = text_field("Reason", required_message="Enter your reason", max_length=1000, rows=3)

    def __init__(self, *args, label="Reason", help_text="", submit_label=None, **kwargs):
        if submit_label:
            self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text

    def layout_fields(self):
        return [Field.textarea("reason", rows=3)]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError("Give a reason of at least 10 characters")
        return reason


class LegalHoldForm(CaseworkFormMixin, forms.Form):
    submit_label = "Save"

    hold = forms.BooleanField(label="Keep this case on legal hold", required=False)
    reason = text_field("Reason for the hold", max_length=300, help_text="Needed to set a hold.")

    def layout_fields(self):
        return [Field.checkbox("hold"), Field.text("reason")]

    def clean(self):
        data = super().clean()
        if data.get("hold") and not data.get("reason"):
            self.add_error("reason", "Enter why the case must be kept")
        return data


class MergeForm(CaseworkFormMixin, forms.Form):
    submit_label = "Merge the records"

    duplicate = forms.TypedChoiceField(
        label="Which record is the same young person?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the duplicate record",
            "invalid_choice": "Choose a record from the list",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {c.pk: c for c in candidates}
        self.fields["duplicate"].choices = [
            (
                c.pk,
                f"{c.full_name}, born {c.date_of_birth:%-d %B %Y}"
                + (f", {c.school.name}" if c.school_id else ""),
            )
            for c in candidates
        ]

    def layout_fields(self):
        return [Field.radios("duplicate", legend_size=Size.SMALL)]

    def clean_duplicate(self):
        return self.candidates[self.cleaned_data["duplicate"]]


class CaseSearchForm(forms.Form):
    q = forms.CharField(label="Search by name or case reference", max_length=100, required=False)
