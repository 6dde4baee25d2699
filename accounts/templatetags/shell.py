"""Small template helpers shared by every app's pages."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def without(querydict, key):
    """Return the query string without `key`, for pagination links that keep filters."""
    params = querydict.copy()
    params.pop(key, None)
    return params.urlencode()


@register.filter
def select_options(field):
    """Return the <option> tags of a bound choice field, the chosen one marked as selected.

    Built in Python rather than a template loop: a filter of a large force has a few hundred
    options (every officer), and this is most of the cost of rendering a list page's filters.
    """
    chosen = field.value()
    chosen = "" if chosen is None else str(chosen)
    options = []
    for value, label in field.field.choices:
        value = str(value)
        selected = " selected" if value == chosen else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(options))  # noqa: S308 - every value and label is escaped above


@register.filter
def in_sentence(label):
    """A role label mid-sentence ("neighbourhood officer or PCSO"); see accounts.models."""
    from accounts.models import in_sentence as written

    return written(label)
