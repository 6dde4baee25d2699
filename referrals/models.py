"""Young people at risk, the referrals about them, and the police cases that follow.

The most sensitive records of the product. Three habits keep them safe:
- one place decides who sees a case (`CaseQuerySet.visible_to`);
- nothing that names a young person goes into a URL, an audit entry or an email: records
  are addressed by random public ids and print as "Case 1a2b3c4d", never by name;
- the case log and the risk history are append-only (the models refuse changes and, on
  PostgreSQL, so does a trigger); a correction is a new entry pointing at the old one.
"""

import datetime
import unicodedata
import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case as DbCase
from django.db.models import Exists, F, IntegerField, OuterRef, Q, TextField, Value, When
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    AGENCY_ROLES,
    OFFICER_ROLES,
    POLICE_ROLES,
    SCHOOL_REFERRER_ROLES,
    SCHOOL_ROLES,
    SUPERVISOR_ROLES,
    AppendOnlyModel,
    Force,
    Role,
    ScopedQuerySet,
    Team,
    TimeStampedModel,
    is_member_of_a_force,
)

RETENTION_YEARS = 25  # a closed case is reviewed once the young person reaches 25


def match_key(first_name: str, last_name: str) -> str:
    """Return the name as matching sees it: no accents, case, spaces, hyphens or apostrophes."""

    def plain(text):
        text = unicodedata.normalize("NFKD", text or "")
        return "".join(ch for ch in text.casefold() if ch.isalpha())

    return f"{plain(first_name)}|{plain(last_name)}"


def add_years(day: datetime.date, years: int) -> datetime.date:
    """Return the same day `years` later (29 February becomes 28 February)."""
    return day + relativedelta(years=years)


class Threshold(models.TextChoices):
    EXCLUSION = "exclusion", "At risk of permanent exclusion"
    HIGH_HARM = "high_harm", "At risk of high-harm offences, as victim or suspect"
    EXPLOITATION = "exploitation", "At risk of exploitation"
    BEHAVIOUR = "behaviour", "Persistent poor behaviour, school's options exhausted"


class Source(models.TextChoices):
    SCHOOL = "school", "The school (after its MASH referral)"
    EXPLOITATION_TEAM = "exploitation_team", "Child exploitation team, after review"
    ABUSE_DESK = "abuse_desk", "Child abuse investigation referral desk"
    MISSING_PERSONS = "missing_persons", "Missing persons unit"
    MULTI_AGENCY = "multi_agency", "Multi-agency meeting"
    PROACTIVE = "proactive", "Proactive: overnight robbery or youth offending reports"


