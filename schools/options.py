"""What clears the values other apps cache about schools, named contacts, teams and officers.

The school list caches nothing: it reads its rows and its filters' choices on each request
(schools.filters). Two later lists still cache rendered rows that name schools and officers
(agreements.views, bookings.views): they file them under `TOPIC`, which any save or delete of a
school, named contact, team or officer clears for that force. When those lists stop caching
their rows, `TOPIC` and its receivers go too. The current term is cached (Term.current_for),
cleared by any change to a term.
"""

from accounts.caching import clear_on_change, invalidate_on_commit
from accounts.models import Team, User

TOPIC = "school-list"


def invalidate(force_id) -> None:
    invalidate_on_commit(TOPIC, force_id)


def _school_changed(sender, instance, **kwargs):
    invalidate(instance.force_id)


def _named_contact_changed(sender, instance, **kwargs):
    invalidate(instance.school.force_id)


def _term_changed(sender, instance, **kwargs):
    from .models import TERMS_TOPIC

    invalidate_on_commit(TERMS_TOPIC, instance.force_id)


def _team_changed(sender, instance, **kwargs):
    invalidate(instance.force_id)


def _user_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing listed
    if instance.organisation_id:
        invalidate(instance.organisation.force_id)


def connect() -> None:
    """Clear a force's cached values whenever what they show changes."""
    from .models import NamedContact, School, Term

    clear_on_change(_term_changed, (Term,), uid="schools.terms")
    for model, receiver in (
        (School, _school_changed),
        (NamedContact, _named_contact_changed),
        (Team, _team_changed),
        (User, _user_changed),
    ):
        clear_on_change(receiver, (model,), uid="schools.school_list")
