"""One rule answers "is this record in the user's force?" for every app's permissions."""

import importlib
from types import SimpleNamespace

from accounts import rules as accounts_rules
from accounts.models import Force, Organisation, User
from accounts.rules import force_id_of, in_users_force
from agreements.models import Agreement, Signature
from bookings.models import Booking, Session, Slot
from referrals.models import Case, CaseLogEntry
from schools.models import School


def test_every_app_checks_the_force_with_the_one_predicate():
    for app in ("schools", "needs_assessment", "agreements", "referrals", "bookings"):
        module = importlib.import_module(f"{app}.rules")
        assert module.in_users_force is in_users_force, app
    assert not hasattr(accounts_rules, "in_same_force")
    assert not hasattr(accounts_rules, "FORCE_PATHS")


def test_a_record_reaches_its_force_by_its_models_force_path():
    """Unsaved records: force_id_of reads each model's `force_path`, attribute by attribute."""
    user = SimpleNamespace(force_id=1)
    police = Organisation(pk=5, force_id=1, kind=Organisation.Kind.POLICE)
    school = School(pk=7, force_id=1)
    session = Session(pk=3, force_id=1)
    slot = Slot(pk=4, session=session)
    booking = Booking(slot=slot, school=school)
    agreement = Agreement(pk=9, force_id=1, school=school)
    records = [
        Force(pk=1),
        police,
        User(organisation=police),
        school,
        session,
        slot,
        booking,
        agreement,
        Signature(agreement=agreement),
        CaseLogEntry(case=Case(force_id=1)),
    ]
    for record in records:
        assert force_id_of(record) == 1, type(record).__name__
        assert in_users_force(user, record)
    assert in_users_force(user, None)
    assert not in_users_force(user, School(force_id=2))
    # No force_path, or a path that leads nowhere yet: no force, so never the user's.
    assert force_id_of(SimpleNamespace(force_id=1)) is None
    assert not in_users_force(user, SimpleNamespace(force_id=1))
    assert force_id_of(User()) is None
    assert force_id_of(None) is None
