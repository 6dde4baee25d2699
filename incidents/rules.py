"""Who may report, read and handle incidents: the one policy place of the incidents app.

Whether an incident exists for someone is `Incident.objects.visible_to(user)` (else 404);
these rules add the role checks on top.
"""

import rules

from accounts.models import OFFICER_ROLES, POLICE_ROLES, SCHOOL_REFERRER_ROLES
from accounts.rules import has_role, in_users_force, is_admin, is_headteacher, is_manager

from .models import reports_for_school
from .records import owns_school_incidents

is_officer = has_role(*OFFICER_ROLES)
is_police = has_role(*POLICE_ROLES)


@rules.predicate
def is_reporter(user):
    """The school's headteacher, its DSL and the staff the headteacher designated."""
    return reports_for_school(user)


@rules.predicate
def is_own_school(user, school):
    return school is None or school.organisation_id == user.organisation_id


@rules.predicate
def is_their_draft(user, incident):
    return incident is None or (incident.is_draft and incident.reported_by_id == user.pk)


@rules.predicate
def is_sent(user, incident):
    return incident is None or not incident.is_draft


@rules.predicate
def owns_its_school(user, incident):
    """The school's named officer, the deputy who covers, or its team's sergeant."""
    return incident is None or owns_school_incidents(user, incident.school)


@rules.predicate
def owns_records_school(user, record):
    """For a search, a resolution or an arrest: owns its incident's school."""
    return record is None or owns_school_incidents(user, record.incident.school)


@rules.predicate
def is_open_resolution(user, resolution):
    return resolution is None or not resolution.outcome


rules.add_perm("incidents.view_list", is_police | is_reporter)
rules.add_perm("incidents.report", is_reporter & is_own_school)
rules.add_perm("incidents.edit_draft", is_reporter & is_their_draft)
rules.add_perm("incidents.handle", is_officer & in_users_force & is_sent)
rules.add_perm("incidents.read_police_notes", is_police & in_users_force)
rules.add_perm("incidents.designate_leads", is_headteacher & is_own_school)
rules.add_perm("incidents.manage_protocol", (is_admin | is_manager) & in_users_force)

# The operational records (searches, resolutions, arrests): whether one exists for someone is
# its model's `visible_to(user)` (see records.py); these say who makes and who reads what.
rules.add_perm("incidents.make_records", is_officer & in_users_force & is_sent & owns_its_school)
rules.add_perm("incidents.read_records", has_role(*POLICE_ROLES, *SCHOOL_REFERRER_ROLES))
rules.add_perm("incidents.update_record", is_officer & in_users_force & owns_records_school)
rules.add_perm(
    "incidents.record_consent",
    is_officer & in_users_force & owns_records_school & is_open_resolution,
)