class RiskLevel(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


RISK_COLOURS = {RiskLevel.HIGH: "red", RiskLevel.MEDIUM: "orange", RiskLevel.LOW: "green"}

# How long an accepted referral waited for a sergeant to allocate it: (key, label, from, to).
ALLOCATION_WAITS = [
    ("day", "Within a day", datetime.timedelta(0), datetime.timedelta(days=1)),
    ("days", "1 to 3 days", datetime.timedelta(days=1), datetime.timedelta(days=3)),
    ("week", "3 to 7 days", datetime.timedelta(days=3), datetime.timedelta(days=7)),
    ("longer", "Over 7 days", datetime.timedelta(days=7), None),
]

YEAR_GROUPS = [
    ("", "Not known"),
    ("R", "Reception"),
    *[(str(n), f"Year {n}") for n in range(1, 14)],
    ("none", "Not in school"),
]


def _short(public_id) -> str:
    return str(public_id).split("-")[0]


# ---------------------------------------------------------------------------- young people


class YoungPersonQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Return the records a sergeant or manager may merge: none with a case the user does
        not hold (a page never shows a child whose case it hides; reading a case through a
        panel's agenda is not holding it)."""
        if user.role in SUPERVISOR_ROLES:
            hidden_cases = (
                Case.objects.in_force(user.force_id)
                .filter(young_person=OuterRef("pk"))
                .exclude(pk__in=Case.objects.held_by(user).values("pk"))
            )
            return self.exclude(Exists(hidden_cases))
        return self.none()

    def matching(self, *, force, first_name, last_name, date_of_birth):
        return self.filter(
            force=force,
            date_of_birth=date_of_birth,
            match_key=match_key(first_name, last_name),
        )


class YoungPerson(TimeStampedModel):
    """A young person referred to the team: only what identifying them needs."""

    force_path = "force_id"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    school = models.ForeignKey(
        "schools.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    year_group = models.CharField(max_length=4, choices=YEAR_GROUPS, blank=True)
    match_key = models.CharField(max_length=210, editable=False)

    objects = YoungPersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["force", "date_of_birth", "match_key"])]

    def __str__(self):
        # Printed in audit entries and logs: an id, never a name.
        return f"Young person {_short(self.public_id)}"

    def save(self, *args, **kwargs):
        self.match_key = match_key(self.first_name, self.last_name)
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def retention_review_on(self) -> datetime.date:
        return add_years(self.date_of_birth, RETENTION_YEARS)

    def age_on(self, day: datetime.date) -> int:
        return relativedelta(day, self.date_of_birth).years


# ---------------------------------------------------------------------------- cases


def _officer_predicate(user):
    """Return the Q of the cases an officer sees: allocated to them, of their team or of a
    team they lead (Team.objects.led_by), or shared with them."""
    return (
        Q(officer=user)
        | Q(team__in=Team.objects.led_by(user))
        | Q(shares__user=user, shares__revoked_at__isnull=True)
    )


def case_risk_rank():
    """0 for high risk, 1 for medium, 2 for low: the case list's order, and its index's."""
    return DbCase(
        When(risk_level=RiskLevel.HIGH, then=Value(0)),
        When(risk_level=RiskLevel.MEDIUM, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _on_panel_agenda_predicate(user, *, now=None):
    """Return the Q of the cases on the agenda of a multi-agency panel meeting the user is a
    member of, while that meeting's reading window is open (the time is read per query)."""
    now = now or timezone.now()
    agenda = PanelAgendaItem.objects.filter(
        meeting__members__user=user,
        meeting__access_from__lte=now,
        meeting__access_until__gt=now,
    ).values("case_id")
    return Q(pk__in=agenda)


class CaseQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Return the cases this user may read without giving a reason.

        The allocated officer, the allocated team and its sergeant, officers it is shared
        with, and the force's prevention managers; and, read-only, the members of a
        multi-agency panel meeting (police, school or partner agency) the cases on its agenda,
        from a set time before the meeting until a set time after. Nobody else: not other
        teams, not administrators, not school staff or partner agencies outside a panel (nor,
        by visible_to, other forces).
        """
        if user.role == Role.PREVENTION_MANAGER:
            return self
        on_panel = _on_panel_agenda_predicate(user)
        if user.role in OFFICER_ROLES:
            matching = Case.objects.filter(_officer_predicate(user)).values("pk")
            return self.filter(Q(pk__in=matching) | on_panel)
        return self.filter(on_panel)

    def held_by(self, user):
        """Return the cases this user holds by their role (not through a panel): those they may
        work, allocate, share and close. A panel's reading never lets anyone change a case."""
        if not is_member_of_a_force(user):
            return self.none()
        cases = self.in_force(user.force_id)
        if user.role == Role.PREVENTION_MANAGER:
            return cases
        if user.role in OFFICER_ROLES:
            return cases.filter(pk__in=Case.objects.filter(_officer_predicate(user)).values("pk"))
        return cases.none()

    def with_access_of(self, user):
        """Annotate `reader_sees` (visible_to: read without a reason) and `reader_holds`
        (held_by) for `user`, in the same query as the cases; the case page hands them to the
        rules (referrals.rules.remember_access) instead of asking twice more."""
        return self.annotate(
            reader_sees=Exists(Case.objects.visible_to(user).filter(pk=OuterRef("pk"))),
            reader_holds=Exists(Case.objects.held_by(user).filter(pk=OuterRef("pk"))),
        )

    def with_safeguards_present(self):
        """Annotate whether each case has a safety plan, unresolved flags, a closure request
        pending or returned, and hand-overs: the case page lists only those it has (a case
        usually has none of the last three), so it asks for no empty list."""
        mine = {"case": OuterRef("pk")}
        return self.annotate(
            has_safety_plan=Exists(SafetyPlan.objects.filter(**mine)),
            has_open_flags=Exists(CaseFlag.objects.filter(**mine, resolved_at__isnull=True)),
            has_closure_requests=Exists(
                ClosureRequest.objects.filter(
                    **mine,
                    status__in=[ClosureRequest.Status.PENDING, ClosureRequest.Status.RETURNED],
                )
            ),
            has_transfers=Exists(CaseTransfer.objects.filter(**mine)),
        )

    def known_to(self, user):
        """Return the cases that exist for this user: their force's, for police-side people;
        for school staff and partner agencies, only those a panel lets them read now.

        A case outside this set is a 404. One inside it but not visible is a 403, and an
        officer may open it after typing the reason they need to.
        """
        if not is_member_of_a_force(user):
            return self.none()
        if not user.is_police_side:
            return self.visible_to(user)
        return self.in_force(user.force_id)

    def open(self):
        return self.filter(status=Case.Status.OPEN)

    def closed(self):
        return self.filter(status=Case.Status.CLOSED)

    def open_on(self, day):
        """Return the cases open on a past day, by their opening and closing dates."""
        return self.filter(opened_on__lte=day).exclude(closed_on__lte=day)

    def closed_between(self, start, end):
        return self.filter(closed_on__gte=start, closed_on__lte=end)

    def for_officer(self, officer):
        """The cases allocated to an officer (an id), or to nobody yet ("none")."""
        if officer == "none":
            return self.filter(officer__isnull=True)
        return self.filter(officer_id=officer)

    def in_local_authority(self, code):
        return self.filter(young_person__school__la_code=code)

    def with_open_actions(self):
        return self.filter(pk__in=Action.objects.open().values("case_id"))

    def with_review_overdue(self, *, today):
        """Cases with a short-term action whose monthly review date has passed."""
        return self.filter(
            pk__in=Action.objects.review_due(on=today - datetime.timedelta(days=1)).values(
                "case_id"
            )
        )

    def with_actions_overdue(self, *, today):
        return self.filter(pk__in=Action.objects.overdue(on=today).values("case_id"))

    def due_for_retention_review(self, *, today=None):
        """Return closed cases whose young person has reached 25, unless on legal hold."""
        today = today or timezone.localdate()
        born_on_or_before = today - relativedelta(years=RETENTION_YEARS)
        return self.closed().filter(
            legal_hold=False, young_person__date_of_birth__lte=born_on_or_before
        )

    def named(self, words):
        """The cases whose young person's first or last name contains each of the words, or
        whose reference starts with one."""
        cases = self
        for word in words.split():
            cases = cases.filter(
                Q(young_person__first_name__icontains=word)
                | Q(young_person__last_name__icontains=word)
                | Q(public_id__istartswith=word.lower())
            )
        return cases

    def by_risk(self):
        """Order high risk first, then the oldest (an index on the same expression serves it)."""
        return self.annotate(risk_rank=case_risk_rank()).order_by("risk_rank", "opened_on", "pk")

    def flagged_first(self):
        """Order cases with an unresolved flag first, then by risk and age (see by_risk)."""
        flags = CaseFlag.objects.filter(case=OuterRef("pk"), resolved_at__isnull=True)
        return self.annotate(flagged=Exists(flags), risk_rank=case_risk_rank()).order_by(
            "-flagged", "risk_rank", "opened_on", "pk"
        )


class Case(TimeStampedModel):
    """The team's work with one young person, from acceptance to closure."""

    force_path = "force_id"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        RISK_REDUCED = "risk_reduced", "Engaged and risk reduced"
        HANDED_OVER = "handed_over", "Handed to another team"
        MOVED_AWAY = "moved_away", "Moved away"
        DECLINED = "declined", "Declined to engage"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    young_person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="cases")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    legal_hold = models.BooleanField(
        default=False, help_text="Kept beyond the retention review, for example for a court case."
    )
    legal_hold_reason = models.CharField(max_length=300, blank=True)
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)
    closure_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    closure_summary = models.TextField(blank=True)
    allocated_at = models.DateTimeField(null=True, blank=True, editable=False)
    allocation_emailed_for = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="The allocation (its time) the allocated officer was emailed about.",
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        indexes = [
            # The case list: a force's open (or closed) cases, highest risk first, then oldest.
            models.Index(
                F("force"),
                F("status"),
                case_risk_rank(),
                F("opened_on"),
                F("id"),
                name="case_force_status_risk_idx",
            ),
            # The cases closed in a period (the case list behind the outcomes figure).
            models.Index(
                fields=["force", "closed_on"],
                condition=Q(status="closed"),
                name="case_force_closed_on_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["young_person"],
                condition=Q(status="open"),
                name="one_open_case_per_young_person",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(closure_outcome=""),
                name="closed_case_has_outcome",
            ),
        ]

    def __str__(self):
        return f"Case {self.reference}"

    def get_absolute_url(self):
        return reverse("referrals:case_detail", args=[self.public_id])

    @property
    def reference(self):
        return _short(self.public_id).upper()

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def risk_colour(self):
        return RISK_COLOURS.get(self.risk_level, "grey")

    def clean(self):
        if self.team_id and self.team.force_id != self.force_id:
            raise ValidationError({"team": "Choose a team of this force."})
        if self.officer_id:
            if self.officer.force_id != self.force_id or self.officer.role not in OFFICER_ROLES:
                raise ValidationError({"officer": "Choose an officer of this force."})
            if not self.officer.is_active:
                raise ValidationError({"officer": "Choose an officer whose account is active."})
            if self.team_id and self.officer.team_id != self.team_id:
                raise ValidationError({"officer": "Choose an officer of the team."})


class ReadWithItsCase(ScopedQuerySet):
    """A case's risk history, shares, log and actions: read by whoever reads the case
    without giving a reason (Case.objects.visible_to); the case pages reach them through
    the case they opened."""

    def narrow(self, user):
        return self.filter(case__in=Case.objects.visible_to(user))


class RiskAssessment(AppendOnlyModel):
    """One assessment of a case's risk; the history is never rewritten."""

    force_path = "case__force_id"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    reason = models.TextField(blank=True)
    after_multi_agency_assessment = models.BooleanField(default=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    objects = ReadWithItsCase.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"Risk {self.level} on case {self.case_id}"


class CaseShareQuerySet(ReadWithItsCase):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CaseShare(TimeStampedModel):
    """An explicit decision to let one more officer read a case, with the reason."""

    force_path = "case__force_id"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CaseShareQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_share_per_officer",
            )
        ]

    def __str__(self):
        return f"Share of case {self.case_id} with {self.user_id}"


