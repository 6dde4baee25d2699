"""One rule answers "is this record in the user's force?" for every app's permissions."""

import importlib
from types import SimpleNamespace

from accounts import rules as accounts_rules
from accounts.rules import force_id_of, in_users_force


def test_every_app_checks_the_force_with_the_one_predicate():
    for app in ("schools", "needs_assessment", "agreements", "referrals", "bookings"):
        module = importlib.import_module(f"{app}.rules")
        assert module.in_users_force is in_users_force, app
    assert not hasattr(accounts_rules, "in_same_force")


def test_a_record_reaches_its_force_by_its_own_session_slot_or_school():
    user = SimpleNamespace(force_id=1)
    own = SimpleNamespace(force_id=1)
    by_school = SimpleNamespace(school=SimpleNamespace(force_id=1))
    by_session = SimpleNamespace(session=SimpleNamespace(force_id=1))
    by_slot = SimpleNamespace(slot=SimpleNamespace(session=SimpleNamespace(force_id=1)))
    other = SimpleNamespace(force_id=2, school=SimpleNamespace(force_id=1))
    for record in (own, by_school, by_session, by_slot):
        assert in_users_force(user, record)
    assert in_users_force(user, None)
    assert not in_users_force(user, other)
    assert not in_users_force(user, SimpleNamespace())
    assert force_id_of(SimpleNamespace(school=None)) is None
