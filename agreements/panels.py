"""What agreements adds to other apps' pages: home panels, the school page, the school list."""

from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.models import OFFICER_ROLES, SCHOOL_ROLES, Role, is_member_of_a_force

from .models import MOU_STANDINGS, ActingHeadteacher, Agreement

PANEL_LIMIT = 10


_SIGNING = [Agreement.State.SENT, Agreement.State.PARTLY_SIGNED]


def _waiting_for(user, agreements):
    """The agreements of `agreements` waiting for the school's signature that this member of
    staff signs: the headteacher's, or an acting headteacher's during their period (as
    agreements.rules.party_of decides who signs)."""
    waiting = agreements.filter(awaiting_party=Agreement.Party.SCHOOL, state__in=_SIGNING)
    if user.role == Role.HEADTEACHER:
        return waiting
    acting = ActingHeadteacher.objects.current().filter(school_id=OuterRef("school_id"), user=user)
    return waiting.filter(Exists(acting))


def staff_school_annotations(user) -> dict:
    """What school staff's school is read with once a request (schools.staff.school_of): the
    agreement waiting for the signature of its headteacher, or of this acting headteacher
    (one at most: one agreement in progress a school, one school an organisation), so the
    home panel costs no query of its own."""
    if user.role not in SCHOOL_ROLES:
        return {}
    waiting = _waiting_for(user, Agreement.objects.filter(school=OuterRef("pk")))
    return {"agreement_to_sign_pk": Subquery(waiting.order_by("sent_at", "pk").values("pk")[:1])}


def _to_sign_by_the_school(user):
    from schools.staff import school_of

    school = school_of(user)
    if school is None or not hasattr(school, "agreement_to_sign_pk"):
        return list(
            _waiting_for(
                user,
                Agreement.objects.visible_to(user).filter(
                    school__organisation_id=user.organisation_id
                ),
            )
            .select_related("school")
            .order_by("sent_at", "pk")[:PANEL_LIMIT]
        )
    if school.agreement_to_sign_pk is None:
        return []
    agreement = Agreement(pk=school.agreement_to_sign_pk, school=school)
    agreement._state.adding = False
    return [agreement]


def home_panel(user):
    """Headteachers, and acting headteachers during their period: agreements waiting for their
    signature (read with their school). Officers and sergeants: those waiting for theirs, and
    reviews due, in one query; None when nothing to show."""
    if not is_member_of_a_force(user):
        return None
    if user.role == Role.HEADTEACHER:
        return {"to_sign": _to_sign_by_the_school(user), "reviews": None, "school_side": True}
    if user.role in SCHOOL_ROLES:
        # Other staff see the panel only while they act as headteacher and it has a signature.
        to_sign = _to_sign_by_the_school(user)
        return {"to_sign": to_sign, "reviews": None, "school_side": True} if to_sign else None
    if user.role not in OFFICER_ROLES:
        return None
    waiting = Q(awaiting_party=Agreement.Party.POLICE, named_officer=user)
    if user.role == Role.SERGEANT:
        waiting |= Q(awaiting_party=Agreement.Party.SERGEANT)
    today = timezone.localdate()
    reviews_scope = Q(named_officer=user)
    if user.role == Role.SERGEANT:
        reviews_scope |= Q(named_officer__team__sergeant=user)
    agreements = Agreement.objects.visible_to(user)
    to_sign = agreements.filter(waiting, state__in=_SIGNING)
    reviews = agreements.filter(reviews_scope).review_due(today=today)
    # Both lists at once: their states never meet (signing, or active); each agreement is
    # numbered within its list in that list's order (a window), the first PANEL_LIMIT kept.
    signing = Case(When(state__in=_SIGNING, then=Value(True)), default=Value(False))
    rows = list(
        (to_sign | reviews)
        .select_related("school")
        .annotate(
            signing=signing,
            by_sent=Window(RowNumber(), partition_by=[signing], order_by=[F("sent_at"), F("pk")]),
            by_due=Window(
                RowNumber(), partition_by=[signing], order_by=[F("review_due_on"), F("pk")]
            ),
        )
        .filter(
            Q(signing=True, by_sent__lte=PANEL_LIMIT) | Q(signing=False, by_due__lte=PANEL_LIMIT)
        )
    )
    return {
        "to_sign": sorted((a for a in rows if a.signing), key=lambda a: a.by_sent),
        "reviews": sorted((a for a in rows if not a.signing), key=lambda a: a.by_due),
        "school_side": False,
        "today": today,
    }


def school_panel(request, school):
    """The school's agreement and its status, for the police and the school's headteacher."""
    user = request.user
    if not request.user.has_perm("agreements.list_agreements"):
        return None
    agreements = list(
        Agreement.objects.visible_to(user)
        .for_school(school)
        .select_related("named_officer")
        .order_by("-created", "-pk")[:5]
    )
    live = [a for a in agreements if a.is_live]
    current = next((a for a in live if a.state == Agreement.State.ACTIVE), None)
    in_progress = next((a for a in live if a.state != Agreement.State.ACTIVE), None)
    return {
        "school": school,
        "current": current,
        "in_progress": in_progress,
        "latest": agreements[0] if agreements else None,
        "can_prepare": user.has_perm("agreements.prepare", school) and in_progress is None,
    }


STATUS_CHOICES = [
    ("none", "No agreement"),
    ("draft", "Draft"),
    ("awaiting", "Waiting for signatures"),
    ("active", "Active"),
    ("review_due", "Review due"),
    ("review_suggested", "Review suggested"),
    ("ended", "Ended"),
]


def mou_status_choices(user):
    return [
        *MOU_STANDINGS,
        ("awaiting", "Waiting for either signature"),
        ("review_suggested", "Review suggested"),
    ]


def filter_by_mou_status(schools, value, *, today=None):
    """Keep the schools whose MoU stands as chosen: the standings the dashboard counts."""
    today = today or timezone.localdate()
    standing = Agreement.objects.standing_of(schools, today=today)
    if value in dict(MOU_STANDINGS):
        return standing.filter(mou=value)
    if value == "awaiting":
        return standing.filter(mou__in=["awaiting_school", "awaiting_police"])
    if value == "review_suggested":
        return standing.filter(mou_suggested=True)
    return schools
