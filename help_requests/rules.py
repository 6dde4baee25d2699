"""Who may ask for help, read the requests, answer them and download the termly summary.

Role checks happen at the view (record None); the record rules answer for one request.
"""

import rules

from accounts.rules import (
    in_users_force,
    is_headteacher,
    is_officer,
    is_police_reader,
    is_school_staff,
)


@rules.predicate
def is_its_schools_staff(user, help_request):
    """True for staff of the request's school (or none, at the view)."""
    if help_request is None:
        return True
    return help_request.school.organisation_id == user.organisation_id


@rules.predicate
def is_still_open(user, help_request):
    return help_request is None or not help_request.is_closed


@rules.predicate
def is_not_an_incident_yet(user, help_request):
    return help_request is None or not help_request.incident_id


reads_it = (is_police_reader & in_users_force) | (is_school_staff & is_its_schools_staff)

rules.add_perm("help_requests.ask", is_school_staff)
rules.add_perm("help_requests.list", is_police_reader | is_school_staff)
rules.add_perm("help_requests.view", reads_it)
rules.add_perm("help_requests.answer", is_officer & in_users_force & is_still_open)
rules.add_perm(
    "help_requests.record_incident",
    is_officer & in_users_force & is_still_open & is_not_an_incident_yet,
)
rules.add_perm("help_requests.view_summary", is_headteacher)
