"""Template helpers of bookings."""

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    """Return mapping[key], for rows of grouped figures keyed by a lookup path."""
    return mapping.get(key) if hasattr(mapping, "get") else None
