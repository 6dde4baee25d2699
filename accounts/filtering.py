"""Lists through filtersets: the base FilterSet of every list page and the MOJ filter panel.

A list page is a queryset sentence, a FilterSet of this kind, a paginator and a template that
includes ``partials/_moj_filter.html``. A value that is not valid is ignored (the list shows
as if it were not given) and, for a question the panel asks, explained above it. Filters the
panel does not ask (a dashboard's period or slice, a tab) still filter, travel on as hidden
inputs and show as removable tags like the others. A dashboard's period (and what it counted
in it) is given as several filters but shows as ONE tag that removes them all (``period``).
"""

import datetime

import django_filters
from django import forms
from django.http import QueryDict

from .forms_kit import GovukDateField, date_field


def once(choices):
    """Choices worked out on first use and kept: a form asks for them to validate, to render
    and for the tags, and a list of choices should cost one query."""
    kept = []

    def worked_out():
        if not kept:
            kept.append(list(choices()))
        return kept[0]

    return worked_out


class GovukDateFilter(django_filters.DateFilter):
    """A date filter asked as the GOV.UK date input (day, month and year boxes)."""

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self._field = date_field(self.label, required=False)
        return self._field


class IdsField(forms.Field):
    """Whole numbers given under one name any number of times (``team=1&team=2``); anything
    else given is left out."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, (list, tuple)) else [value] if value else []
        return [int(v) for v in values if str(v).isdigit()]


class ListFilterSet(django_filters.FilterSet):
    """The filters of a list page, shown as the MOJ filter component."""

    panel: tuple = ()  # the filters the panel asks, in order; the others filter unasked
    # Filters that choose a view of the list (its tab, its order) rather than narrow it: kept
    # when the filters are cleared, never shown as tags.
    tabs: tuple = ()
    # (label, start, end, *also): a dashboard's period, given by its links as two unasked
    # filters, and what the dashboard counted in it. Never tags one by one: with both ends
    # valid, one tag ("1 Sep 2026 to 1 Dec 2026") that removes every one of them.
    period: tuple = ()

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        if data is not None:
            self.data = data  # keep the QueryDict, even empty: tags and links read its lists

    # --- What the panel asks ------------------------------------------------------------

    def panel_fields(self):
        """The panel's questions: (bound field, how it is asked)."""
        form = self.form
        return [
            (form[name], _kind(form.fields[name])) for name in self.panel if name in form.fields
        ]

    def errors_shown(self):
        """The panel's questions whose value is not valid (for the error summary)."""
        if not self.is_bound:
            return []
        errors = self.form.errors
        return [self.form[name] for name in self.panel if name in errors]

    def hidden_params(self):
        """The values of filters the panel does not ask, to keep when it is applied."""
        return [
            (name, value)
            for name in self.filters
            if name not in self.panel
            for value in (self.data.getlist(name) if self.is_bound else [])
            if value
        ]

    def query(self):
        """The list's filters as a query string, for its page links: nothing else given
        (a campaign tag, the page) travels on."""
        return self._kept().urlencode() if self.is_bound else ""

    def chosen(self):
        """(name, value) of every filter given a value (for a record of what an export was
        filtered by)."""
        if not self.is_bound:
            return []
        return [(key, value) for key, values in self._kept().lists() for value in values]

    def _kept(self):
        """The parameters that are filters (a date's boxes ``name_0``... included) and were
        given a value, in the order given."""
        kept = QueryDict(mutable=True)
        for key, values in self.data.lists():
            name, _, box = key.rpartition("_")
            if key not in self.filters and not (name in self.filters and box in "012" and box):
                continue
            values = [value for value in values if value != ""]
            if values:
                kept.setlist(key, values)
        return kept

    # --- What the reader chose ----------------------------------------------------------

    def selected(self):
        """The chosen filters as the MOJ filter's tags: [{"label", "items": [{"text", "href"}]}]."""
        if not self.is_bound:
            return []
        form = self.form
        form.is_valid()
        chosen = []
        for name in self.filters:
            if name in self.tabs or name in self.period[1:] or name not in form.cleaned_data:
                continue
            value = form.cleaned_data[name]
            if value in (None, "", [], (), False):
                continue
            field = form.fields[name]
            items = [
                {"text": text, "href": self._without(name, raw)}
                for raw, text in _shown(field, name, value, self.data)
            ]
            if items:
                chosen.append({"label": field.label or name, "items": items})
        tag = self.period_tag()
        if tag:
            label, text, names = tag
            params = self._kept()
            for key in list(params):
                if key in names or key.rpartition("_")[0] in names:
                    del params[key]
            chosen.append(
                {"label": label, "items": [{"text": text, "href": f"?{params.urlencode()}"}]}
            )
        return chosen

    def period_tag(self):
        """(label, text, names) of the dashboard's period when both its ends are valid: the
        one tag that removes all of `names`; otherwise None (half a period filters nothing)."""
        if not (self.period and self.is_bound):
            return None
        self.form.is_valid()
        data = self.form.cleaned_data
        label, start, end, *_ = self.period
        since, until = data.get(start), data.get(end)
        if not (since and until):
            return None
        return (label, self.period_text(since, until), self.period[1:])

    def period_text(self, since, until):
        """What the period tag says: its two ends."""
        return f"{since:%-d %b %Y} to {until:%-d %b %Y}"

    def clear_url(self):
        """The list with no filters, on the same tab."""
        kept = QueryDict(mutable=True)
        for name in self.tabs if self.is_bound else ():
            kept.setlist(name, self.data.getlist(name))
        return f"?{kept.urlencode()}"

    def _without(self, name, raw):
        """The address of the list without one chosen value (all of a date's boxes)."""
        params = self._kept()
        if raw is None:
            for key in [name, *(f"{name}_{index}" for index in range(3))]:
                params.pop(key, None)
        else:
            params.setlist(name, [v for v in params.getlist(name) if v != raw])
        return f"?{params.urlencode()}"


def _kind(field):
    widget = field.widget
    if isinstance(field, GovukDateField):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    return "text"


def _shown(field, name, value, data):
    """(the raw value to remove, or None for the whole filter; its text) for each chosen value."""
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(key): label for key, label in choices}
        raws = [raw for raw in data.getlist(name) if raw in labels]
        return [(raw, str(labels[raw])) for raw in dict.fromkeys(raws)]
    if isinstance(value, datetime.date):
        return [(None, f"{value:%-d %B %Y}")]
    if value is True:
        return [(None, "Yes")]
    if isinstance(value, list):
        return [(str(v), str(v)) for v in value]
    return [(None, str(value))]
