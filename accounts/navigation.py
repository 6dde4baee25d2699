"""The navigation each role sees; links appear only where the rules allow the page.

Later apps add their own links with register() in AppConfig.ready(), so accounts
imports none of them.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None
    order: int = 100


_ITEMS = [
    NavItem("Home", "home", None, 0),
    NavItem("Schools", "schools:list", "schools.list_schools", 10),
    NavItem("Police contacts", "schools:contact_overview", "schools.view_contact_overview", 20),
    NavItem(
        "Assessments", "needs_assessment:assessment_table", "needs_assessment.view_assessments", 30
    ),
    NavItem("Approvals", "needs_assessment:inbox", "needs_assessment.approve", 35),
    NavItem(
        "Frameworks", "needs_assessment:framework_list", "needs_assessment.manage_frameworks", 80
    ),
    NavItem("People", "accounts:person_list", "accounts.list_people", 90),
    NavItem("Invitations", "accounts:invitation_list", "accounts.list_invitations", 91),
    NavItem("Teams", "accounts:team_list", "accounts.list_teams", 92),
    NavItem("Organisations", "accounts:organisation_list", "accounts.list_organisations", 93),
    NavItem("Emails not sent", "accounts:outbox_list", "accounts.view_outbox", 98),
    NavItem("Audit", "accounts:audit_list", "accounts.view_audit", 99),
]


def register(item: NavItem) -> None:
    """Add a link (agreements, referrals, bookings…); order places it among the others."""
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)


def navigation_for(user, path):
    """Return [{label, url, active}] for the pages this user may open."""
    items = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # an app whose pages have not landed yet
            continue
        items.append({"label": item.label, "url": url})
    best = max(
        (i for i in items if path.startswith(i["url"])), key=lambda i: len(i["url"]), default=None
    )
    for item in items:
        item["active"] = item is best
    return items
