"""Small template helpers shared by every app's pages."""

from django import template

register = template.Library()


@register.filter
def without(querydict, key):
    """Return the query string without `key`, for pagination links that keep filters."""
    params = querydict.copy()
    params.pop(key, None)
    return params.urlencode()
