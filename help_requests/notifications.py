"""The emails a request for help sends: one function per email, called inside the service's
transaction and written to the outbox (accounts.outbox). A request names no young person; the
emails carry its reference, its kind and a link only."""

from accounts.outbox import queue_email

from .models import HelpRequest


def request_arrived(help_request: HelpRequest, told: list) -> int:
    """Email the people told of a new request (schools.staff.people_to_tell: the named officer,
    the cover and the team's sergeants), but the asker; return how many."""
    people = [p for p in told if p.pk != help_request.asked_by_id]
    for person in people:
        queue_email(
            to=person.email,
            template="help_requests/email/request_arrived",
            subject=f"{help_request.school.name} asks for help ({help_request.reference})",
            context={"user": person, "help_request": help_request},
            key=f"help_requests.{help_request.pk}.arrived",
            about=help_request,
            force=help_request.school.force_id,
        )
    return len(people)


def request_answered(help_request: HelpRequest) -> bool:
    """Email the person who asked that the officer has answered (once per answer)."""
    asker = help_request.asked_by
    if not asker.is_active:
        return False
    queue_email(
        to=asker.email,
        template="help_requests/email/request_answered",
        subject=f"Your request for help has been answered ({help_request.reference})",
        context={"user": asker, "help_request": help_request},
        key=f"help_requests.{help_request.pk}.answered.{help_request.answered_at.isoformat()}",
        about=help_request,
        force=help_request.school.force_id,
    )
    return True