class CaseLogQuerySet(ReadWithItsCase):
    def update(self, **kwargs):
        raise PermissionError("Case log entries cannot be changed.")

    def delete(self):
        raise PermissionError("Case log entries cannot be deleted.")

    def timeline(self):
        return self.select_related("author", "corrects").order_by("-occurred_on", "-created", "-pk")


class CaseLogEntry(AppendOnlyModel):
    """What happened in a case. Written once; a correction is a new entry pointing back."""

    force_path = "case__force_id"

    class Kind(models.TextChoices):
        IN_SCHOOL = "in_school", "Engagement with the young person in school"
        HOME_VISIT = "home_visit", "Home visit"
        DSL_CONTACT = "dsl_contact", "Contact with the DSL"
        FAMILY_CONTACT = "family_contact", "Contact with the family"
        SIGNPOSTING = "signposting", "Signposting or referral to an intervention"
        RESEARCH_REQUESTED = "research_requested", "Research package requested"
        RESEARCH_RECEIVED = "research_received", "Research package received"
        SAFETY_PLAN = "safety_plan", "Safety plan"
        STRATEGY_MEETING = "strategy_meeting", "Strategy meeting attended"
        CIN_MEETING = "cin_meeting", "Child-in-need meeting attended"
        CP_MEETING = "cp_meeting", "Child-protection meeting attended"
        INFORMATION_SHARED = "information_shared", "Information shared with a partner"
        LOCATION_VISIT = "location_visit", "Location visit"
        # Written by the product itself when the case changes.
        REFERRAL = "referral", "Referral received"
        ALLOCATION = "allocation", "Allocated"
        RISK = "risk", "Risk assessed"
        SHARED = "shared", "Case shared"
        CLOSED = "closed", "Case closed"
        REOPENED = "reopened", "Case reopened"
        RECORD = "record", "Record change"
        PANEL_DECISION = "panel_decision", "Multi-agency panel decision"
        ACTION_UPDATE = "action_update", "Action updated by its owner"

    # What an officer logs; the other kinds are written by the product when the case changes.
    OFFICER_KINDS = [
        "in_school",
        "home_visit",
        "dsl_contact",
        "family_contact",
        "signposting",
        "research_requested",
        "research_received",
        "safety_plan",
        "strategy_meeting",
        "cin_meeting",
        "cp_meeting",
        "information_shared",
        "location_visit",
    ]

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="log_entries")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurred_on = models.DateField()
    summary = models.TextField()
    shared_what = models.TextField("what was shared", blank=True)
    shared_with = models.CharField("shared with", max_length=200, blank=True)
    shared_basis = models.CharField("basis for sharing", max_length=300, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = CaseLogQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-created", "-pk"]
        verbose_name_plural = "case log entries"
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="information_shared")
                | (~Q(shared_what="") & ~Q(shared_with="") & ~Q(shared_basis="")),
                name="information_shared_says_what_whom_why",
            )
        ]

    def __str__(self):
        return f"Log entry {self.pk} of case {self.case_id}"

    def clean(self):
        if self.kind == self.Kind.INFORMATION_SHARED:
            errors = {}
            if not self.shared_what:
                errors["shared_what"] = "Say what information was shared"
            if not self.shared_with:
                errors["shared_with"] = "Say who it was shared with"
            if not self.shared_basis:
                errors["shared_basis"] = "Say on what basis it was shared"
            if errors:
                raise ValidationError(errors)
        if self.corrects_id and self.corrects.case_id != self.case_id:
            raise ValidationError("A correction must point at an entry of the same case.")


# ---------------------------------------------------------------------------- actions


class ActionQuerySet(ReadWithItsCase):
    def narrow(self, user):
        """Whoever reads the case reads its actions; the owner of an action (an officer, or a
        person of a school or partner agency) reads their own, without the case."""
        return self.filter(Q(case__in=Case.objects.visible_to(user)) | Q(owner_user=user))

    def owned_by(self, user):
        return self.filter(owner_user=user)

    def open(self):
        return self.filter(status=Action.Status.OPEN)

    def review_due(self, *, on):
        return self.open().filter(term=Action.Term.SHORT, next_review_on__lte=on)

    def overdue(self, *, on):
        return self.open().filter(due_on__lt=on)


