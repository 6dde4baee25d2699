"""The school list's cache: its filters' option lists and its pages of results, per force.

A large force has a few hundred options (every officer, local authority, type and team, and the
later apps' filters), the same for everyone in the force; working them out took four queries
and a few hundred model instances on every request. A page of results (the count, fifty rows
with their named contacts, the page links) is the same for everyone in the force who asks the
same question on the same day. Both are cached under one topic, which any save or delete of a
school, named contact, team, officer or framework clears for that force (see `connect`); the
GIAS import writes schools in bulk, so it clears it itself. Results filtered by a later app's
filter (tier, MoU, engagement this term) are never cached: they depend on other apps' data.
"""

from accounts.caching import cached, clear_on_change, invalidate_on_commit
from accounts.forms_kit import force_officers
from accounts.models import Team, User

from .panels import list_filters

TOPIC = "school-list"


def filter_choices(user) -> dict[str, list[tuple[str, str]]]:
    """Return {field name: choices} for the school list's filters of this user's force.

    The later apps' list filters are included; their choices depend on the force alone.
    """
    from .models import School

    def compute():
        schools = School.objects.filter(force_id=user.force_id)
        las = schools.order_by("la_name").values_list("la_code", "la_name").distinct()
        types = (
            schools.order_by("establishment_type")
            .values_list("establishment_type", flat=True)
            .distinct()
        )
        teams = Team.objects.filter(force_id=user.force_id).order_by("name")
        officers = force_officers(user.force_id).only("full_name", "email", "rank", "collar_number")
        choices = {
            "la": [("", "Any local authority"), *las],
            "type": [("", "Any type"), *((t, t) for t in types)],
            "team": [
                ("", "Any team"),
                *((str(t.pk), t.name) for t in teams),
                ("none", "No team"),
            ],
            "contact": [
                ("", "Anyone"),
                ("none", "No named contact"),
                *((str(o.pk), o.display_name) for o in officers),
            ],
        }
        for extra in list_filters():
            choices[extra.name] = [("", "Any"), *extra.choices(user)]
        # Plain strings only: lazy labels do not belong in a shared cache.
        return {
            name: [(str(value), str(label)) for value, label in options]
            for name, options in choices.items()
        }

    return cached(TOPIC, user.force_id, ("filters",), compute)


def cached_for_list(force_id, parts, compute):
    """Cache a value of the school list (a rendered page of results) until the list changes."""
    return cached(TOPIC, force_id, parts, compute)


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
    """Clear a force's cached list whenever what it shows changes."""
    from .models import NamedContact, School, Term

    clear_on_change(_term_changed, (Term,), uid="schools.terms")
    for model, receiver in (
        (School, _school_changed),
        (NamedContact, _named_contact_changed),
        (Team, _team_changed),
        (User, _user_changed),
    ):
        clear_on_change(receiver, (model,), uid="schools.school_list")
