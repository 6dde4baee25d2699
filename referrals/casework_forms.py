"""Forms of casework's safeguards (issue 22). They validate what was typed; casework.py works."""

import django_filters
from crispy_forms_gds.layout import (
    HTML,
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fieldset,
    Size,
)
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape

from accounts.forms_kit import date_field, force_officers, officer_choices, radio_field, text_field
from accounts.models import Team
from schools.models import School

from .forms import CaseworkFormMixin, CloseForm
from .models import (
    ICO_QUESTIONS,
    Awareness,
    Case,
    ConsentRecord,
    InterventionService,
    LawfulBasis,
    RiskLevel,
    SafetyPlanFactor,
    Signposting,
)

# ---------------------------------------------------------------------------- consent questions

CONSENT_PREFIX = "consent_"


def _ico_panel() -> str:
    items = "".join(f"<li>{escape(question)}</li>" for question in ICO_QUESTIONS)
    return (
        '<details class="govuk-details"><summary class="govuk-details__summary">'
        '<span class="govuk-details__summary-text">The Information Commissioner\'s questions '
        "before sharing</span></summary>"
        f'<div class="govuk-details__text"><ol class="govuk-list govuk-list--number">{items}</ol>'
        '<p class="govuk-body">Consent is not the only lawful basis. Where asking would put the '
        "young person at risk, or they or the parents refuse, you may still share what is "
        "necessary on another basis: say which, and why.</p></div></details>"
    )


def add_consent_questions(form, *, force, what="this", required=True):
    """Add the consent questions to a form already built (its own fields untouched): who knows
    and agrees, else the lawful basis from the force's list and the ICO's questions answered."""
    LawfulBasis.objects.ensure_defaults(force)
    new = {
        "young_person": radio_field(
            f"Does the young person know about {what}, and agree?",
            Awareness.choices,
            required_message="Say whether the young person knows and agrees",
            required=required,
        ),
        "parents": radio_field(
            "Do the parents or carers know, and agree?",
            Awareness.choices,
            required_message="Say whether the parents or carers know and agree",
            required=required,
        ),
        "lawful_basis": forms.ModelChoiceField(
            label="Lawful basis for sharing without their agreement",
            queryset=LawfulBasis.objects.filter(force=force, is_active=True),
            required=False,
            empty_label="Choose a lawful basis",
            help_text="Only when the young person or the parents do not know or do not agree.",
            error_messages={"invalid_choice": "Choose a lawful basis from your force's list"},
        ),
        "necessary_and_proportionate": forms.BooleanField(
            label="Sharing is necessary and proportionate: the aim cannot be met by sharing less",
            required=False,
        ),
        "minimum_shared": text_field(
            "What is the minimum you share?", max_length=1000, rows=2, short_label="Minimum shared"
        ),
        "how_secure": text_field(
            "How is it shared securely?",
            max_length=500,
            help_text="For example, in this system only, or by secure email.",
            short_label="How it is shared",
        ),
        "decision": text_field(
            "Why share without consent? Record your decision",
            max_length=2000,
            rows=3,
            short_label="Your decision",
        ),
    }
    for name, field in new.items():
        form.fields[CONSENT_PREFIX + name] = field
    form.helper.layout.append(
        Fieldset(
            HTML(_ico_panel()),
            Field.radios(CONSENT_PREFIX + "young_person", legend_size=Size.SMALL),
            Field.radios(CONSENT_PREFIX + "parents", legend_size=Size.SMALL),
            Field.select(CONSENT_PREFIX + "lawful_basis"),
            Field.checkbox(CONSENT_PREFIX + "necessary_and_proportionate"),
            Field.textarea(CONSENT_PREFIX + "minimum_shared", rows=2),
            Field.text(CONSENT_PREFIX + "how_secure"),
            Field.textarea(CONSENT_PREFIX + "decision", rows=3),
            legend="Consent and lawful basis",
            legend_size=Size.MEDIUM,
        )
    )
    form.consent_force = force
    return form


def consent_answers(form) -> dict | None:
    """Return the consent answers of a valid form, or None after adding plain-English errors
    (the model's own rule: without consent, a lawful basis and the ICO's answers)."""
    data = {
        name[len(CONSENT_PREFIX) :]: value
        for name, value in form.cleaned_data.items()
        if name.startswith(CONSENT_PREFIX)
    }
    missing = False
    for name, message in (
        ("young_person", "Say whether the young person knows and agrees"),
        ("parents", "Say whether the parents or carers know and agree"),
    ):
        if not data.get(name):
            missing = True
            if CONSENT_PREFIX + name not in form.errors:
                form.add_error(CONSENT_PREFIX + name, message)
    if missing:
        return None
    data["necessary_and_proportionate"] = bool(data.get("necessary_and_proportionate"))
    for name in ("minimum_shared", "how_secure", "decision"):
        data[name] = (data.get(name) or "").strip()
    probe = ConsentRecord(force=form.consent_force, subject="referral", **data)
    try:
        probe.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                form.add_error(CONSENT_PREFIX + name, message)
        return None
    return data