class Action(TimeStampedModel):
    """A step of the action plan, with its owner, due date and status."""

    force_path = "case__force_id"

    class Term(models.TextChoices):
        SHORT = "short", "Short term (under 6 months, reviewed monthly)"
        LONG = "long", "Long term (6 months to 3 years)"

    class OwnerKind(models.TextChoices):
        OFFICER = "officer", "An officer"
        SCHOOL = "school", "The school"
        PARTNER = "partner", "A partner agency"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "No longer needed"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    term = models.CharField(max_length=10, choices=Term.choices)
    description = models.TextField()
    owner_kind = models.CharField(max_length=10, choices=OwnerKind.choices)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(
        max_length=200, blank=True, help_text="The school or partner agency that owns it."
    )
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    next_review_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_on", "pk"]
        indexes = [
            # The dashboard's "cases with open actions / overdue / review due" read only the
            # open actions, from this small index alone (not every action ever recorded).
            models.Index(
                fields=["case"],
                include=["due_on", "term", "next_review_on"],
                condition=Q(status="open"),
                name="action_open_by_case_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(owner_kind="officer") | Q(owner_user__isnull=False),
                name="officer_action_has_owner",
            ),
        ]

    def __str__(self):
        return f"Action {self.pk} of case {self.case_id}"

    @property
    def owner_display(self):
        if self.owner_user_id:
            name = self.owner_user.display_name
            if self.owner_kind != self.OwnerKind.OFFICER and self.owner_name:
                return f"{name}, {self.owner_name}"
            return name
        return self.owner_name or self.get_owner_kind_display()

    # The organisation kind a named owner of each kind belongs to (beyond the police).
    OWNER_ORGANISATION_ROLES = {"school": SCHOOL_ROLES, "partner": AGENCY_ROLES}

    def clean(self):
        # The day the limits count from: the service passes its "today", so tests move time.
        today = getattr(self, "validation_day", None) or (
            self.created.date() if self.created else timezone.localdate()
        )
        errors = {}
        if self.due_on:
            six_months = today + relativedelta(months=6)
            three_years = add_years(today, 3)
            if self.term == self.Term.SHORT and self.due_on >= six_months:
                errors["due_on"] = (
                    "A short-term action is due within 6 months. Make it a long-term action"
                )
            if self.term == self.Term.LONG and not six_months <= self.due_on <= three_years:
                errors["due_on"] = "A long-term action is due between 6 months and 3 years from now"
        if self.owner_kind == self.OwnerKind.OFFICER:
            if not self.owner_user_id:
                errors["owner_user"] = "Choose the officer who owns the action"
            elif self.owner_user.force_id != self.case.force_id:
                errors["owner_user"] = "Choose an officer of this force"
        elif self.owner_user_id:
            roles = self.OWNER_ORGANISATION_ROLES.get(self.owner_kind, ())
            owner = self.owner_user
            if (
                owner.force_id != self.case.force_id
                or owner.role not in roles
                or not owner.is_active
            ):
                errors["owner_user"] = (
                    "Choose an active person of a school of this force"
                    if self.owner_kind == self.OwnerKind.SCHOOL
                    else "Choose an active person of a partner agency of this force"
                )
            elif not self.owner_name:
                self.owner_name = owner.organisation.name
        elif self.owner_kind and not self.owner_name:
            errors["owner_name"] = "Name the school or partner agency that owns the action"
        if errors:
            raise ValidationError(errors)


class ReminderSent(models.Model):
    """A reminder emailed about an action: one per action, kind and date, however often beat runs."""

    force_path = "action__case__force_id"

    class Kind(models.TextChoices):
        REVIEW = "review", "Monthly review due"
        OVERDUE = "overdue", "Overdue"
        OWNER_REVIEW = "owner", "Monthly review due, to an owner outside the police"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    for_date = models.DateField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "kind", "for_date"], name="one_reminder_per_action_kind_date"
            )
        ]

    def __str__(self):
        return f"{self.kind} reminder of action {self.action_id} for {self.for_date}"


# ---------------------------------------------------------------------------- referrals


class ReferralQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Return which of the force's referrals this user may see.

        Managers see the force's. Sergeants triage the force's inbox, so see every referral
        waiting; once decided, like any officer, they see the referrals they made and those
        of cases they can read (never a child whose case is another team's). A DSL or
        headteacher sees, through the status page only, the referrals their school made
        itself, and one from elsewhere (a police officer's, a partner team's) only while an
        officer shares it with the school.
        """
        if user.role == Role.PREVENTION_MANAGER:
            return self
        if user.role in OFFICER_ROLES:
            cases = Case.objects.held_by(user).values("pk")
            theirs = Q(referred_by=user) | Q(case__in=cases)
            if user.role == Role.SERGEANT:
                theirs |= Q(status=Referral.Status.RECEIVED)
            return self.filter(theirs)
        if user.role in SCHOOL_REFERRER_ROLES:
            organisation_id = user.organisation_id
            shared = ReferralShare.objects.active().filter(
                referral=OuterRef("pk"), school__organisation_id=organisation_id
            )
            made_by_the_school = Q(source=Source.SCHOOL, school__organisation_id=organisation_id)
            return self.filter(made_by_the_school | Q(Exists(shared)))
        return self.none()

    def waiting(self):
        return self.filter(status=Referral.Status.RECEIVED)

    def received_between(self, start, end):
        return self.filter(created__date__gte=start, created__date__lte=end)

    def reached_teams(self, team_ids):
        """What reached these teams' cases, and what still waits for triage (a sergeant's slice)."""
        return self.filter(Q(case__team_id__in=team_ids) | Q(status=Referral.Status.RECEIVED))

    def with_threshold_text(self):
        # A referral may meet several thresholds; the JSON list is matched as text, which
        # SQLite and PostgreSQL both do.
        return self.annotate(threshold_text=Cast("thresholds", TextField()))

    def meeting_threshold(self, key):
        return self.with_threshold_text().filter(Referral.meets_threshold(key))

    def allocated_within(self, key):
        return self.filter(Referral.allocation_wait(key))

    def for_school(self, school):
        return self.filter(school=school)

    def by_risk_and_age(self):
        """Order the inbox: highest known risk first, then the oldest.

        A referral that joins an open case carries that case's risk. A new one has not been
        assessed, so it counts as high until a sergeant says otherwise: nothing new waits
        behind risks already known to be lower.
        """
        return self.annotate(
            risk_rank=DbCase(
                When(case__isnull=True, then=Value(0)),
                When(case__risk_level=RiskLevel.HIGH, then=Value(0)),
                When(case__risk_level=RiskLevel.MEDIUM, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("risk_rank", "created", "pk")


class Referral(TimeStampedModel):
    """A request for the team to work with a young person, from a school or the police."""

    force_path = "force_id"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.CASCADE, related_name="referrals"
    )
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The school that referred, or the young person's school.",
    )
    thresholds = models.JSONField(default=list)
    source = models.CharField(max_length=30, choices=Source.choices)
    concern = models.TextField()
    mash_referral_made = models.BooleanField(default=False)
    mash_reference = models.CharField(max_length=60, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    signposted_to = models.CharField(max_length=300, blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        help_text="The incident at school the referral came from, when an officer referred "
        "into casework as its outcome.",
    )
    outcome_emailed_for = models.CharField(max_length=10, blank=True, editable=False)
    arrival_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            # The inbox: a force's referrals waiting for triage (and the officers' own, oldest
            # first), and the force's last decided ones, newest first.
            models.Index(fields=["force", "status", "created"], name="referral_force_status_idx"),
            models.Index(
                fields=["force", "-decided_at"],
                condition=~Q(status="received"),
                name="referral_force_decided_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="school")
                | (Q(mash_referral_made=True) & ~Q(mash_reference="")),
                name="school_referral_has_mash_reference",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="declined_referral_has_reason",
            ),
        ]

    def __str__(self):
        return f"Referral {_short(self.public_id).upper()}"

    def get_absolute_url(self):
        return reverse("referrals:referral_detail", args=[self.public_id])

    @property
    def reference(self):
        return _short(self.public_id).upper()

    @staticmethod
    def meets_threshold(key) -> Q:
        """A referral meeting the threshold; needs ReferralQuerySet.with_threshold_text()."""
        return Q(threshold_text__contains=f'"{key}"')

    @staticmethod
    def allocation_wait(key) -> Q:
        """An accepted referral allocated after the wait of ALLOCATION_WAITS' `key`."""
        _key, _label, low, high = next(w for w in ALLOCATION_WAITS if w[0] == key)
        waited = Q(
            status=Referral.Status.ACCEPTED,
            decided_at__isnull=False,
            decided_at__gte=F("created") + low,
        )
        return waited & Q(decided_at__lt=F("created") + high) if high else waited

    def get_threshold_labels(self):
        labels = dict(Threshold.choices)
        return [labels.get(key, key) for key in self.thresholds]

    def clean(self):
        errors = {}
        if not self.thresholds:
            errors["thresholds"] = "Choose at least one threshold the young person meets"
        elif any(key not in Threshold.values for key in self.thresholds):
            errors["thresholds"] = "Choose thresholds from the list"
        if self.source == Source.SCHOOL:
            if not self.mash_referral_made:
                errors["mash_referral_made"] = (
                    "Confirm the school has made its referral to the MASH"
                )
            if not self.mash_reference:
                errors["mash_reference"] = "Enter the reference of the school's MASH referral"
        if self.school_id and self.school.force_id != self.force_id:
            errors["school"] = "Choose a school of this force"
        if errors:
            raise ValidationError(errors)

    def receiving_sergeants(self):
        """Return the sergeants told that this referral has arrived.

        The receiving team is the one whose area holds the referral's school; without one, the
        force's Safer Schools team. Its sergeant and the sergeants among its members are told.
        When no such sergeant exists, every active sergeant of the force is, so that no
        referral waits unseen.
        """
        from accounts.models import User

        sergeants = User.objects.filter(
            role=Role.SERGEANT, is_active=True, organisation__force_id=self.force_id
        )
        if self.school_id and self.school.team_id:
            teams = Team.objects.filter(pk=self.school.team_id)
        else:
            teams = Team.objects.filter(force_id=self.force_id, kind=Team.Kind.SAFER_SCHOOLS)
        receiving = sergeants.filter(Q(teams_led__in=teams) | Q(team__in=teams)).distinct()
        return receiving if receiving.exists() else sergeants

    @property
    def made_by_school(self) -> bool:
        """True if the referring school made it: its staff see it without a share."""
        return self.source == Source.SCHOOL and self.school_id is not None

    def status_for_school(self):
        """Return what the referring school is told: never police notes or risk."""
        case = self.case
        if self.status == self.Status.DECLINED:
            return "Declined"
        if self.status == self.Status.RECEIVED:
            return "Received"
        if case is not None and case.status == Case.Status.CLOSED:
            return "Closed"
        return "Accepted"


class ReferralShareQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Read by whoever reads the referral."""
        return self.filter(referral__in=Referral.objects.visible_to(user))

    def active(self):
        return self.filter(revoked_at__isnull=True)


class ReferralShare(TimeStampedModel):
    """An officer's decision to let the young person's school see a referral it did not make."""

    force_path = "referral__force_id"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="school_shares")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReferralShareQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_school_share_per_referral",
            )
        ]

    def __str__(self):
        return f"Share of referral {self.referral_id} with school {self.school_id}"


# ---------------------------------------------------------------------------- multi-agency panels


class PanelMeetingQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Sergeants and managers see the force's panel meetings; everyone else (police,
        school staff, partner agencies) only the meetings they are a member of."""
        if user.role in SUPERVISOR_ROLES:
            return self
        return self.filter(pk__in=PanelMember.objects.filter(user=user).values("meeting_id"))

    def granting(self, user, case, *, now=None):
        """Return the meetings whose open window lets `user`, a member, read `case` now."""
        now = now or timezone.now()
        return self.filter(
            members__user=user,
            agenda__case=case,
            access_from__lte=now,
            access_until__gt=now,
        ).order_by("starts_at", "pk")


class PanelMeeting(TimeStampedModel):
    """A multi-agency panel meeting: police, schools and partner agencies agree risk and plans
    for the cases on its agenda. Its members read those cases, read-only, from a set time
    before the meeting until a set time after (its reading window)."""

    force_path = "force_id"
    MAX_WINDOW_DAYS = 14

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200)
    access_days_before = models.PositiveSmallIntegerField(
        help_text="Days before the meeting its members may read the agenda's cases."
    )
    access_days_after = models.PositiveSmallIntegerField(
        help_text="Days after the meeting they may still read them."
    )
    access_from = models.DateTimeField(editable=False)
    access_until = models.DateTimeField(editable=False)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = PanelMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["access_from", "access_until"], name="panel_window_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(access_from__lte=F("access_until")), name="panel_window_in_order"
            )
        ]

    def __str__(self):
        return f"Panel meeting {_short(self.public_id).upper()}"

    def save(self, *args, **kwargs):
        self.set_window()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("referrals:panel_detail", args=[self.public_id])

    @property
    def reference(self):
        return _short(self.public_id).upper()

    def set_window(self):
        """Work out the reading window from the meeting's time and its days before and after."""
        self.access_from = self.starts_at - datetime.timedelta(days=self.access_days_before)
        self.access_until = self.starts_at + datetime.timedelta(days=self.access_days_after)

    def window_open(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.access_from <= now < self.access_until

    @property
    def access_reason(self) -> str:
        """The reason a member's view of an agenda case is logged with."""
        when = timezone.localtime(self.starts_at)
        return f"Multi-agency panel {self.reference}: {self.title}, {when:%d %B %Y %H:%M}"

    def clean(self):
        errors = {}
        for name in ("access_days_before", "access_days_after"):
            value = getattr(self, name)
            if value is not None and value > self.MAX_WINDOW_DAYS:
                errors[name] = f"Enter a number of days from 0 to {self.MAX_WINDOW_DAYS}"
        if errors:
            raise ValidationError(errors)


class ReadWithItsMeeting(ScopedQuerySet):
    """A meeting's members and agenda: read by whoever reads the meeting."""

    def narrow(self, user):
        return self.filter(meeting__in=PanelMeeting.objects.visible_to(user))


# Who may sit on a panel: police, school staff and partner agency workers of the force.
PANEL_MEMBER_ROLES = POLICE_ROLES | SCHOOL_ROLES | AGENCY_ROLES


class PanelMember(models.Model):
    """A person invited to sit on a panel meeting; attendance is recorded after it."""

    force_path = "meeting__force_id"

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships"
    )
    attended = models.BooleanField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    objects = ReadWithItsMeeting.as_manager()

    class Meta:
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_membership_per_panel")
        ]

    def __str__(self):
        return f"Member {self.user_id} of panel {self.meeting_id}"

    def clean(self):
        user = self.user
        if (
            user.force_id != self.meeting.force_id
            or user.role not in PANEL_MEMBER_ROLES
            or not user.is_active
        ):
            raise ValidationError(
                {"user": "Choose an active person of the force's police, schools or agencies"}
            )


