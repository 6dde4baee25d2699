"""Forms of provider agreements: prepare (choose the partner, say what it delivers), change."""

from django import forms

from accounts.forms import GovukFormMixin
from accounts.forms_kit import text_field
from accounts.models import Organisation

from .forms import RequestChangesForm

DELIVERS_HELP = (
    "The sessions and services this partner delivers to schools, one per line starting "
    "with “- ”. You can change it until you sign and send the agreement."
)


def _delivers_field():
    return text_field(
        "What the partner delivers",
        rows=8,
        max_length=4000,
        help_text=DELIVERS_HELP,
        required_message="Say what the partner delivers",
    )


class ProviderPrepareForm(GovukFormMixin, forms.Form):
    submit_label = "Prepare the agreement"

    provider = forms.ModelChoiceField(
        label="Education partner",
        queryset=Organisation.objects.none(),
        empty_label="Choose a partner",
        error_messages={
            "required": "Choose the education partner",
            "invalid_choice": "Choose one of the force's education partners",
        },
    )
    delivers = _delivers_field()

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = partners


class ProviderChangeForm(GovukFormMixin, forms.Form):
    submit_label = "Save changes"

    delivers = _delivers_field()


class ProviderRequestChangesForm(RequestChangesForm):
    """The school's "ask for changes" question, returned to the coordinator instead."""

    submit_label = "Return it to the coordinator"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "reason"
        ].help_text = (
            "The coordinator reads this, changes the agreement, signs it and sends it again."
        )
