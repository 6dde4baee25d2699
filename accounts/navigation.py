"""The navigation each role sees; links appear only where the rules allow the page."""

from django.urls import NoReverseMatch, reverse

# (label, url name, permission or None); the first match of the path marks it active.
_ITEMS = [
    ("Home", "home", None),
    ("Schools", "schools:list", "schools.list_schools"),
    ("Police contacts", "schools:contact_overview", "schools.view_contact_overview"),
    ("Assessments", "needs_assessment:assessment_table", "needs_assessment.view_assessments"),
    ("Approvals", "needs_assessment:inbox", "needs_assessment.approve"),
    ("Frameworks", "needs_assessment:framework_list", "needs_assessment.manage_frameworks"),
    ("People", "accounts:person_list", "accounts.list_people"),
    ("Invitations", "accounts:invitation_list", "accounts.list_invitations"),
    ("Teams", "accounts:team_list", "accounts.list_teams"),
    ("Audit", "accounts:audit_list", "accounts.view_audit"),
]


def navigation_for(user, path):
    """Return [{label, url, active}] for the pages this user may open."""
    items = []
    for label, url_name, permission in _ITEMS:
        if permission and not user.has_perm(permission):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:  # an app whose pages have not landed yet
            continue
        items.append({"label": label, "url": url})
    best = max(
        (i for i in items if path.startswith(i["url"])), key=lambda i: len(i["url"]), default=None
    )
    for item in items:
        item["active"] = item is best
    return items