# ---------------------------------------------------------------------------- settings and lists


class CaseworkSettingsForm(CaseworkFormMixin, forms.Form):
    submit_label = "Save settings"

    closure_needs_approval = forms.BooleanField(
        label="A sergeant approves each case closure",
        required=False,
        help_text="Officers ask to close a case; a sergeant or manager approves it or returns it "
        "with a reason.",
    )

    def layout_fields(self):
        return [Field.checkbox("closure_needs_approval")]


class LawfulBasisForm(CaseworkFormMixin, forms.ModelForm):
    submit_label = "Save the lawful basis"

    class Meta:
        model = LawfulBasis
        fields = ["name", "explanation", "order", "is_active"]
        labels = {"name": "Lawful basis", "explanation": "What it means, for officers"}
        error_messages = {"name": {"required": "Enter the lawful basis"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].label = "Position in the list"
        self.fields["order"].error_messages["invalid"] = "Enter the position as a whole number"

    def layout_fields(self):
        return [
            Field.text("name"),
            Field.textarea("explanation", rows=3),
            Field.text("order", field_width=4),
            Field.checkbox("is_active"),
        ]

    def validate_unique(self):
        # The force is not a field: the service's full_clean() checks the name per force.
        pass


class InterventionServiceForm(CaseworkFormMixin, forms.ModelForm):
    submit_label = "Save the service"

    class Meta:
        model = InterventionService
        fields = [
            "name",
            "kind",
            "provider",
            "criteria",
            "area",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "is_active",
        ]
        error_messages = {
            "name": {"required": "Enter the service's name"},
            "kind": {"required": "Choose the kind of service"},
            "criteria": {"required": "Say who the service is for"},
            "area": {"required": "Enter the area it covers"},
            "contact_email": {"invalid": "Enter an email address like name@example.org"},
            "website": {"invalid": "Enter a web address like https://example.org"},
        }

    def layout_fields(self):
        return [
            Field.text("name"),
            Field.select("kind"),
            Field.text("provider"),
            Field.textarea("criteria", rows=3),
            Field.text("area"),
            Field.text("contact_name"),
            Field.text("contact_email"),
            Field.text("contact_phone", field_width=20),
            Field.text("website"),
            Field.checkbox("is_active"),
        ]

    def validate_unique(self):
        pass


# ---------------------------------------------------------------------------- closure and flags


class ClosureRequestForm(CloseForm):
    """The same questions as closing, asked of a sergeant when the force wants approval."""

    submit_label = "Ask a sergeant to close the case"


class ClosureDecisionForm(CaseworkFormMixin, forms.Form):
    submit_label = "Save the decision"

    decision = radio_field(
        "Your decision",
        [("approve", "Approve: close the case"), ("return", "Return to the officer")],
        required_message="Choose whether to approve or return the request",
    )
    return_reason = text_field(
        "Why is it returned?",
        max_length=2000,
        rows=3,
        help_text="Needed to return it. The officer reads this.",
        short_label="Reason",
    )

    def layout_fields(self):
        return [
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("return_reason", rows=3),
        ]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("return_reason") or "").strip():
            self.add_error("return_reason", "Enter why the request is returned")
        return data