class PanelAgendaItem(models.Model):
    """A case put before a panel meeting; the panel's decision is a case-log entry."""

    force_path = "meeting__force_id"

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="agenda")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="panel_agenda_items")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    decision = models.ForeignKey(
        CaseLogEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReadWithItsMeeting.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="case_once_per_panel")
        ]

    def __str__(self):
        return f"Case {self.case_id} on panel {self.meeting_id}"

    def clean(self):
        if self.case.force_id != self.meeting.force_id:
            raise ValidationError({"case": "Choose a case of this force"})


# ---------------------------------------------------------------------------- casework settings
# Issue 22 items 4-8 (consent, closure approval and flags, signposting, safety plans): the
# force's own lists and settings first, then the records of a case.


class CaseworkSettingsQuerySet(ScopedQuerySet):
    def for_force(self, force):
        """Return the force's settings, created with the defaults the first time they are read."""
        settings_row, _created = self.get_or_create(force=force)
        return settings_row


class CaseworkSettings(TimeStampedModel):
    """How a force runs casework: settings a force administrator or manager changes."""

    force_path = "force_id"

    force = models.OneToOneField(Force, on_delete=models.CASCADE, related_name="+")
    closure_needs_approval = models.BooleanField(
        "a sergeant approves each closure",
        default=False,
        help_text="An officer asks to close a case; a sergeant or manager approves or returns it.",
    )

    objects = CaseworkSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "casework settings"

    def __str__(self):
        return f"Casework settings of force {self.force_id}"


# The lawful bases a force starts with: (name, explanation). Written for officers, not lawyers.
DEFAULT_LAWFUL_BASES = [
    (
        "Safeguarding a child at risk of significant harm",
        "Sharing is needed to protect the young person or another child from significant harm "
        "(Children Act 1989; Working Together to Safeguard Children). Safeguarding of children "
        "is a substantial public interest condition of the Data Protection Act 2018.",
    ),
    (
        "Preventing or detecting crime",
        "Sharing is needed to prevent or detect a crime, or to apprehend or prosecute an "
        "offender, and asking for consent would prejudice that.",
    ),
    (
        "A legal obligation",
        "The law or a court order requires the information to be shared.",
    ),
    (
        "A public task of the police",
        "Sharing is needed for the police's statutory duties (public task), and consent would "
        "not be freely given or asking would increase the risk.",
    ),
    (
        "Protecting someone's life (vital interests)",
        "Sharing is needed urgently to protect someone's life, and nobody can give consent in time.",
    ),
]

# The Information Commissioner's questions before sharing, as the pages ask them.
ICO_QUESTIONS = [
    "Is sharing necessary and proportionate? Could the aim be met without sharing, or by "
    "sharing less?",
    "What is your lawful basis for sharing, and, for information about a child's welfare or "
    "a crime, your condition for sharing special category or criminal offence data?",
    "What is the minimum you need to share to meet the aim, and with whom exactly?",
    "How will it be shared securely, and how will the recipient keep it so?",
    "Record your decision: what you shared, with whom, when, why and on what basis, even when "
    "you decide not to share.",
]


class LawfulBasisQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """The police side reads the force's list; school staff and partners do not."""
        return self if user.is_police_side else self.none()

    def active(self):
        return self.filter(is_active=True)

    def ensure_defaults(self, force):
        """Give a force the default list once (a force with any basis keeps its own)."""
        if not LawfulBasis.objects.filter(force=force).exists():
            LawfulBasis.objects.bulk_create(
                [
                    LawfulBasis(force=force, name=name, explanation=explanation, order=index)
                    for index, (name, explanation) in enumerate(DEFAULT_LAWFUL_BASES)
                ]
            )


class LawfulBasis(TimeStampedModel):
    """A lawful basis an officer may give for sharing without consent: the force keeps the list."""

    force_path = "force_id"

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    explanation = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(
        "offered to officers", default=True, help_text="A basis no longer offered stays on record."
    )

    objects = LawfulBasisQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name", "pk"]
        verbose_name_plural = "lawful bases"
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="lawful_basis_name_per_force")
        ]

    def __str__(self):
        return self.name


# ---------------------------------------------------------------------------- consent


class Awareness(models.TextChoices):
    AGREES = "agrees", "Knows and agrees"
    KNOWS = "knows", "Knows but does not agree"
    NOT_TOLD = "not_told", "Has not been told"


class ConsentRecordQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Read with what it is about: the case (or, before a case, the referral)."""
        if user.role not in OFFICER_ROLES and user.role != Role.PREVENTION_MANAGER:
            return self.none()
        return self.filter(
            Q(case__in=Case.objects.visible_to(user).values("pk"))
            | Q(case__isnull=True, referral__in=Referral.objects.visible_to(user).values("pk"))
        )

    def without_consent(self):
        return self.filter(with_consent=False)


class ConsentRecord(TimeStampedModel):
    """Whether the young person and the parents know of, and agree to, a referral or a
    disclosure; or, without their agreement, the lawful basis and the ICO's questions answered.

    One record per referral or disclosure (a share of the case, a share of a referral with a
    school, information shared with a partner, a transfer). Nothing in it names the child.
    """

    force_path = "force_id"

    class Subject(models.TextChoices):
        REFERRAL = "referral", "Referral"
        CASE_SHARE = "case_share", "Case shared with an officer"
        SCHOOL_SHARE = "school_share", "Referral shared with a school"
        INFORMATION_SHARED = "information_shared", "Information shared with a partner"
        TRANSFER = "transfer", "Case handed over"

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=30, choices=Subject.choices)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="consent_records"
    )
    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="consent"
    )
    case_share = models.OneToOneField(
        CaseShare, on_delete=models.CASCADE, null=True, blank=True, related_name="consent"
    )
    referral_share = models.OneToOneField(
        ReferralShare, on_delete=models.CASCADE, null=True, blank=True, related_name="consent"
    )
    log_entry = models.OneToOneField(
        CaseLogEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="consent"
    )
    young_person = models.CharField("the young person", max_length=10, choices=Awareness.choices)
    parents = models.CharField("the parents or carers", max_length=10, choices=Awareness.choices)
    with_consent = models.BooleanField(default=False, editable=False)
    lawful_basis = models.ForeignKey(
        LawfulBasis, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    necessary_and_proportionate = models.BooleanField(default=False)
    minimum_shared = models.TextField("the minimum shared", blank=True)
    how_secure = models.TextField("how it is shared securely", blank=True)
    decision = models.TextField("why without consent", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["force", "with_consent", "created"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(with_consent=True) | Q(lawful_basis__isnull=False),
                name="consent_or_lawful_basis",
            )
        ]

    def __str__(self):
        return f"Consent record {self.pk} ({self.subject})"

    def save(self, *args, **kwargs):
        self.with_consent = self.gives_consent
        super().save(*args, **kwargs)

    @property
    def gives_consent(self) -> bool:
        return self.young_person == Awareness.AGREES and self.parents == Awareness.AGREES

    def clean(self):
        self.with_consent = self.gives_consent
        if self.with_consent:
            return
        errors = {}
        if not self.lawful_basis_id:
            errors["lawful_basis"] = (
                "Choose the lawful basis for sharing without the young person's and parents' "
                "agreement"
            )
        elif self.lawful_basis.force_id != self.force_id or not self.lawful_basis.is_active:
            errors["lawful_basis"] = "Choose a lawful basis from your force's list"
        if not self.necessary_and_proportionate:
            errors["necessary_and_proportionate"] = (
                "Confirm sharing is necessary and proportionate, or do not share"
            )
        if not self.minimum_shared.strip():
            errors["minimum_shared"] = "Say what is the minimum you share"
        if not self.how_secure.strip():
            errors["how_secure"] = "Say how it is shared securely"
        if not self.decision.strip():
            errors["decision"] = "Record why you share without consent"
        if errors:
            raise ValidationError(errors)

    @property
    def about(self):
        """The case (or referral) the record is about, for links."""
        return self.case or self.referral


# ---------------------------------------------------------------------------- closure approval


class ClosureRequestQuerySet(ReadWithItsCase):
    def pending(self):
        return self.filter(status=ClosureRequest.Status.PENDING)


class ClosureRequest(TimeStampedModel):
    """An officer's request to close a case, where the force wants a sergeant to approve."""

    force_path = "case__force_id"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a sergeant"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closure_requests")
    outcome = models.CharField(max_length=20, choices=Case.Outcome.choices)
    summary = models.TextField("closing summary")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    objects = ClosureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="one_pending_closure_request_per_case",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="returned_closure_has_reason",
            ),
        ]

    def __str__(self):
        return f"Closure request {self.pk} of case {self.case_id}"

    def clean(self):
        if not self.summary.strip():
            raise ValidationError({"summary": "Enter a closing summary"})
        if self.status == self.Status.RETURNED and not self.return_reason.strip():
            raise ValidationError({"return_reason": "Enter why the request is returned"})


# ---------------------------------------------------------------------------- flags


class CaseFlagQuerySet(ReadWithItsCase):
    def unresolved(self):
        return self.filter(resolved_at__isnull=True)


class CaseFlag(TimeStampedModel):
    """A flag on a case: a message and the date it matters by, until someone resolves it."""

    force_path = "case__force_id"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    message = models.CharField(max_length=300)
    flag_on = models.DateField("date")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=300, blank=True)

    objects = CaseFlagQuerySet.as_manager()

    class Meta:
        ordering = ["flag_on", "pk"]
        indexes = [
            models.Index(
                fields=["case"], condition=Q(resolved_at__isnull=True), name="case_flag_open_idx"
            )
        ]

    def __str__(self):
        return f"Flag {self.pk} of case {self.case_id}"

    def clean(self):
        if not self.message.strip():
            raise ValidationError({"message": "Enter the flag's message"})


# ---------------------------------------------------------------------------- signposting


class InterventionServiceQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class InterventionService(TimeStampedModel):
    """A diversion or intervention service of the force's area that officers signpost to."""

    force_path = "force_id"

    class Kind(models.TextChoices):
        YOUTH_DIVERSION = "youth_diversion", "Youth diversion"
        YOUTH_JUSTICE = "youth_justice", "Youth justice"
        MENTORING = "mentoring", "Mentoring"
        SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
        EXPLOITATION = "exploitation", "Exploitation"
        MENTAL_HEALTH = "mental_health", "Emotional wellbeing and mental health"
        FAMILY_SUPPORT = "family_support", "Family support and early help"
        SPORT_AND_ACTIVITIES = "activities", "Sport and positive activities"
        OTHER = "other", "Other"

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    provider = models.CharField("run by", max_length=200, blank=True)
    criteria = models.TextField("who it is for", help_text="Ages, needs and how to refer.")
    area = models.CharField(max_length=200, help_text="For example, Bournemouth and Poole.")
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField("offered to officers", default=True)

    objects = InterventionServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "name"], name="intervention_service_name_per_force"
            )
        ]

    def __str__(self):
        return self.name


class SignpostingQuerySet(ReadWithItsCase):
    def awaiting_result(self):
        return self.filter(outcome="")


class Signposting(TimeStampedModel):
    """A case signposted to a service of the directory, and what came of it."""

    force_path = "case__force_id"

    class Outcome(models.TextChoices):
        ENGAGED = "engaged", "Engaged with the service"
        COMPLETED = "completed", "Completed the programme"
        DECLINED = "declined", "Declined the service"
        NOT_ACCEPTED = "not_accepted", "Not accepted by the service"
        WAITING = "waiting", "On the service's waiting list"
        DISENGAGED = "disengaged", "Started but stopped attending"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="signpostings")
    service = models.ForeignKey(InterventionService, on_delete=models.PROTECT, related_name="+")
    signposted_on = models.DateField()
    note = models.TextField(blank=True)
    signposted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SignpostingQuerySet.as_manager()

    class Meta:
        ordering = ["-signposted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome_on__isnull=False),
                name="signposting_outcome_has_date",
            )
        ]

    def __str__(self):
        return f"Signposting {self.pk} of case {self.case_id}"

    def clean(self):
        errors = {}
        if self.service_id and self.case_id and self.service.force_id != self.case.force_id:
            errors["service"] = "Choose a service of your force's directory"
        if self.outcome and not self.outcome_on:
            errors["outcome_on"] = "Enter the date of the result"
        if self.outcome_on and self.signposted_on and self.outcome_on < self.signposted_on:
            errors["outcome_on"] = "The result's date must be on or after the day it was signposted"
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------- safety plan


