"""Indicators the product computes instead of the assessor typing them.

"Crime and disorder reports a week, averaged over six months" is the incidents the school
reported through the product (incidents, to the left), counted by the one definition the
school page and the incident list share; the incidents behind it are its evidence.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from incidents.models import SIX_MONTHS, Incident, per_week

INCIDENTS_PER_WEEK = "incidents_per_week"


@dataclass(frozen=True)
class ComputedValue:
    value: Decimal
    count: int
    since: datetime.date
    until: datetime.date
    evidence_url: str

    @property
    def note(self) -> str:
        """The evidence note recorded with the value on the assessment."""
        incidents = "incident" if self.count == 1 else "incidents"
        return (
            f"{self.count} {incidents} the school reported, "
            f"{self.since.day} {self.since:%B %Y} to {self.until.day} {self.until:%B %Y}"
        )


def computed_value(indicator, school, *, on=None) -> ComputedValue | None:
    """Return the indicator's value for the school on the day (today), or None when the
    assessor types it."""
    if indicator.computed_from != INCIDENTS_PER_WEEK:
        return None
    on = on or timezone.localdate()
    count = Incident.objects.for_school(school).in_six_months_to(on).count()
    return ComputedValue(
        value=per_week(count),
        count=count,
        since=on - SIX_MONTHS + datetime.timedelta(days=1),
        until=on,
        evidence_url=f"{reverse('incidents:list')}?school={school.pk}&period=6m",
    )


# Apps to the right supply values of typed indicators (the partnership: the figures the
# school supplies each term), registered in their AppConfig.ready(): each supplier takes the
# school and the indicator keys and returns {key: (value, evidence note)}.
_suppliers = []


def register_supplier(supplier) -> None:
    if supplier not in _suppliers:
        _suppliers.append(supplier)


def supplied_values(school, keys) -> dict:
    """Return {key: (value, note)} the registered suppliers give for the school's indicators."""
    found = {}
    for supplier in _suppliers:
        for key, pair in supplier(school, list(keys)).items():
            found.setdefault(key, pair)
    return found
