"""Who may refer, triage, read and work a case: the one policy place of the referrals app.

Whether a case exists for someone is `Case.objects.known_to(user)` (else 404); whether they
may read it without giving a reason is `Case.objects.visible_to(user)`. These rules add the
role checks on top.
"""

import rules

from accounts.models import (
    AGENCY_ROLES,
    OFFICER_ROLES,
    POLICE_ROLES,
    SCHOOL_REFERRER_ROLES,
    SCHOOL_ROLES,
)
from accounts.rules import has_role, in_users_force, is_admin, is_manager, is_sergeant

from .models import PANEL_MEMBER_ROLES, Action, Case

is_officer = has_role(*OFFICER_ROLES)
is_caseworker = has_role(*POLICE_ROLES)
is_school_referrer = has_role(*SCHOOL_REFERRER_ROLES)
may_sit_on_panels = has_role(*PANEL_MEMBER_ROLES)
owns_actions_outside_police = has_role(*SCHOOL_ROLES, *AGENCY_ROLES)


@rules.predicate
def is_own_school(user, school):
    return school is None or school.organisation_id == user.organisation_id


@rules.predicate
def reads_case(user, case):
    """True if the case is visible to the user without a reason (see CaseQuerySet.visible_to)."""
    if case is None:
        return True
    cache = _cache(user, "_visible_case_ids")
    if case.pk not in cache:
        cache[case.pk] = Case.objects.visible_to(user).filter(pk=case.pk).exists()
    return cache[case.pk]


@rules.predicate
def holds_case(user, case):
    """True if the user holds the case by their role (Case.objects.held_by): what working,
    allocating, sharing and closing need. Reading it through a panel is never enough."""
    if case is None:
        return True
    cache = _cache(user, "_held_case_ids")
    if case.pk not in cache:
        cache[case.pk] = Case.objects.held_by(user).filter(pk=case.pk).exists()
    return cache[case.pk]


def remember_access(user, case):
    """Keep what Case.objects.with_access_of(user) read with the case, so that reads_case and
    holds_case answer for it without another query."""
    if hasattr(case, "reader_sees"):
        _cache(user, "_visible_case_ids")[case.pk] = case.reader_sees
    if hasattr(case, "reader_holds"):
        _cache(user, "_held_case_ids")[case.pk] = case.reader_holds


def _cache(user, name) -> dict:
    cache = getattr(user, name, None)
    if cache is None:
        cache = {}
        setattr(user, name, cache)
    return cache


@rules.predicate
def owns_open_action(user, action):
    """True for the owner of an open action (a person of a school or partner agency)."""
    return action is None or (
        action.owner_user_id == user.pk and action.status == Action.Status.OPEN
    )


@rules.predicate
def is_allocated_officer(user, case):
    return case is None or case.officer_id == user.pk


@rules.predicate
def is_open_case(user, case):
    return case is None or case.is_open


@rules.predicate
def is_closed_case(user, case):
    return case is None or not case.is_open


@rules.predicate
def may_give_a_reason(user, case):
    """Officers of the case's force may open a case not theirs after typing why."""
    return case is None or (case.force_id == user.force_id and user.role in OFFICER_ROLES)


supervises = (is_sergeant | is_manager) & holds_case

rules.add_perm("referrals.refer", is_caseworker)
rules.add_perm("referrals.refer_from_school", is_school_referrer & is_own_school)
rules.add_perm("referrals.view_inbox", is_caseworker)
rules.add_perm("referrals.triage", (is_sergeant | is_manager) & in_users_force)
rules.add_perm("referrals.merge_people", (is_sergeant | is_manager) & in_users_force)
rules.add_perm("referrals.list_cases", is_caseworker)
# Reading: the case's holders, and the members of a panel with it on its agenda, in the
# window (CaseQuerySet.narrow says who; school staff and agencies only through a panel).
rules.add_perm("referrals.view_case", reads_case)
rules.add_perm("referrals.open_with_reason", is_officer & may_give_a_reason)
rules.add_perm("referrals.hold_case", holds_case)
rules.add_perm("referrals.work_case", is_caseworker & holds_case & is_open_case)
rules.add_perm("referrals.allocate_case", supervises & is_open_case)
rules.add_perm(
    "referrals.close_case", is_caseworker & (is_allocated_officer | supervises) & is_open_case
)
rules.add_perm("referrals.reopen_case", supervises & is_closed_case)
rules.add_perm("referrals.share_case", is_caseworker & (is_allocated_officer | supervises))
rules.add_perm("referrals.share_with_school", is_caseworker & (is_allocated_officer | supervises))
rules.add_perm("referrals.manage_records", is_manager & in_users_force)

# Multi-agency panels and the actions owned outside the police.
rules.add_perm("referrals.list_panels", may_sit_on_panels)
rules.add_perm("referrals.run_panels", (is_sergeant | is_manager) & in_users_force)
rules.add_perm("referrals.view_my_actions", owns_actions_outside_police)
rules.add_perm("referrals.update_owned_action", owns_actions_outside_police & owns_open_action)

# Casework's safeguards (issue 22): consent, closure approval, flags, signposting, safety plans.

runs_the_force = (is_manager | is_admin) & in_users_force
rules.add_perm("referrals.manage_casework_settings", runs_the_force)
rules.add_perm("referrals.view_consent_list", (is_sergeant | is_manager) & in_users_force)
rules.add_perm("referrals.view_services", (is_caseworker | is_admin) & in_users_force)
rules.add_perm("referrals.manage_services", runs_the_force)
rules.add_perm("referrals.flag_case", is_caseworker & reads_case & is_open_case)
rules.add_perm(
    "referrals.request_closure", is_caseworker & (is_allocated_officer | supervises) & is_open_case
)
rules.add_perm("referrals.decide_closure", supervises & is_open_case)
rules.add_perm("referrals.signpost_case", is_caseworker & reads_case & is_open_case)
rules.add_perm("referrals.plan_safety", is_caseworker & reads_case & is_open_case)


@rules.predicate
def is_pending_receipt(user, receipt):
    return receipt is None or receipt.status == "pending"


@rules.predicate
def officer_in_a_team(user):
    return bool(user.team_id)


rules.add_perm(
    "referrals.transfer_case",
    is_caseworker & (is_allocated_officer | supervises) & is_open_case,
)
rules.add_perm("referrals.receive_transfers", is_officer | is_manager | is_school_referrer)
# A new school's DSL and headteacher read what a receiving officer told them.
rules.add_perm("referrals.read_school_handovers", is_school_referrer)
# Who answers a receipt they can read (TransferReceipt.visible_to, checked by the view).
rules.add_perm("referrals.answer_transfer", is_officer & officer_in_a_team & is_pending_receipt)
