"""The school of a member of school staff, with its force and current term, read once a request.

The school staff's home page gathers panels from several apps (its partnership, referrals,
incidents, bookings…), each of which needs the user's school: they ask here rather than each
reading it again. The answer is memoised on the user object, which the authentication middleware
loads afresh for every request, so it lives as long as the request (never a cache of pages).
"""

from django.db.models import F, FilteredRelation, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import Role, Team

from .models import NamedContact, School, Term

_MEMO = "_staff_school_memo"
_annotators: list = []
_TERM_FIELDS = ("pk", "name", "starts_on", "ends_on")


def school_of(user):
    """Return the user's school (None for anyone but school staff), with `school.force`,
    `school.current_term` (today's term of its force, or None) and `school.named_contact` (its
    police contact in post today, with officer and cover, or None), in one query a request."""
    if not getattr(user, "is_authenticated", False) or not user.is_school_staff:
        return None
    memo = getattr(user, _MEMO, None)
    if memo is None or memo[0] != user.organisation_id:
        memo = (user.organisation_id, _read(user))
        setattr(user, _MEMO, memo)
    return memo[1]


def register_annotations(provider) -> None:
    """Register provider(user) -> {name: expression}: what an app reads with the school in the
    same query (in its AppConfig.ready()). Expressions may use OuterRef("current_term_starts_on")
    and OuterRef("current_term_ends_on"), today's term of the school's force."""
    if provider not in _annotators:
        _annotators.append(provider)


def _read(user):
    today = timezone.localdate()
    term = (
        Term.objects.filter(force_id=OuterRef("force_id")).containing(today).order_by("starts_on")
    )
    # The contact in post today, as NamedContact.objects.current() answers it (latest start
    # first), joined to the school through a filtered relation: one row, never a row per contact.
    contact = (
        NamedContact.objects.current(on=today).filter(school=OuterRef("pk")).order_by("-starts_on")
    )
    school = (
        School.objects.visible_to(user)
        .filter(organisation_id=user.organisation_id)
        .annotate(
            current_contact_pk=Subquery(contact.values("pk")[:1]),
            **{f"current_term_{name}": Subquery(term.values(name)[:1]) for name in _TERM_FIELDS},
        )
        .annotate(**{k: v for provider in _annotators for k, v in provider(user).items()})
        .annotate(
            current_contact=FilteredRelation(
                "named_contacts", condition=Q(named_contacts__pk=F("current_contact_pk"))
            )
        )
        .select_related("force", "current_contact__officer", "current_contact__deputy")
        .order_by("pk")
        .first()
    )
    if school is None:
        return None
    school.named_contact = getattr(school, "current_contact", None)
    if school.current_term_pk is None:
        # No term holds today: the force's terms are created on first need (Term.current_for).
        school.current_term = Term.current_for(school.force, on=today)
    else:
        school.current_term = Term(
            pk=school.current_term_pk,
            force=school.force,
            name=school.current_term_name,
            starts_on=school.current_term_starts_on,
            ends_on=school.current_term_ends_on,
        )
        school.current_term._state.adding = False
        school.current_term._state.db = school._state.db
    return school


def receiving_team(school: School) -> Team | None:
    """Return the team whose list what a school reports or asks lands in: the team whose area
    holds the school, else the force's Safer Schools team (the team mailbox of schools)."""
    if school.team_id:
        return school.team
    return (
        Team.objects.filter(force_id=school.force_id, kind=Team.Kind.SAFER_SCHOOLS)
        .order_by("pk")
        .first()
    )


def people_to_tell(school: School, *, on=None) -> list:
    """Return who is told at once of what a school reports or asks for: its named officer and
    the cover in post on `on` (today), and the sergeants of the receiving team (leading it or
    in it); when that team has no sergeant, every sergeant of the force, so that nothing waits
    unseen. Active people only, each once: named officers and covers first, then sergeants by
    name. The one answer for incidents and requests for help alike."""
    from accounts.models import User

    on = on or timezone.localdate()
    people = []
    for contact in (
        NamedContact.objects.current(on=on)
        .filter(school=school)
        .select_related("officer", "deputy")
        .order_by("-starts_on", "pk")
    ):
        people += [contact.officer, contact.deputy]
    sergeants = User.objects.filter(
        role=Role.SERGEANT, is_active=True, organisation__force_id=school.force_id
    ).order_by("full_name", "pk")
    team = receiving_team(school)
    in_team = (
        list(sergeants.filter(Q(teams_led=team) | Q(team=team)).distinct())
        if team is not None
        else []
    )
    people += in_team or list(sergeants)
    told, seen = [], set()
    for person in people:
        if person is not None and person.is_active and person.pk not in seen:
            seen.add(person.pk)
            told.append(person)
    return told
