"""What a dashboard counts: the force's open schools, narrowed by role and by the filters."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from django.utils import timezone

from accounts.models import Role
from schools.models import School

from .tables import link

# The permission a reader needs to open each list a figure links to: a figure whose list the
# reader may not open is shown as plain text, never as a link to a refusal.
LIST_PERMISSIONS = {
    "schools:list": "schools.list_schools",
    "needs_assessment:assessment_table": "needs_assessment.view_assessments",
    "referrals:case_list": "referrals.list_cases",
    "referrals:inbox": "referrals.view_inbox",
    "bookings:booking_list": "bookings.list_bookings",
    "bookings:demand_list": "bookings.view_demand",
    "bookings:date_list": "bookings.view_demand",
    "bookings:catalogue": "bookings.view_catalogue",
    "localcrime:map": "localcrime.view_local_crime",
    "partnership:level_list": "partnership.view_levels",
    "incidents:list": "incidents.view_list",
}


def school_year_start(day: date) -> date:
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def quarter_of(day: date) -> tuple[date, date]:
    """Return the first and last day of the calendar quarter containing `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_start = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, next_start - timedelta(days=1)


@dataclass(frozen=True)
class Scope:
    """The force, the period, and the slice (local authority, team) a dashboard counts."""

    user: object
    start: date
    end: date
    la: str = ""
    team_ids: tuple = field(default_factory=tuple)  # empty: every team of the force
    today: date = field(default_factory=timezone.localdate)

    @property
    def force(self):
        return self.user.force

    @property
    def force_id(self):
        return self.user.force_id

    @property
    def as_at(self) -> date:
        """The day the standing figures (tiers, agreements, contacts, open cases) are taken:
        the end of the period, or today while the period runs."""
        return min(self.end, self.today)

    @property
    def is_past(self) -> bool:
        """Whether the period ended before today: its figures are history, not today's lists."""
        return self.as_at < self.today

    @cached_property
    def openable(self) -> frozenset:
        """The lists behind the figures that this reader may open (url names)."""
        return frozenset(
            name for name, perm in LIST_PERMISSIONS.items() if self.user.has_perm(perm)
        )

    def link(self, value, url_name, **query):
        """A figure linked to the list behind it, when the reader may open that list."""
        if url_name not in self.openable:
            return value
        return link(value, url_name, **query)

    def standing_link(self, value, url_name, **query):
        """A standing figure linked to today's list behind it; in a past period the lists show
        today, not the period's end, so the figure stands unlinked."""
        return value if self.is_past else self.link(value, url_name, **query)

    def schools(self):
        """The schools of the force in this slice open at the end of the period."""
        schools = School.objects.filter(force_id=self.force_id)
        schools = schools.open_on(self.as_at) if self.is_past else schools.open()
        if self.la:
            schools = schools.filter(la_code=self.la)
        if self.team_ids:
            schools = schools.filter(team_id__in=self.team_ids)
        return schools

    def tiered_schools(self):
        """The scope's schools with the tier each had at the end of the period."""
        from needs_assessment.queries import with_tiers

        return with_tiers(self.schools(), on=self.as_at if self.is_past else None)

    def list_query(self) -> dict:
        """The slice as the lists behind a figure take it: the local authority, and every team
        of the slice as a repeated parameter (team=1&team=2), so a sergeant of several teams
        opens a list of the schools, cases or bookings the figure counted."""
        query = {}
        if self.la:
            query["la"] = self.la
        if self.team_ids:
            query["team"] = [str(pk) for pk in self.team_ids]
        return query

    @property
    def is_team_slice(self):
        return self.user.role == Role.SERGEANT

    def previous(self) -> "Scope":
        """The same slice over the period of the same length just before this one."""
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return Scope(self.user, end - length, end, self.la, self.team_ids, self.today)
