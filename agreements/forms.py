"""Forms of agreements: prepare, change, sign, end, verify, settings and template wording."""

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.utils import timezone

from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field, force_officers, text_field
from accounts.models import User, in_sentence

from .models import AgreementSettings, AgreementTemplate


def _officer_label(user):
    return f"{user.display_name}, {in_sentence(user.get_role_display())}"


class PrepareForm(GovukFormMixin, forms.Form):
    submit_label = "Prepare the agreement"

    template = forms.ModelChoiceField(
        label="Which memorandum",
        queryset=AgreementTemplate.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose which memorandum to prepare"},
    )
    named_officer = forms.ModelChoiceField(
        label="Officer who signs for the police",
        queryset=User.objects.none(),
        help_text="Normally the school's named police contact.",
        error_messages={"required": "Choose the officer who signs for the police"},
    )
    include_isa = forms.BooleanField(
        label="Attach the information sharing agreement", required=False, initial=True
    )
    local_arrangements = text_field(
        "Local arrangements",
        rows=6,
        max_length=4000,
        help_text="Anything particular to this school. You can change it before sending.",
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = (
            AgreementTemplate.objects.filter(force=school.force)
            .published()
            .exclude(kind__in=[AgreementTemplate.Kind.ISA, AgreementTemplate.Kind.PROVIDER])
            .order_by("kind")
        )
        self.fields["template"].label_from_instance = lambda t: f"{t.title} (version {t.version})"
        self.fields["named_officer"].queryset = force_officers(school.force).select_related(
            "organisation"
        )
        self.fields["named_officer"].label_from_instance = _officer_label


class ChangeForm(GovukFormMixin, forms.Form):
    submit_label = "Save changes"

    local_arrangements = text_field("Local arrangements", rows=8, max_length=4000)
    left_out = forms.MultipleChoiceField(
        label="Optional sections to leave out",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    named_officer = forms.ModelChoiceField(
        label="Officer who signs for the police",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the officer who signs for the police"},
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_out"].choices = [
            (s["key"], s["heading"].replace("{school}", agreement.school.name))
            for s in agreement.template.sections
            if s.get("optional") and not s.get("local")
        ]
        if agreement.state == agreement.State.DRAFT:
            self.fields["named_officer"].queryset = force_officers(agreement.force).select_related(
                "organisation"
            )
            self.fields["named_officer"].label_from_instance = _officer_label
        else:
            del self.fields["named_officer"]
            self.fields["local_arrangements"].help_text = (
                "The agreement has been sent: saving a change makes a new version, and "
                "everyone signs again."
            )


class SignForm(forms.Form):
    """The signature: typed name, an optional drawing, and the signer's confirmation."""

    typed_name = text_field(
        "Your full name", max_length=150, required_message="Type your full name"
    )
    rank = forms.CharField(label="Rank or role", max_length=60, required=False)
    collar_number = forms.CharField(label="Collar number", max_length=20, required=False)
    drawn_signature = forms.CharField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirmed = forms.BooleanField(required=False)

    def __init__(self, *args, police: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.police = police
        if not police:
            del self.fields["rank"]
            del self.fields["collar_number"]


class EndForm(GovukFormMixin, forms.Form):
    submit_label = "End the agreement"

    reason = text_field(
        "Why is the agreement ending?",
        short_label="The reason",
        rows=4,
        max_length=2000,
        required_message="Give the reason for ending the agreement",
    )
    ended_on = date_field(
        "Date it ends",
        required_message="Enter the date the agreement ends",
        help_text="For example, 31 8 2027",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()


class VerifyForm(GovukFormMixin, forms.Form):
    submit_label = "Check the PDF"
    MAX_BYTES = 20 * 1024 * 1024

    pdf = forms.FileField(
        label="Upload the agreement PDF",
        help_text="The PDF of a signed agreement as this service made it, smaller than 20 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={"required": "Choose the PDF to check", "empty": "The file is empty"},
    )

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 20 MB")
        return upload


class SettingsForm(GovukFormMixin, forms.ModelForm):
    submit_label = "Save settings"

    timestamp_url = forms.URLField(
        label="Time-stamping authority (RFC 3161) address (optional)",
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="When given, each sealed PDF carries a trusted timestamp from this service.",
        error_messages={"invalid": "Enter the address of the service, starting https://"},
    )

    class Meta:
        model = AgreementSettings
        fields = [
            "signing_order",
            "sergeant_countersigns",
            "review_months",
            "signature_reminder_days",
            "signing_link_days",
            "timestamp_url",
        ]
        widgets = {"signing_order": forms.RadioSelect}
        labels = {"signing_order": "Who signs first"}
        help_texts = {
            "sergeant_countersigns": "After the officer has signed, a sergeant of the officer's "
            "team countersigns; any sergeant of the force when that team has none."
        }
        error_messages = {
            "review_months": {
                "required": "Enter how many months after signing an agreement is reviewed",
                "invalid": "Enter a whole number of months, from 1 to 12",
                "min_value": "Enter a whole number of months, from 1 to 12",
                "max_value": "An agreement is reviewed at least every 12 months",
            },
            "signing_link_days": {
                "required": "Enter how many days the link to sign works",
                "invalid": "Enter a whole number of days, from 1 to 90",
                "min_value": "Enter a whole number of days, from 1 to 90",
                "max_value": "Enter a whole number of days, from 1 to 90",
            },
            "timestamp_url": {"invalid": "Enter the address of the service, starting https://"},
        }


class TemplateForm(GovukFormMixin, forms.Form):
    submit_label = "Publish a new version"

    title = text_field("Title", max_length=200, required_message="Enter the title")

    def __init__(self, *args, template: AgreementTemplate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].initial = template.title
        for section in template.sections:
            self.fields[f"section_{section['key']}"] = forms.CharField(
                label=section["heading"],
                initial=section.get("body", ""),
                widget=forms.Textarea(attrs={"rows": 6}),
                max_length=6000,
                required=not section.get("optional"),
                help_text="Optional section." if section.get("optional") else "",
                error_messages={"required": f"Enter the text of “{section['heading']}”"},
            )
        # The helper was laid out before the sections existed: lay it out again with them all.
        self.helper.layout = Layout(
            Field.text("title"),
            *(Field.textarea(name, rows=6) for name in self.fields if name.startswith("section_")),
        )

    def bodies(self) -> dict[str, str]:
        return {
            name.removeprefix("section_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("section_")
        }


class RequestChangesForm(GovukFormMixin, forms.Form):
    submit_label = "Return it to the officer"

    reason = text_field(
        "What should change?",
        short_label="What should change",
        rows=5,
        max_length=2000,
        required_message="Say what should change",
        help_text="The officer reads this, changes the agreement and sends it again.",
    )


class ShareForm(GovukFormMixin, forms.Form):
    submit_label = "Send the signed copy"

    addresses = text_field(
        "Email addresses",
        rows=3,
        max_length=2000,
        required_message="Enter at least one email address",
        help_text="For example the governors' clerk. Separate addresses with commas or new "
        "lines, 10 at most.",
    )
    note = text_field(
        "A note to go with it (optional)", short_label="The note", rows=3, max_length=1000
    )

    def address_list(self) -> list[str]:
        text = self.cleaned_data["addresses"].replace(";", ",").replace("\n", ",")
        return [part.strip() for part in text.split(",") if part.strip()]


class ActingHeadForm(GovukFormMixin, forms.Form):
    submit_label = "Name the acting headteacher"

    user = forms.ModelChoiceField(
        label="Who acts as headteacher",
        queryset=User.objects.none(),
        error_messages={"required": "Choose who acts as headteacher"},
    )
    starts_on = date_field("First day", required_message="Enter the first day")
    ends_on = date_field("Last day", required_message="Enter the last day")

    def __init__(self, *args, school, **kwargs):
        from accounts.models import SCHOOL_ROLES

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            organisation_id=school.organisation_id, role__in=SCHOOL_ROLES, is_active=True
        ).order_by("full_name")
        self.fields["user"].label_from_instance = _officer_label
