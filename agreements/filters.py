"""The filters of the agreements list (django-filter, shown as the MOJ filter)."""

import django_filters
from django import forms

from accounts.filtering import ListFilterSet

from .models import Agreement
from .panels import STATUS_CHOICES

BY_STATUS = {
    "draft": lambda agreements: agreements.filter(state=Agreement.State.DRAFT),
    "awaiting": lambda agreements: agreements.awaiting_signature(),
    "active": lambda agreements: agreements.active(),
    "review_due": lambda agreements: agreements.review_due(),
    "review_suggested": lambda agreements: agreements.live().filter(review_suggested=True),
    "ended": lambda agreements: agreements.filter(state=Agreement.State.ENDED),
}


class AgreementFilter(ListFilterSet):
    """The agreements a reader may see, by where each stands and by the school's name."""

    panel = ("status", "school")

    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(key, label) for key, label in STATUS_CHOICES if key in BY_STATUS],
        widget=forms.RadioSelect,
        method="in_status",
    )
    school = django_filters.CharFilter(
        label="School name", field_name="school__name", lookup_expr="icontains", max_length=100
    )

    def in_status(self, agreements, name, status):
        return BY_STATUS[status](agreements)
