"""A list's filters as a django-filter FilterSet, shown with the MOJ filter component.

A list page builds its FilterSet over the reader's scoped queryset and renders
``partials/_moj_filter.html``: the filters as the MOJ filter panel, the chosen ones as tags that
each remove one value. ``query`` is the chosen filters urlencoded, for the pagination and
download links; anything else in the address does not travel on.
"""

from functools import cached_property
from urllib.parse import urlencode

import django_filters
from django import forms


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet that knows its chosen values, as the query string and as removable tags."""

    # Filters carried by links (a dashboard's period) but not asked on the page: kept as
    # hidden inputs, never shown as tags.
    hidden: tuple[str, ...] = ()
    # Filters that order rather than narrow the list: asked, never shown as tags.
    not_tags: tuple[str, ...] = ("sort",)

    def chosen(self) -> list[tuple[str, str]]:
        """(name, value) of every filter given a value, in the filters' order."""
        if self.data is None:
            return []
        return [
            (name, value)
            for name in self.filters
            for value in self.data.getlist(name)
            if value != ""
        ]

    def hidden_tags(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """(heading, text, names) for hidden filters that narrow the list: each shows as one tag
        that removes all of `names` (a dashboard's period and what it counted in it)."""
        return []

    @cached_property
    def query(self) -> str:
        return urlencode(self.chosen())

    def selected(self) -> list[dict]:
        """The chosen filters as the MOJ filter's categories of tags, each tag linking to the
        list without that one value. Values the form refused are left out (they filter nothing)."""
        if not self.is_bound:
            return []
        self.form.is_valid()  # the tags show only values the form accepted
        cleaned = self.form.cleaned_data
        chosen = self.chosen()
        categories = {}
        for name, value in chosen:
            if name in self.hidden or name in self.not_tags or name not in cleaned:
                continue
            field = self.form.fields[name]
            if isinstance(field, forms.ChoiceField | forms.MultipleChoiceField):
                label = {str(v): str(text) for v, text in field.choices}.get(value)
                if label is None:
                    continue
            else:
                label = f"“{value}”"
            rest = [(n, v) for n, v in chosen if (n, v) != (name, value)]
            href = f"?{urlencode(rest)}" if rest else "?"
            categories.setdefault(name, {"heading": field.label, "tags": []})
            categories[name]["tags"].append({"text": label, "href": href})
        shown = list(categories.values())
        for heading, text, names in self.hidden_tags():
            rest = [(n, v) for n, v in chosen if n not in names]
            href = f"?{urlencode(rest)}" if rest else "?"
            shown.append({"heading": heading, "tags": [{"text": text, "href": href}]})
        return shown
