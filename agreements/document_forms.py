"""The form that uploads a document to an agreement (or to the force's documents)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from accounts.forms import GovukFormMixin
from accounts.forms_kit import date_field

from .documents import ACCEPT_ATTRIBUTE, KINDS_WORDING, max_size_label
from .models import kind_expires


class DocumentForm(GovukFormMixin, forms.Form):
    submit_label = "Upload the document"

    file = forms.FileField(
        label="Choose the file",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={
            "required": "Choose the file to upload",
            "empty": "The file is empty",
            "invalid": "Choose the file to upload",
        },
    )
    expires_on = date_field(
        "Date the certificate expires",
        required_message="Enter the date the certificate expires",
        help_text="As printed on the certificate, for example 31 3 2027",
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = (
            f"{KINDS_WORDING[0].upper()}{KINDS_WORDING[1:]}, smaller than {max_size_label()}."
        )
        if not kind_expires(kind):
            del self.fields["expires_on"]
            self.helper = FormHelper(self)
            self.helper.add_input(Submit("submit", self.submit_label))
