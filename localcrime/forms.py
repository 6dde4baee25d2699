"""The upload of street-level files and the force's local-crime settings."""

from django import forms
from django.core.exceptions import ValidationError

from accounts.forms import GovukFormMixin

from .models import CrimeType, LocalCrimeSettings

MAX_UPLOAD_MB = 100
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MONTH_CHOICES = (("3", "Last 3 months"), ("6", "Last 6 months"), ("12", "Last 12 months"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] if data else single(None, initial)
        return [single(data, initial)]


class CrimeUploadForm(GovukFormMixin, forms.Form):
    submit_label = "Upload and check"

    files = MultipleFileField(
        label="Street-level crime files",
        widget=MultipleFileInput(attrs={"accept": ".csv,.zip,text/csv,application/zip"}),
        help_text=(
            "One or more monthly street-level CSV files from data.police.uk (named like "
            "2021-02-dorset-street.csv), or the zip file of the archive's month folders, "
            f"{MAX_UPLOAD_MB}MB at most in all."
        ),
        error_messages={
            "required": "Select the street-level CSV files or a zip file",
            "empty": "The selected file is empty",
            "invalid": "Select the street-level CSV files or a zip file",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.uploaded = []

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if sum(upload.size for upload in uploads) > MAX_UPLOAD_BYTES:
            raise ValidationError(f"The selected files must be smaller than {MAX_UPLOAD_MB}MB")
        for upload in uploads:
            name = upload.name.lower()
            if not name.endswith((".csv", ".zip")):
                raise ValidationError(f"{upload.name} must be a CSV file or a zip file")
            if name.endswith(".zip") and len(uploads) > 1:
                raise ValidationError("Upload a zip file on its own, or CSV files without a zip")
            upload.seek(0)
            self.uploaded.append((upload.name, upload.read()))
        return uploads

    @property
    def original_name(self) -> str:
        names = [name for name, _ in self.uploaded]
        return names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} more"


class SettingsForm(GovukFormMixin, forms.ModelForm):
    submit_label = "Save settings"

    class Meta:
        model = LocalCrimeSettings
        fields = ["radius_m", "retention_months"]
        error_messages = {
            "radius_m": {
                "required": "Enter the radius in metres",
                "invalid": "Enter the radius as a whole number of metres, like 500",
            },
            "retention_months": {
                "required": "Enter how many months to keep",
                "invalid": "Enter the months as a whole number, like 36",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["radius_m"].error_messages["min_value"] = (
            "The radius must be at least 100 metres"
        )
        self.fields["radius_m"].error_messages["max_value"] = (
            "The radius must be 3,000 metres or less"
        )
        self.fields["retention_months"].error_messages["min_value"] = (
            "Keep at least 24 months: the figures compare a year with the year before"
        )
        self.fields["retention_months"].error_messages["max_value"] = "Keep 120 months or fewer"


class MapFilterForm(forms.Form):
    crime_type = forms.ChoiceField(
        label="Crime type",
        required=False,
        choices=[("", "All crime and ASB"), *CrimeType.choices],
    )
    months = forms.ChoiceField(label="Months", required=False, choices=MONTH_CHOICES, initial="12")
    la = forms.CharField(required=False, max_length=10, widget=forms.HiddenInput)

    def chosen(self) -> tuple[str, int, str]:
        if not self.is_valid():
            return "", 12, ""
        data = self.cleaned_data
        return data["crime_type"], int(data["months"] or 12), data["la"].strip()
