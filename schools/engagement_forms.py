"""Forms of the engagement log and of the force's term dates."""

from crispy_forms_gds.layout import HTML, Field, Layout, Size, Submit
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field, radio_field

from .models import Engagement, EngagementPurpose, NamedContact, School, Term

# Most visits take about half an hour; the officer changes it under "More details".
DEFAULT_DURATION_MINUTES = 30


class EngagementForm(GovukFormMixin, forms.Form):
    """What an officer did with a school: one page, quick to fill in on a phone."""

    submit_label = "Save engagement"

    school = forms.ModelChoiceField(
        label="School",
        queryset=School.objects.none(),
        empty_label="Choose a school",
        error_messages={
            "required": "Choose the school",
            "invalid_choice": "Choose a school of your force",
        },
    )
    occurred_on = date_field(
        "Date",
        required_message="Enter the date of the engagement",
    )
    kind = forms.ChoiceField(
        label="What did you do?",
        choices=Engagement.Kind.choices,
        initial=Engagement.Kind.VISIT,
        error_messages={"required": "Choose what kind of engagement it was"},
    )
    purpose = radio_field(
        "Role it served",
        Engagement.Purpose.choices,
        required_message="Choose the role it served: law, educator, advisor or role model",
        initial=Engagement.Purpose.EDUCATOR,
    )
    summary = forms.CharField(
        label="Note (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea,
        help_text="What happened. Do not write pupils' names.",
        error_messages={"max_length": "The note must be 1,000 characters or fewer"},
    )
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        min_value=1,
        max_value=24 * 60,
        initial=DEFAULT_DURATION_MINUTES,
        help_text="For example, 30 for half an hour or 90 for an hour and a half.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter how long it took, in minutes",
            "invalid": "Enter the duration as a whole number of minutes, like 45",
            "min_value": "The duration must be at least 1 minute",
            "max_value": "The duration must be 1,440 minutes (24 hours) or less",
        },
    )
    with_whom = forms.CharField(
        label="With whom (optional)",
        max_length=200,
        required=False,
        help_text="Roles or groups, for example 'Year 9 assembly' or 'DSL and head of year'. "
        "Do not write pupils' names.",
        error_messages={"max_length": "With whom must be 200 characters or fewer"},
    )
    follow_up = forms.CharField(
        label="Follow-up (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea,
        help_text="What you or others will do next, and by when.",
        error_messages={"max_length": "The follow-up must be 1,000 characters or fewer"},
    )

    def __init__(self, *args, officer, school=None, **kwargs):
        """Offer the officer's schools first; with `school` given, the school is fixed."""
        super().__init__(*args, **kwargs)
        self.officer = officer
        self.fixed_school = school
        # The roles the force lists (the officer's four roles unless it changed them).
        purposes = EngagementPurpose.choices_for(officer.force_id)
        self.fields["purpose"].choices = purposes
        if Engagement.Purpose.EDUCATOR not in dict(purposes):
            self.fields["purpose"].initial = purposes[0][0] if purposes else None
        if school is None:
            field = self.fields["school"]
            field.queryset = School.objects.visible_to(officer)
            field.widget.choices = self._school_choices(officer)
        else:
            del self.fields["school"]
        self.fields["occurred_on"].initial = timezone.localdate
        for name in ("summary", "follow_up"):
            # A maxlength would cut pasted text silently; the page says when it is too long.
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.helper.attrs = {"novalidate": ""}
        # The common case fits one phone screen: date, kind and role come filled in, a note is
        # optional, then the button; how long, with whom and the follow-up wait below it, in a
        # details element.
        self.helper.inputs = []
        self.helper.layout = Layout(
            *([Field.select("school")] if school is None else []),
            Field("occurred_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("kind", context={"label_size": Size.for_label(Size.SMALL)}),
            Field(
                "purpose",
                context={
                    "legend_size": Size.for_legend(Size.SMALL),
                    "radios_small": True,
                    "wrapper_class": "app-radios--in-a-row",
                },
            ),
            Field.textarea("summary", rows=2),
            Submit("submit", self.submit_label),
            HTML(
                '<details class="govuk-details"{% if form.duration_minutes.errors'
                " or form.with_whom.errors or form.follow_up.errors %} open{% endif %}>"
                '<summary class="govuk-details__summary"><span class="govuk-details__summary-text">'
                "More details (optional)</span></summary>"
                '<div class="govuk-details__text">'
                f'<p class="govuk-body">Duration is {DEFAULT_DURATION_MINUTES} minutes unless'
                " you change it.</p>"
            ),
            Field.text("duration_minutes", field_width=4),
            Field.text("with_whom"),
            Field.textarea("follow_up", rows=3, max_characters=1000),
            HTML("</div></details>"),
        )

    @staticmethod
    def _school_choices(officer):
        """Return the select's options: "Your schools", then "All schools" of the force."""
        named = NamedContact.objects.current().filter(
            Q(officer=officer) | Q(deputy=officer), school=OuterRef("pk")
        )
        schools = (
            School.objects.visible_to(officer)
            .open()
            .annotate(is_mine=Exists(named))
            .only("pk", "name")
            .order_by("name")
        )
        mine, others = [], []
        for school in schools:
            (mine if school.is_mine else others).append((school.pk, school.name))
        choices = [("", "Choose a school")]
        if mine:
            choices.append(("Your schools", mine))
        if others:
            choices.append(("All schools" if mine else "Schools", others))
        return choices

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data["occurred_on"]
        if occurred_on > timezone.localdate():
            raise forms.ValidationError("The date of the engagement must be today or in the past")
        return occurred_on

    @property
    def engagement_fields(self) -> dict:
        """Return the cleaned fields as the engagement services take them."""
        fields = dict(self.cleaned_data)
        if self.fixed_school is not None:
            fields["school"] = self.fixed_school
        return fields


class EngagementCorrectionForm(EngagementForm):
    submit_label = "Save correction"


class TermForm(GovukFormMixin, forms.ModelForm):
    """A term of the force's area; terms of one force may not overlap."""

    submit_label = "Save term"

    name = radio_field(
        "Term", Term.Name.choices, required_message="Choose autumn, spring or summer"
    )
    starts_on = date_field("First day", required_message="Enter the first day of the term")
    ends_on = date_field("Last day", required_message="Enter the last day of the term")

    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on"]

    def __init__(self, *args, force, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.force = force
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Field.radios("name", legend_size=Size.SMALL, inline=True),
            Field("starts_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("ends_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
        )

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if not (starts_on and ends_on):
            return data
        if ends_on <= starts_on:
            self.add_error("ends_on", "The last day must be after the first day")
            return data
        clash = (
            Term.objects.filter(
                force=self.instance.force, starts_on__lte=ends_on, ends_on__gte=starts_on
            )
            .exclude(pk=self.instance.pk)
            .first()
        )
        if clash is not None:
            self.add_error(
                "starts_on",
                f"These dates overlap the {clash.get_name_display().lower()} term "
                f"{clash.academic_year} ({clash.starts_on:%-d %B %Y} to "
                f"{clash.ends_on:%-d %B %Y}). Terms cannot overlap",
            )
        return data
