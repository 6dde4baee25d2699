"""The pages `make bench` measures: a registry that later apps extend by one line each.

A Page names its URL through a function of the BenchContext (the signed-in manager, their force
and a sample school), so a detail page can pick a record of the force. The kind sets the budget
(issue #16.6): list and detail pages must keep their p95 within 4x the floor page's and no
slower than the peer page's (Django's generic ListView over the school list's queryset),
dashboards within 6x the floor warm and their cold first request within 300 ms.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

FLOOR = "floor"
PEER = "peer"  # the ordinary-Django list page the list and detail pages must not be slower than
REFERENCE = "reference"  # measured and shown, held to no budget
LIST = "list"
DETAIL = "detail"
DASHBOARD = "dashboard"
P95_BUDGETS = {LIST: 4.0, DETAIL: 4.0, DASHBOARD: 6.0, REFERENCE: None, PEER: None}
MAX_QUERIES = 12
PEER_KINDS = {LIST, DETAIL}  # held to "no slower than the peer"
COLD_KINDS = {DASHBOARD}  # their cold first request is measured under load, four readers at once
COLD_FIRST_REQUEST_SECONDS = 0.300


@dataclass(frozen=True)
class BenchContext:
    """Who the pages are measured as, and the records their URLs point at."""

    user: object  # a prevention manager: they see every page of their force
    force: object
    school: object  # a school with a long history: a tier, a named contact, engagements

    def first(self, model, **filters):
        """Return the first record of `model` this user may see (for a detail page's URL)."""
        return model.objects.visible_to(self.user).filter(**filters).order_by("pk").first()


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    kind: str  # LIST, DETAIL or DASHBOARD
    url: Callable[[BenchContext], str]

    @property
    def p95_budget(self) -> float | None:
        return P95_BUDGETS[self.kind]


def _dashboard(section: str) -> str:
    return reverse("reporting:dashboard", kwargs={"section": section})


def _case(ctx: BenchContext):
    """An open case of the force (a manager may read every case of their force)."""
    from referrals.models import Case

    case = ctx.first(Case, status=Case.Status.OPEN) or ctx.first(Case)
    if case is None:
        raise LookupError(f"{ctx.force} has no case: run seed_demo --scale national first.")
    return case


def _record(ctx: BenchContext, model, what: str, **filters):
    """The first record of `model` the user may see, preferring one matching `filters`."""
    record = (ctx.first(model, **filters) if filters else None) or ctx.first(model)
    if record is None:
        raise LookupError(f"{ctx.force} has no {what}: run seed_demo --scale national first.")
    return record


def _incident(ctx: BenchContext) -> str:
    """An incident of the force with its outcome recorded (the longest page: people, outcome)."""
    from incidents.models import Incident

    return _record(ctx, Incident, "incident", status=Incident.Status.CLOSED).get_absolute_url()


def _help_request(ctx: BenchContext) -> str:
    from help_requests.models import HelpRequest

    return _record(
        ctx, HelpRequest, "request for help", status=HelpRequest.Status.ANSWERED
    ).get_absolute_url()


def _partnership_school(ctx: BenchContext) -> str:
    """The partnership page of a school with this year's action plan."""
    from partnership.models import ActionPlan

    plan = _record(ctx, ActionPlan, "action plan")
    return reverse("partnership:school", args=[plan.school_id])


def _review(ctx: BenchContext) -> str:
    from partnership.models import TermlyReview

    return _record(ctx, TermlyReview, "termly review").get_absolute_url()


def _group(ctx: BenchContext) -> str:
    """A school's management group (its members, meetings and actions)."""
    from partnership.models import Group

    return _record(ctx, Group, "group", kind=Group.Kind.MANAGEMENT).get_absolute_url()


def _meeting(ctx: BenchContext) -> str:
    """A past meeting of a management group (its minutes and the actions it agreed)."""
    from partnership.models import Meeting

    return _record(
        ctx, Meeting, "meeting", group__kind="management", actions__isnull=False
    ).get_absolute_url()


FLOOR_PAGE = Page("floor", "Floor page (one query)", FLOOR, lambda ctx: reverse("benchmarks:floor"))
PEER_PAGE = Page(
    "peer",
    "Peer page (Django's ListView of the school list's queryset)",
    PEER,
    lambda ctx: reverse("benchmarks:peer_schools"),
)

PAGES: list[Page] = [
    Page(
        "shell",
        "Shell page (the layout around one query; no budget)",
        REFERENCE,
        lambda ctx: reverse("benchmarks:shell"),
    ),
    Page("school_list", "School list", LIST, lambda ctx: reverse("schools:list")),
    Page(
        "school_search",
        "School list, searched and sorted",
        LIST,
        lambda ctx: reverse("schools:list") + "?q=primary&sort=pupils",
    ),
    Page("school_page", "School page", DETAIL, lambda ctx: ctx.school.get_absolute_url()),
    Page(
        "assessment_table",
        "Assessment table",
        LIST,
        lambda ctx: reverse("needs_assessment:assessment_table"),
    ),
    Page(
        "dashboard_tiers",
        "Dashboard: tiers",
        DASHBOARD,
        lambda ctx: reverse("reporting:dashboard", kwargs={"section": "tiers"}),
    ),
    Page(
        "dashboard_engagement",
        "Dashboard: contacts and engagement",
        DASHBOARD,
        lambda ctx: reverse("reporting:dashboard", kwargs={"section": "engagement"}),
    ),
    Page("agreements", "Agreements list", LIST, lambda ctx: reverse("agreements:list")),
    Page("incident_list", "Incident list", LIST, lambda ctx: reverse("incidents:list")),
    Page("incident_page", "Incident page", DETAIL, _incident),
    Page("referral_inbox", "Referral inbox", LIST, lambda ctx: reverse("referrals:inbox")),
    Page("case_list", "Case list", LIST, lambda ctx: reverse("referrals:case_list")),
    Page("case_page", "Case page", DETAIL, lambda ctx: _case(ctx).get_absolute_url()),
    Page("catalogue", "Catalogue", LIST, lambda ctx: reverse("bookings:catalogue")),
    Page("bookings", "Bookings list", LIST, lambda ctx: reverse("bookings:booking_list")),
    Page("help_requests", "Requests from schools", LIST, lambda ctx: reverse("help_requests:list")),
    Page("help_request_page", "Request for help page", DETAIL, _help_request),
    Page(
        "partnership_levels",
        "Partnership: levels and the schools' answers",
        LIST,
        lambda ctx: reverse("partnership:level_list"),
    ),
    Page("partnership_school", "Partnership: a school's plan", DETAIL, _partnership_school),
    Page("partnership_review", "Partnership: a termly review", DETAIL, _review),
    Page(
        "partnership_groups",
        "Partnership: groups",
        LIST,
        lambda ctx: reverse("partnership:group_list"),
    ),
    Page("partnership_group", "Partnership: a management group", DETAIL, _group),
    Page("partnership_meeting", "Partnership: a group's meeting", DETAIL, _meeting),
    Page(
        "local_crime_map",
        "Local crime map (the force's schools with crime near them)",
        DASHBOARD,
        lambda ctx: reverse("localcrime:map"),
    ),
    Page(
        "dashboard_agreements",
        "Dashboard: agreements",
        DASHBOARD,
        lambda ctx: _dashboard("agreements"),
    ),
    Page(
        "dashboard_referrals",
        "Dashboard: referrals",
        DASHBOARD,
        lambda ctx: _dashboard("referrals"),
    ),
    Page(
        "dashboard_education",
        "Dashboard: education",
        DASHBOARD,
        lambda ctx: _dashboard("education"),
    ),
]


def register(page: Page) -> None:
    """Add a page to measure (or replace the one with the same key)."""
    PAGES[:] = [p for p in PAGES if p.key != page.key] + [page]