class SafetyPlan(TimeStampedModel):
    """A case's safety plan: risks, protective factors, who does what, and the review date."""

    force_path = "case__force_id"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="safety_plan")
    review_on = models.DateField("review date")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReadWithItsCase.as_manager()

    def __str__(self):
        return f"Safety plan of case {self.case_id}"


class ReadWithItsPlan(ScopedQuerySet):
    """A safety plan's factors and steps: read by whoever reads the plan's case."""

    def narrow(self, user):
        return self.filter(plan__case__in=Case.objects.visible_to(user))


class SafetyPlanFactor(TimeStampedModel):
    """A risk or a protective factor of a safety plan."""

    force_path = "plan__case__force_id"

    class Kind(models.TextChoices):
        RISK = "risk", "Risk"
        PROTECTIVE = "protective", "Protective factor"

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="factors")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.CharField(max_length=500)

    objects = ReadWithItsPlan.as_manager()

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk} of safety plan {self.plan_id}"


class SafetyPlanStep(TimeStampedModel):
    """Who does what, against a risk (to reduce it) or a protective factor (to build on it)."""

    force_path = "plan__case__force_id"

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="steps")
    factor = models.ForeignKey(SafetyPlanFactor, on_delete=models.CASCADE, related_name="steps")
    who = models.CharField(max_length=200)
    what = models.CharField(max_length=500)
    by_when = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    objects = ReadWithItsPlan.as_manager()

    class Meta:
        ordering = ["factor", "pk"]

    def __str__(self):
        return f"Step {self.pk} of safety plan {self.plan_id}"

    def clean(self):
        if self.factor_id and self.plan_id and self.factor.plan_id != self.plan_id:
            raise ValidationError({"factor": "Choose a risk or protective factor of this plan"})


# ---------------------------------------------------------------------------- transfers
# A hand-over is two records: the sending side's CaseTransfer, read with its case, and the
# receiving side's TransferReceipt, of the receiving force, holding only what the sender chose
# to share. Neither force ever reads the other's record: cross-force reading is the receipt.


class TransferStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the receiving side"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class CaseTransfer(TimeStampedModel):
    """The sending side's record of a hand-over of its case: to whom, what was shared, and
    the receiving side's answer. The sending case and its history stay with the sender."""

    force_path = "case__force_id"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    to_force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    to_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(help_text="Why the case moves: for example, a move to Year 7.")
    share_summary = models.BooleanField(default=False)
    share_risk = models.BooleanField(default=False)
    share_safety_plan = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)

    objects = ReadWithItsCase.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="one_pending_transfer_per_case",
            ),
            models.CheckConstraint(
                condition=Q(to_officer__isnull=False) | Q(to_team__isnull=False),
                name="transfer_has_a_receiver",
            ),
        ]

    def __str__(self):
        return f"Hand-over {self.reference}"

    @property
    def reference(self):
        return _short(self.public_id).upper()

    @property
    def receiver_display(self):
        if self.to_officer_id:
            return self.to_officer.display_name
        return f"{self.to_team.name}, {self.to_force.name}"

    def clean(self):
        errors = {}
        if not (self.to_officer_id or self.to_team_id):
            errors["to_officer"] = "Choose the officer or the team that receives the case"
        if self.to_officer_id and (
            self.to_officer.force_id != self.to_force_id
            or self.to_officer.role not in OFFICER_ROLES
            or not self.to_officer.is_active
            or not self.to_officer.team_id
        ):
            errors["to_officer"] = "Choose an active officer in a team"
        if self.to_team_id and self.to_team.force_id != self.to_force_id:
            errors["to_team"] = "Choose a team of the receiving force"
        if not (self.reason or "").strip():
            errors["reason"] = "Enter why the case is handed over"
        if errors:
            raise ValidationError(errors)


class TransferReceiptQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """The receiving officer, the receiving team's officers and its sergeant, and the
        receiving force's managers: nobody else, and never the sending side."""
        if user.role == Role.PREVENTION_MANAGER:
            return self
        if user.role in OFFICER_ROLES:
            return self.filter(
                Q(to_officer=user)
                | Q(to_team__in=Team.objects.led_by(user))
                | Q(to_team_id=user.team_id, to_team__isnull=False)
            )
        if user.role in SCHOOL_REFERRER_ROLES:
            # The new school's DSL and headteacher: only once told, and only what they were
            # told (the pages show dsl_message, and the name only if the officer shared it).
            return self.filter(
                new_school__organisation_id=user.organisation_id, dsl_told_at__isnull=False
            )
        return self.none()

    def pending(self):
        return self.filter(status=TransferStatus.PENDING)


class TransferReceipt(TimeStampedModel):
    """The receiving side's record of a hand-over: only what the sender chose to share, plus
    who the young person is (needed to work with them). It never reaches the sender's case."""

    force_path = "force_id"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    # The receiving side keeps its record when the sending side deletes its case (retention).
    transfer = models.OneToOneField(
        CaseTransfer, on_delete=models.SET_NULL, null=True, related_name="receipt"
    )
    reference = models.CharField(max_length=8, help_text="The hand-over's reference, as sent.")
    from_force_name = models.CharField(max_length=120)
    from_officer_name = models.CharField(max_length=200)
    to_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField()
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    year_group = models.CharField(max_length=4, choices=YEAR_GROUPS, blank=True)
    summary = models.TextField(blank=True)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    safety_plan_text = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="receipts"
    )
    new_school = models.ForeignKey(
        "schools.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dsl_message = models.TextField(
        "what the new school's DSL is told",
        blank=True,
        help_text="Only what the school needs to keep the young person safe.",
    )
    dsl_told_name = models.BooleanField(default=False)
    dsl_told_at = models.DateTimeField(null=True, blank=True)

    objects = TransferReceiptQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"Hand-over {self.reference}"

    def get_absolute_url(self):
        return reverse("referrals:transfer_receipt", args=[self.public_id])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"
