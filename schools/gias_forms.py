"""The upload form of the GIAS import: a CSV extract and the local authorities to take from it."""

import re

from django import forms
from django.core.exceptions import ValidationError

from accounts.forms import GovukFormMixin

from .gias import InvalidGiasFile, check_gias_header, read_gias

MAX_UPLOAD_MB = 100
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# A file up to this size is read in full while the page waits (a second or two); a larger
# one (a national extract) has its header checked here and is read by a task.
READ_IN_REQUEST_BYTES = 5 * 1024 * 1024
# The error summary lists this many of a file's problems; the rest are counted.
SHOWN_PROBLEMS = 50
_LA_CODE = re.compile(r"\d{3}")


class GiasUploadForm(GovukFormMixin, forms.Form):
    submit_label = "Upload and preview"

    file = forms.FileField(
        label="GIAS extract",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=(
            "A CSV file of establishments downloaded from Get Information about Schools, "
            f"smaller than {MAX_UPLOAD_MB}MB."
        ),
        error_messages={
            "required": "Select a GIAS CSV file",
            "empty": "The selected file is empty",
            "invalid": "Select a GIAS CSV file",
        },
    )
    la_codes = forms.CharField(
        label="Local authority codes",
        help_text=(
            "The DfE codes of the local authorities whose schools to import, separated by "
            "commas, for example 838, 839. Schools of other local authorities are skipped."
        ),
        max_length=500,
        error_messages={"required": "Enter at least one local authority code"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        self.data_bytes = b""
        self.check_in_background = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError("The selected file must be a CSV")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(f"The selected file must be smaller than {MAX_UPLOAD_MB}MB")
        upload.seek(0)
        data = upload.read()
        self.check_in_background = len(data) > READ_IN_REQUEST_BYTES
        try:
            if self.check_in_background:
                check_gias_header(data)
            else:
                self.rows = read_gias(data)
        except InvalidGiasFile as error:
            shown = error.errors[:SHOWN_PROBLEMS]
            more = len(error.errors) - len(shown)
            if more:
                shown.append(f"The file has {more} more problems. Fix these and upload it again.")
            raise ValidationError(shown) from error
        self.data_bytes = data
        return upload

    def clean_la_codes(self):
        codes = [code for code in re.split(r"[\s,;]+", self.cleaned_data["la_codes"]) if code]
        wrong = [code for code in codes if not _LA_CODE.fullmatch(code)]
        if wrong:
            raise ValidationError(
                "Enter local authority codes as 3-digit numbers separated by commas, like 838, 839"
            )
        if not codes:
            raise ValidationError("Enter at least one local authority code")
        return list(dict.fromkeys(codes))
