"""Who may browse, book, manage, cancel, evaluate and see demand and results.

Providers are organisations: a partner manages only its own sessions; a coordinator
manages every session of the force, the force's own Safer Schools inputs included.
"""

import rules

from accounts.models import Role
from accounts.rules import (
    first_along,
    force_id_of,
    has_role,
    in_users_force,
    is_coordinator,
    is_manager,
    is_officer,
    is_partner,
    is_police_side,
    is_school_staff,
)

is_admin = has_role(Role.FORCE_ADMIN)


def _provider_of(obj):
    return first_along(
        obj,
        (
            "provider_id",
            "session.provider_id",
            "slot.session.provider_id",
            "booking.slot.session.provider_id",
        ),
    )


@rules.predicate
def manages_provider_of(user, obj):
    """Coordinators manage the force's sessions; partners their own organisation's."""
    if obj is None:
        return True
    if user.role == Role.COORDINATOR:
        return force_id_of(obj) == user.force_id
    if user.role == Role.PARTNER:
        return _provider_of(obj) == user.organisation_id
    return False


@rules.predicate
def manages_provider(user, provider):
    """A provider (an Organisation) is managed by its own partner staff, and by the force's
    coordinators (the force's own Safer Schools inputs and its partners' alike)."""
    if provider is None:
        return True
    if user.role == Role.COORDINATOR:
        return provider.force_id == user.force_id and provider.kind in {"police", "partner"}
    if user.role == Role.PARTNER:
        return provider.pk == user.organisation_id
    return False


@rules.predicate
def is_schools_own(user, obj):
    """True when the booking, waitlist entry or demand is the user's own school's."""
    if obj is None:
        return True
    school = getattr(obj, "school", None)
    return school is not None and school.organisation_id == user.organisation_id


@rules.predicate
def is_booking_lead(user, booking):
    """The school's booking lead of the booking (the booker, or the lead a coordinator booked
    for); when the school had nobody to lead it, any of its staff."""
    return booking is None or booking.lead_id in {user.pk, None}


is_provider_side = is_coordinator | is_partner
can_see_bookings = is_school_staff | is_provider_side | is_manager | is_admin

rules.add_perm(
    "bookings.view_catalogue", (is_school_staff | is_police_side | is_partner) & in_users_force
)
# School staff book for their school; a coordinator for the school they chose (book_for_school).
rules.add_perm("bookings.book", (is_school_staff | is_coordinator) & in_users_force)
rules.add_perm("bookings.book_for_school", is_coordinator & in_users_force)
rules.add_perm("bookings.list_bookings", can_see_bookings)
rules.add_perm(
    "bookings.view_booking",
    (is_school_staff & is_schools_own)
    | (is_provider_side & manages_provider_of)
    | ((is_manager | is_admin) & in_users_force),
)
rules.add_perm(
    "bookings.cancel_booking",
    (is_school_staff & is_schools_own) | (is_provider_side & manages_provider_of),
)
rules.add_perm("bookings.decide_booking", is_provider_side & manages_provider_of)
# Did it happen: delivered, school absent or cancelled on the day, said by the provider.
rules.add_perm("bookings.record_outcome", is_provider_side & manages_provider_of)
rules.add_perm("bookings.reply_evaluation", is_provider_side & manages_provider_of)
rules.add_perm("bookings.evaluate", is_school_staff & is_schools_own & is_booking_lead)
rules.add_perm("bookings.manage_sessions", is_provider_side & manages_provider_of)
# The booking rules a provider sets once for all its sessions (#23.4).
rules.add_perm("bookings.manage_provider_rules", is_provider_side & manages_provider)
rules.add_perm("bookings.manage_topics", is_coordinator & in_users_force)
rules.add_perm("bookings.request_session", is_school_staff)
rules.add_perm("bookings.view_demand", (is_coordinator | is_manager) & in_users_force)
rules.add_perm("bookings.view_evaluations", (is_provider_side | is_manager) & in_users_force)
rules.add_perm("bookings.take_offer", is_school_staff & is_schools_own)

# Propose a date: the school asks (bookings.book), the provider answers, the school takes an offer.
rules.add_perm(
    "bookings.view_proposal",
    (is_school_staff & is_schools_own)
    | (is_provider_side & manages_provider_of)
    | ((is_manager | is_admin) & in_users_force),
)
rules.add_perm("bookings.answer_proposal", is_provider_side & manages_provider_of)
rules.add_perm("bookings.take_date_offer", is_school_staff & is_schools_own)

# Officers see the sessions coming to their schools; deliverers their own dates and feed.
rules.add_perm("bookings.view_school_sessions", is_officer & in_users_force)
rules.add_perm("bookings.deliver", (is_officer | is_coordinator | is_partner) & in_users_force)
rules.add_perm("bookings.book_for_case", is_officer & in_users_force)