class FlagForm(CaseworkFormMixin, forms.Form):
    submit_label = "Flag the case"

    message = text_field(
        "Message", required_message="Enter the flag's message", max_length=300, rows=2
    )
    flag_on = date_field(
        "Date",
        required_message="Enter the date the flag is for",
        help_text="The day it matters by, for example a court date or a review.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flag_on"].initial = timezone.localdate

    def layout_fields(self):
        return [
            Field.textarea("message", rows=2),
            Field("flag_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
        ]


class FlagResolveForm(CaseworkFormMixin, forms.Form):
    submit_label = "Resolve the flag"

    resolution = text_field("What was done (optional)", max_length=300, short_label="What was done")

    def layout_fields(self):
        return [Field.text("resolution")]


# ---------------------------------------------------------------------------- signposting


class SignpostForm(CaseworkFormMixin, forms.Form):
    submit_label = "Record the signposting"

    service = forms.ModelChoiceField(
        label="Service",
        queryset=InterventionService.objects.none(),
        empty_label="Choose a service",
        error_messages={
            "required": "Choose the service",
            "invalid_choice": "Choose a service of your force's directory",
        },
    )
    signposted_on = date_field("Date", required_message="Enter the date of the signposting")
    note = text_field("Note (optional)", max_length=2000, rows=3, short_label="Note")

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = InterventionService.objects.filter(
            force_id=case.force_id, is_active=True
        )
        self.fields["signposted_on"].initial = timezone.localdate

    def layout_fields(self):
        return [
            Field.select("service"),
            Field("signposted_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.textarea("note", rows=3),
        ]

    def clean_signposted_on(self):
        day = self.cleaned_data["signposted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return day


class SignpostOutcomeForm(CaseworkFormMixin, forms.Form):
    submit_label = "Record the result"

    outcome = radio_field(
        "Result", Signposting.Outcome.choices, required_message="Choose the result"
    )
    outcome_on = date_field("Date of the result", required_message="Enter the date of the result")
    outcome_note = text_field("Note (optional)", max_length=2000, rows=3, short_label="Note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome_on"].initial = timezone.localdate

    def layout_fields(self):
        return [
            Field.radios("outcome", legend_size=Size.SMALL),
            Field("outcome_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.textarea("outcome_note", rows=3),
        ]

    def clean_outcome_on(self):
        day = self.cleaned_data["outcome_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return day


# ---------------------------------------------------------------------------- safety plan


class SafetyPlanForm(CaseworkFormMixin, forms.Form):
    submit_label = "Save the review date"

    review_on = date_field("Review date", required_message="Enter the review date")

    def layout_fields(self):
        return [Field("review_on", context={"legend_size": Size.for_legend(Size.SMALL)})]

    def clean_review_on(self):
        day = self.cleaned_data["review_on"]
        if day < timezone.localdate():
            raise forms.ValidationError("The review date must be today or in the future")
        return day


class SafetyFactorForm(CaseworkFormMixin, forms.Form):
    submit_label = "Add to the plan"

    kind = radio_field(
        "Is it a risk or a protective factor?",
        SafetyPlanFactor.Kind.choices,
        required_message="Choose risk or protective factor",
    )
    description = text_field(
        "Describe it",
        required_message="Describe the risk or protective factor",
        max_length=500,
        rows=2,
        help_text="In words the young person and family understand: they receive this plan.",
        short_label="Description",
    )

    def layout_fields(self):
        return [
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.textarea("description", rows=2),
        ]


class SafetyStepForm(CaseworkFormMixin, forms.Form):
    submit_label = "Add who does what"

    factor = forms.ModelChoiceField(
        label="Against which risk or protective factor?",
        queryset=SafetyPlanFactor.objects.none(),
        empty_label="Choose one",
        error_messages={
            "required": "Choose the risk or protective factor",
            "invalid_choice": "Choose a risk or protective factor of this plan",
        },
    )
    who = text_field(
        "Who", required_message="Say who does it", max_length=200, help_text="For example, Mum."
    )
    what = text_field("Does what", required_message="Say what they do", max_length=500, rows=2)
    by_when = date_field("By when (optional)", required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["factor"].queryset = plan.factors.all()
        self.fields["factor"].label_from_instance = lambda factor: (
            f"{factor.get_kind_display()}: {factor.description}"
        )

    def layout_fields(self):
        return [
            Field.select("factor"),
            Field.text("who"),
            Field.textarea("what", rows=2),
            Field("by_when", context={"legend_size": Size.for_legend(Size.SMALL)}),
        ]


# ---------------------------------------------------------------------------- lists


class WithoutConsentFilter(django_filters.FilterSet):
    subject = django_filters.ChoiceFilter(
        label="What was shared", choices=ConsentRecord.Subject.choices, empty_label="Anything"
    )
    lawful_basis = django_filters.ModelChoiceFilter(
        label="Lawful basis", queryset=LawfulBasis.objects.none(), empty_label="Any basis"
    )
    since = django_filters.DateFilter(
        label="Recorded on or after",
        field_name="created",
        lookup_expr="date__gte",
        widget=forms.DateInput(
            attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}
        ),
    )

    class Meta:
        model = ConsentRecord
        fields = ["subject", "lawful_basis", "since"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["lawful_basis"].queryset = LawfulBasis.objects.visible_to(user)


# ---------------------------------------------------------------------------- transfers


def other_forces_teams(force):
    """The teams of other forces a case may be handed to: their Safer Schools teams, by name.
    The one cross-force read of the hand-over form, and a narrow one (team and force names)."""
    return (
        Team.objects.exclude(force=force)
        .filter(kind=Team.Kind.SAFER_SCHOOLS)
        .select_related("force")
        .order_by("force__name", "name")
    )


class TransferRequestForm(CaseworkFormMixin, forms.Form):
    submit_label = "Ask them to take the case on"

    destination = radio_field(
        "Who takes the case on?",
        [("officer", "An officer of this force"), ("team", "Another force's team")],
        required_message="Choose who takes the case on",
    )
    to_officer = forms.TypedChoiceField(
        label="Officer",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="For example, the named officer of the new school.",
        error_messages={"invalid_choice": "Choose an active officer of your force"},
    )
    to_team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Choose a team",
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
    reason = text_field(
        "Why is the case handed over?",
        required_message="Enter why the case is handed over",
        max_length=1000,
        rows=2,
        help_text="For example, moving from Year 6 to a secondary school in another area.",
        short_label="Reason",
    )
    share_summary = forms.BooleanField(label="A summary you write", required=False)
    summary = text_field(
        "Summary to share",
        max_length=3000,
        rows=4,
        help_text="Only what the receiving officer needs. The case log does not go across.",
        short_label="Summary",
    )
    share_risk = forms.BooleanField(label="The risk level", required=False)
    share_safety_plan = forms.BooleanField(label="The safety plan", required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["to_officer"].choices = officer_choices(case.force, empty="Choose an officer")
        self.fields["to_team"].queryset = other_forces_teams(case.force_id)
        self.fields["to_team"].label_from_instance = lambda team: f"{team.name}, {team.force.name}"

    def layout_fields(self):
        return [
            ConditionalRadios(
                "destination",
                ConditionalQuestion("An officer of this force", Field.select("to_officer")),
                ConditionalQuestion("Another force's team", Field.select("to_team")),
            ),
            Field.textarea("reason", rows=2),
            Fieldset(
                HTML(
                    '<p class="govuk-body">Who the young person is (name, date of birth, year '
                    "group) goes across. Choose what else the receiving side needs; the case "
                    "log stays here.</p>"
                ),
                Field.checkbox("share_summary"),
                Field.textarea("summary", rows=4),
                Field.checkbox("share_risk"),
                Field.checkbox("share_safety_plan"),
                legend="What goes across",
                legend_size=Size.MEDIUM,
            ),
        ]

    def clean(self):
        data = super().clean()
        if data.get("destination") == "officer":
            data["to_team"] = None
            officer = (
                force_officers(self.case.force, in_a_team=True)
                .filter(pk=data.get("to_officer") or 0)
                .first()
            )
            if officer is None:
                self.add_error("to_officer", "Choose the officer who takes the case on")
            data["to_officer"] = officer
        elif data.get("destination") == "team":
            data["to_officer"] = None
            if not data.get("to_team"):
                self.add_error("to_team", "Choose the team that takes the case on")
        if data.get("share_summary") and not (data.get("summary") or "").strip():
            self.add_error("summary", "Write the summary to share, or do not share one")
        return data


class TransferAcceptForm(CaseworkFormMixin, forms.Form):
    submit_label = "Accept the hand-over"

    risk_level = forms.ChoiceField(
        label="Risk level",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="The sending side did not share one: assess it.",
    )
    new_school = forms.ModelChoiceField(
        label="The young person's new school",
        queryset=School.objects.none(),
        required=False,
        empty_label="Not known yet",
        error_messages={"invalid_choice": "Choose a school of your force"},
    )
    dsl_message = text_field(
        "What should the new school's DSL be told? (optional)",
        max_length=2000,
        rows=4,
        help_text="Only what the school needs to keep the young person safe. Leave empty to tell "
        "the school nothing. The DSL reads it here; their email says only that there is "
        "something to read.",
        short_label="What the DSL is told",
    )
    dsl_told_name = forms.BooleanField(
        label="Tell the DSL the young person's name and date of birth", required=False
    )

    def __init__(self, *args, receipt, user, **kwargs):
        self.receipt = receipt  # before the layout is built: a risk sent is not asked again
        super().__init__(*args, **kwargs)
        self.fields["new_school"].queryset = (
            School.objects.visible_to(user).open().only("pk", "name")
        )
        if receipt.risk_level:
            del self.fields["risk_level"]

    def layout_fields(self):
        asked_risk = [] if self.receipt.risk_level else ["risk_level"]
        return [
            *(Field.radios(name, legend_size=Size.SMALL, inline=True) for name in asked_risk),
            Field.select("new_school"),
            Field.textarea("dsl_message", rows=4),
            Field.checkbox("dsl_told_name"),
        ]

    def clean(self):
        data = super().clean()
        if not self.receipt.risk_level and not data.get("risk_level"):
            self.add_error("risk_level", "Choose the risk level: high, medium or low")
        if (data.get("dsl_message") or "").strip() and not data.get("new_school"):
            self.add_error("new_school", "Choose the new school whose DSL is told")
        return data


class TransferDeclineForm(CaseworkFormMixin, forms.Form):
    submit_label = "Decline the hand-over"

    decline_reason = text_field(
        "Why do you decline it?",
        required_message="Enter why the hand-over is declined",
        max_length=1000,
        rows=3,
        short_label="Reason",
    )

    def layout_fields(self):
        return [Field.textarea("decline_reason", rows=3)]
