"""The list's filters: open, answered, closed or all; for the police, theirs or the force's."""

from django import forms
from django.utils.http import urlencode

from .models import HelpRequest

STATUSES = [("open", "Open"), ("answered", "Answered"), ("closed", "Closed"), ("all", "All")]
SCOPES = [("mine", "Mine and my team's"), ("all", "All schools of the force")]


class HelpRequestFilter(forms.Form):
    status = forms.ChoiceField(label="Status", choices=STATUSES, required=False)
    scope = forms.ChoiceField(label="Schools", choices=SCOPES, required=False)

    def __init__(self, data, *, user):
        super().__init__(data)
        self.user = user
        if not user.is_police_side:
            del self.fields["scope"]

    def _value(self, name, default):
        if not self.is_valid():
            return default
        return self.cleaned_data.get(name) or default

    def filter(self, requests):
        """Keep the requests the filters choose: open ones of the reader's own by default."""
        # The police work through what is open; a school looks back at what it asked.
        status = self._value("status", "open" if self.user.is_police_side else "all")
        if status in {HelpRequest.Status.OPEN, HelpRequest.Status.ANSWERED, "closed"}:
            requests = requests.filter(status=status)
        if "scope" in self.fields and self._value("scope", self.default_scope) == "mine":
            requests = requests.addressed_to(self.user)
        return requests

    @property
    def default_scope(self):
        """Officers start with their own; managers and administrators with the force's."""
        return "mine" if self.user.is_officer else "all"

    @property
    def query(self):
        return urlencode({n: self.data[n] for n in ("status", "scope") if self.data.get(n)})
