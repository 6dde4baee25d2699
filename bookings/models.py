"""The catalogue of safety-education sessions, providers' slots, schools' bookings and their
evaluation, the waitlist of full slots, and schools' requests for topics nobody offers yet."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import (
    Avg,
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    SCHOOL_ROLES,
    Force,
    Organisation,
    Role,
    ScopedQuerySet,
    TimeStampedModel,
    is_member_of_a_force,
)
from schools.models import School, Term

LONDON = ZoneInfo("Europe/London")

# Year groups as English schools name them; 0 is Reception.
YEAR_GROUPS = [(0, "Reception")] + [(n, f"Year {n}") for n in range(1, 14)]
YEAR_LABELS = dict(YEAR_GROUPS)
KEY_STAGES = {
    "eyfs": ("Early years (Reception)", (0,)),
    "ks1": ("Key stage 1 (Years 1 and 2)", (1, 2)),
    "ks2": ("Key stage 2 (Years 3 to 6)", (3, 4, 5, 6)),
    "ks3": ("Key stage 3 (Years 7 to 9)", (7, 8, 9)),
    "ks4": ("Key stage 4 (Years 10 and 11)", (10, 11)),
    "ks5": ("Key stage 5 (Years 12 and 13)", (12, 13)),
}

DEFAULT_TOPICS = [
    "Weapons and knife crime",
    "Child criminal and sexual exploitation",
    "County lines",
    "Online safety and sexting",
    "Drugs and alcohol",
    "Anti-social behaviour",
    "Hate crime",
    "Healthy relationships",
    "Personal safety",
    "Road and rail safety",
]


def pack_codes(values) -> str:
    """Store a list of codes as ",a,b," so one `contains` lookup finds a code on any database."""
    values = [str(v) for v in values]
    return f",{','.join(values)}," if values else ""


def unpack_codes(text: str) -> list[str]:
    return [v for v in (text or "").split(",") if v]


def year_groups_label(text: str) -> str:
    """Return "Years 7, 8 and 9" (or "Reception and Year 1") for packed year groups."""
    years = [int(v) for v in unpack_codes(text)]
    if not years:
        return "Any year group"
    names = [YEAR_LABELS[y] for y in sorted(years)]
    if len(names) == 1:
        return names[0]
    numbers = [y for y in sorted(years) if y]
    if 0 not in years:
        return "Years " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"
    return ", ".join(names[:-1]) + f" and {names[-1]}"


class ReadByTheForce(ScopedQuerySet):
    """The catalogue (topics, sessions, their dates): everyone of the force may browse it."""

    def narrow(self, user):
        return self


class ReadBySchoolAndProvider(ScopedQuerySet):
    """A school's bookings, waitlist places and date requests: the police side (coordinators
    among them) sees the force's, a partner those of its own sessions, school staff their
    school's."""

    provider_path = "slot__session__provider_id"

    def narrow(self, user):
        if user.is_police_side:
            return self
        if user.role == Role.PARTNER:
            return self.filter(**{self.provider_path: user.organisation_id})
        if user.role in SCHOOL_ROLES:
            return self.filter(school__organisation_id=user.organisation_id)
        return self.none()


class TopicQuerySet(ReadByTheForce):
    pass


class Topic(TimeStampedModel):
    """A subject of safety education; each force starts with the common ones and adds its own."""

    force_path = "force_id"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="booking_topics")
    name = models.CharField(max_length=120)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="bookings_topic_unique_name")
        ]

    def __str__(self):
        return self.name

    @classmethod
    def install_defaults(cls, force) -> int:
        """Give a force the common topics it does not have yet; return how many were added."""
        have = set(cls.objects.filter(force=force).values_list("name", flat=True))
        new = [cls(force=force, name=name) for name in DEFAULT_TOPICS if name not in have]
        cls.objects.bulk_create(new)
        return len(new)


RULE_FIELDS = ("min_notice_days", "buffer_minutes", "max_dates_per_day", "term_time_only")


@dataclass(frozen=True)
class BookingRules:
    """A set of booking rules (#23.4): a provider's defaults, or a session's own."""

    min_notice_days: int = 0
    buffer_minutes: int = 0
    max_dates_per_day: int | None = None
    term_time_only: bool = False

    @classmethod
    def of(cls, holder) -> "BookingRules":
        """The rules stored on a Session or a ProviderRules row."""
        return cls(**{name: getattr(holder, name) for name in RULE_FIELDS})

    @property
    def any(self) -> bool:
        return bool(
            self.min_notice_days
            or self.buffer_minutes
            or self.max_dates_per_day
            or self.term_time_only
        )

    def text(self) -> list[str]:
        """The rules in plain English."""
        rules = []
        if self.min_notice_days:
            rules.append(f"Book at least {self.min_notice_days} days ahead.")
        if self.term_time_only:
            rules.append("Dates in school term time only.")
        if self.buffer_minutes:
            rules.append(f"A deliverer needs {self.buffer_minutes} minutes between two dates.")
        if self.max_dates_per_day:
            rules.append(f"A deliverer takes at most {self.max_dates_per_day} dates a day.")
        return rules

    def summary(self) -> str:
        """The rules on one line: "Book at least 7 days ahead. Dates in ...", or "None"."""
        return " ".join(self.text()) or "No booking rules."


class RuleFields(models.Model):
    """The four booking rules' columns: of a provider (ProviderRules), or a session's own."""

    min_notice_days = models.PositiveSmallIntegerField(
        default=0, help_text="No booking of a date fewer than this many days ahead; 0 is none."
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="Minutes a deliverer needs between two dates; 0 is none."
    )
    max_dates_per_day = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The most dates a deliverer takes in a day; empty is any."
    )
    term_time_only = models.BooleanField(
        default=False, help_text="Dates only in the force's school terms."
    )

    class Meta:
        abstract = True


def max_dates_rule(name):
    """The check that a most-dates-a-day rule is empty (any) or at least 1."""
    return models.CheckConstraint(
        condition=Q(max_dates_per_day__isnull=True) | Q(max_dates_per_day__gte=1), name=name
    )


class ProviderRulesQuerySet(ReadByTheForce):
    def by_provider(self, providers) -> dict:
        """{provider id: its BookingRules} for these providers (none for one without), in
        one query."""
        saved = {r.provider_id: BookingRules.of(r) for r in self.filter(provider__in=providers)}
        return {p.pk: saved.get(p.pk, BookingRules()) for p in providers}


class ProviderRules(RuleFields, TimeStampedModel):
    """The booking rules a provider sets once for all its sessions; a session that sets its
    own (Session.own_rules) keeps those instead."""

    force_path = "provider__force_id"

    provider = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="booking_rules"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProviderRulesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "provider booking rules"
        constraints = [
            max_dates_rule("bookings_provider_rules_max_dates_per_day"),
        ]

    def __str__(self):
        return f"Booking rules of {self.provider}"

    @staticmethod
    def of(provider) -> BookingRules:
        """The provider's default rules; none when it has not set any (one query at most,
        none when `provider__booking_rules` was selected with the session)."""
        try:
            return BookingRules.of(provider.booking_rules)
        except ObjectDoesNotExist:
            return BookingRules()


class SessionQuerySet(ReadByTheForce):
    def managed_by(self, user):
        """Return the sessions this user may change: the force's for coordinators, else their own."""
        if not is_member_of_a_force(user):
            return self.none()
        if user.role == Role.COORDINATOR:
            return self.in_force(user.force_id)
        if user.role == Role.PARTNER:
            return self.filter(provider_id=user.organisation_id)
        return self.none()

    def active(self):
        return self.filter(active=True)

    def offering(self, slots):
        """Return the sessions with one of these dates (a Slot queryset)."""
        return self.filter(Exists(slots.filter(session=OuterRef("pk"))))

    def with_evaluation_scores(self):
        """Annotate `evaluation_average` (usefulness out of 5) and `evaluation_count`: the
        shared evaluation of each session's delivered dates, in two correlated subqueries."""
        rated = (
            Evaluation.objects.filter(
                booking__slot__session=OuterRef("pk"), delivered=True, usefulness__isnull=False
            )
            .order_by()
            .values("booking__slot__session")
        )
        return self.annotate(
            evaluation_average=Subquery(rated.annotate(v=Avg("usefulness")).values("v")),
            evaluation_count=Coalesce(
                Subquery(rated.annotate(n=Count("pk")).values("n")),
                Value(0),
                output_field=IntegerField(),
            ),
        )

    def with_next_dates(self, slots, *, shown=3):
        """Annotate `next_start` and prefetch `next_slots`: the first of these dates of each."""
        slots = slots.order_by("starts_at")
        return self.annotate(
            next_start=Subquery(slots.filter(session=OuterRef("pk")).values("starts_at")[:1])
        ).prefetch_related(Prefetch("slots", queryset=slots[:shown], to_attr="next_slots"))

    def suggested_first(self, school, tier):
        """Order the school's suggestions first (`recommended` 1): the sessions aimed at its
        tier, and for a Universal or unassessed school the force's priority inputs; then by
        the next date. Readers who are not school staff (school None) get no suggestions."""
        recommended = Value(0)
        if school is not None:
            wanted = Q(target_tiers__contains=f",{tier.key},") if tier is not None else Q()
            if tier is None or tier.rank == 1:
                wanted = (wanted | Q(is_priority=True)) if wanted else Q(is_priority=True)
            recommended = Case(
                When(wanted, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        return self.annotate(recommended=recommended).order_by(
            "-recommended", "next_start", "title", "pk"
        )


class Session(RuleFields, TimeStampedModel):
    """A safety-education session a provider offers: what, for whom, how long, how many, cost."""

    force_path = "force_id"

    class Format(models.TextChoices):
        ASSEMBLY = "assembly", "Assembly"
        CLASSROOM = "classroom", "Classroom lesson"
        SMALL_GROUP = "small_group", "Small group"
        PARENTS = "parents", "Parents' session"
        STAFF = "staff", "Staff briefing"

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="booking_sessions")
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="booking_sessions"
    )
    title = models.CharField(max_length=150)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="sessions")
    year_groups = models.CharField(max_length=60, help_text="Packed year groups, ',7,8,9,'.")
    format = models.CharField(max_length=20, choices=Format.choices)
    length_minutes = models.PositiveSmallIntegerField()
    capacity = models.PositiveSmallIntegerField(help_text="The most pupils in one delivery.")
    cost_pence = models.PositiveIntegerField(default=0, help_text="Per delivery; 0 is free.")
    description = models.TextField()
    school_provides = models.TextField(blank=True)
    target_tiers = models.CharField(
        max_length=200, blank=True, help_text="Packed tier keys, ',enhanced,complex,'."
    )
    is_priority = models.BooleanField(
        default=False, help_text="One of the force's priority inputs, offered first."
    )
    needs_provider_acceptance = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    # Booking rules (#23.4): the provider's (ProviderRules), unless the session sets its own
    # (then the RuleFields columns are the session's rules).
    own_rules = models.BooleanField(
        default=False,
        help_text="The session keeps its own booking rules instead of its provider's.",
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(length_minutes__gte=5) & Q(length_minutes__lte=600),
                name="bookings_session_length",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="bookings_session_capacity"),
            max_dates_rule("bookings_session_max_dates_per_day"),
        ]
        indexes = [models.Index(fields=["force", "active"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bookings:session_detail", args=[self.pk])

    @property
    def is_free(self):
        return self.cost_pence == 0

    @property
    def cost_text(self):
        if self.is_free:
            return "Free"
        pounds, pence = divmod(self.cost_pence, 100)
        return f"£{pounds:,}.{pence:02d} a session" if pence else f"£{pounds:,} a session"

    @property
    def year_groups_text(self):
        return year_groups_label(self.year_groups)

    @property
    def year_group_list(self) -> list[int]:
        return [int(v) for v in unpack_codes(self.year_groups)]

    @property
    def tier_list(self) -> list[str]:
        return unpack_codes(self.target_tiers)

    @property
    def rules(self) -> "BookingRules":
        """The booking rules in force for this session: its own when it sets them, else its
        provider's defaults (none if the provider has set none)."""
        if self.own_rules:
            return BookingRules.of(self)
        return ProviderRules.of(self.provider)

    @property
    def has_rules(self):
        return self.rules.any

    def rules_text(self) -> list[str]:
        """The booking rules in force, in plain English, for the catalogue and session page."""
        return self.rules.text()

    def deliverer_choices(self):
        """The people who may deliver the session: the partner's staff, or for a police
        session the force's officers and coordinators (a User queryset)."""
        return deliverers_of(self.provider)


def deliverers_of(provider):
    """The active people of a provider who can deliver its sessions: its partner staff, or
    for the force's police the officers and education coordinators of the force."""
    from accounts.models import OFFICER_ROLES, User

    people = User.objects.filter(is_active=True)
    if provider.kind == Organisation.Kind.POLICE:
        return people.filter(
            organisation__force_id=provider.force_id,
            role__in=[*OFFICER_ROLES, Role.COORDINATOR],
        ).order_by("full_name", "pk")
    return people.filter(organisation=provider, role=Role.PARTNER).order_by("full_name", "pk")


class SlotQuerySet(ReadByTheForce):
    def upcoming(self, *, now=None):
        return self.filter(starts_at__gt=now or timezone.now())

    def with_room(self):
        return self.filter(places_taken__lt=F("capacity") - F("places_held"))

    def offered_between(self, start, end, *, now=None):
        """The dates of the catalogue's sessions (active today) starting on the days from
        `start` to `end` (up to now): the education dashboard's "dates in the period" and the
        list of dates behind it."""
        first, last = day_bounds(start, end, now=now)
        return self.filter(session__active=True, starts_at__gte=first, starts_at__lte=last)

    def open(self, *, now=None):
        """Return the future slots with a place anyone may book now."""
        return self.upcoming(now=now).with_room()

    def for_case_input(self, *, now):
        """The open dates of active sessions in the next 120 days, soonest first: what an
        officer may book as a targeted input from a case."""
        return (
            self.filter(session__active=True, starts_at__lte=now + datetime.timedelta(days=120))
            .open(now=now)
            .select_related("session__provider")
            .order_by("starts_at", "pk")
        )

    def in_term(self, force):
        """Return the slots on a day inside one of the force's terms, leaving out the holidays.

        A force with no term dates yet has no holidays to leave out, so nothing is removed.
        """
        terms = Term.objects.filter(force=force)
        return self.annotate(local_day=TruncDate("starts_at", tzinfo=LONDON)).filter(
            Exists(
                terms.filter(
                    starts_on__lte=OuterRef("local_day"), ends_on__gte=OuterRef("local_day")
                )
            )
            | ~Exists(terms)
        )

    def nearest_to(self, moment: datetime.datetime):
        """Order the slots by how far they start from `moment`, before or after; earlier first on a tie."""
        moment = Value(moment, output_field=DateTimeField())
        return self.annotate(
            distance=Greatest(F("starts_at") - moment, moment - F("starts_at"))
        ).order_by("distance", "starts_at", "pk")


class Slot(TimeStampedModel):
    """A date and time a provider can deliver a session, with a number of places (schools)."""

    force_path = "session__force_id"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    deliverer = models.CharField(
        max_length=150,
        blank=True,
        help_text="A label kept from before deliverers were people; shown when no person is set.",
    )
    deliverer_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions_to_deliver",
        help_text="The person of the provider who delivers this date.",
    )
    capacity = models.PositiveSmallIntegerField(
        default=1, help_text="How many schools (or groups) can book this date."
    )
    places_taken = models.PositiveSmallIntegerField(default=0, editable=False)
    places_held = models.PositiveSmallIntegerField(
        default=0, editable=False, help_text="Places offered to the waitlist, not yet taken."
    )

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(places_taken__gte=0)
                & Q(places_held__gte=0)
                & Q(places_taken__lte=F("capacity") - F("places_held")),
                name="bookings_slot_never_overbooked",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="bookings_slot_capacity"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="bookings_slot_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["session", "starts_at"]),
            # The bookings lists walk slots by date from now (upcoming) or back from now (past).
            models.Index(fields=["starts_at"], name="bookings_slot_starts_idx"),
            # The bookings delivered in a period (the bookings list behind a dashboard figure,
            # and the figure): by the day the session ended.
            models.Index(fields=["ends_at"], name="bookings_slot_ends_idx"),
        ]

    def __str__(self):
        return f"{self.session} on {self.local_start:%-d %B %Y at %H:%M}"

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, LONDON)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, LONDON)

    @property
    def places_left(self):
        return max(self.capacity - self.places_taken - self.places_held, 0)

    @property
    def is_full(self):
        return self.places_left == 0

    @property
    def deliverer_name(self):
        """Who delivers: the person, else the old free-text label, else empty."""
        if self.deliverer_person_id:
            return self.deliverer_person.display_name
        return self.deliverer

    def clean(self):
        """The provider's rules: term time, and the deliverer's buffer and dates a day."""
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The end time must be after the start time."})
        session = self.session
        if self.starts_at and session.rules.term_time_only:
            day = timezone.localtime(self.starts_at, LONDON).date()
            terms = Term.objects.filter(force_id=session.force_id)
            if terms.exists() and not terms.filter(starts_on__lte=day, ends_on__gte=day).exists():
                raise ValidationError(
                    {
                        "starts_at": f"{day:%-d %B %Y} is in a school holiday: this session is "
                        "delivered in term time only."
                    }
                )
        if self.deliverer_person_id and self.starts_at and self.ends_at:
            check_deliverer_free(self)

    @staticmethod
    def local_datetime(day: datetime.date, time: datetime.time) -> datetime.datetime:
        """Return the aware datetime of a wall-clock time in the UK on `day`."""
        return datetime.datetime.combine(day, time, tzinfo=LONDON)


def check_cohort(session, *, year_groups, pupils) -> None:
    """A cohort names its year groups and fits the session: the rule of every booking, place
    on a waitlist and date asked for (their clean() methods call it)."""
    if not year_groups:
        raise ValidationError({"year_groups": "Choose the year groups taking part."})
    if pupils is None or pupils < 1:
        raise ValidationError({"pupils": "Enter how many pupils will take part."})
    if pupils > session.capacity:
        raise ValidationError(
            {"pupils": f"This session takes at most {session.capacity} pupils at a time."}
        )


class Cohort(models.Model):
    """Who takes part: year groups, a number of pupils and their needs. A booking's, a place
    on a waitlist's and a date request's, each checked against its session (check_cohort)."""

    year_groups = models.CharField(max_length=60)
    pupils = models.PositiveSmallIntegerField()
    needs = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def cohort_session(self):
        return self.slot.session

    def clean(self):
        check_cohort(self.cohort_session, year_groups=self.year_groups, pupils=self.pupils)

    @property
    def year_groups_text(self):
        return year_groups_label(self.year_groups)

    @property
    def year_group_list(self) -> list[int]:
        return [int(v) for v in unpack_codes(self.year_groups)]


def check_deliverer_free(slot) -> None:
    """Refuse a date that breaks its session's buffer or dates-a-day rule (the session's own,
    else its provider's) for its deliverer (counted over every session the person delivers)."""
    rules = slot.session.rules
    others = Slot.objects.filter(deliverer_person_id=slot.deliverer_person_id)
    if slot.pk:
        others = others.exclude(pk=slot.pk)
    name = slot.deliverer_person.display_name
    gap = datetime.timedelta(minutes=rules.buffer_minutes)
    clash = others.filter(starts_at__lt=slot.ends_at + gap, ends_at__gt=slot.starts_at - gap)
    if clash.exists():
        if rules.buffer_minutes:
            message = (
                f"{name} needs {rules.buffer_minutes} minutes between two dates, "
                "and has another date too close to this one."
            )
        else:
            message = f"{name} is already delivering another session at that time."
        raise ValidationError({"deliverer_person": message})
    if rules.max_dates_per_day:
        day = timezone.localtime(slot.starts_at, LONDON).date()
        first = Slot.local_datetime(day, datetime.time.min)
        that_day = others.filter(
            starts_at__gte=first, starts_at__lt=first + datetime.timedelta(days=1)
        ).count()
        if that_day >= rules.max_dates_per_day:
            raise ValidationError(
                {
                    "deliverer_person": f"{name} already has {that_day} dates on "
                    f"{day:%-d %B %Y}: this session allows at most "
                    f"{rules.max_dates_per_day} a day."
                }
            )


def day_bounds(start, end, *, now=None):
    """Return the first and last moments of the days from `start` to `end`, the last no later
    than now: the period of a dashboard and of the lists behind its figures."""
    zone = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), zone)
    last = timezone.make_aware(datetime.datetime.combine(end, datetime.time.max), zone)
    return first, min(last, now or timezone.now())


def schools_reached_between(schools, start, end, *, now=None):
    """The `schools` at which a session of their own force was delivered on the days from
    `start` to `end` (BookingQuerySet.delivered_between): the dashboards' "schools reached"
    and the school list's "Reached by a session" filter."""
    delivered = Booking.objects.filter(
        school=OuterRef("pk"), slot__session__force_id=OuterRef("force_id")
    ).delivered_between(start, end, now=now)
    return schools.filter(Exists(delivered))


def filter_schools_reached(schools, value, *, since, until):
    """The school list's "Reached by a session" filter (schools.panels.ListFilter)."""
    return schools_reached_between(schools, since, until) if value == "yes" else schools


REACHED_CHOICES = [("yes", "Reached in the period")]


class BookingQuerySet(ReadBySchoolAndProvider):
    def active(self):
        return self.filter(status__in=Booking.ACTIVE_STATUSES)

    def pending(self):
        return self.filter(status=Booking.Status.PENDING)

    def upcoming(self, *, now=None):
        return self.filter(slot__starts_at__gt=now or timezone.now())

    def taken_place(self, *, now=None):
        """Confirmed bookings whose session has started."""
        return self.filter(
            status=Booking.Status.CONFIRMED, slot__starts_at__lte=now or timezone.now()
        )

    def called_off(self):
        """Bookings cancelled by either side or declined by the provider."""
        return self.filter(status__in=[Booking.Status.CANCELLED, Booking.Status.DECLINED])

    def at_open_schools(self):
        """Bookings of schools still open (the schools a dashboard counts)."""
        return self.exclude(school__status=School.Status.CLOSED)

    def ended_between(self, start, end, *, now=None):
        """Confirmed bookings whose session ended on the days from `start` to `end` (dates;
        up to now), unless the school said it did not take place: the delivered ones and
        the no-shows together (the education dashboard counts both in one query)."""
        first, last = day_bounds(start, end, now=now)
        return self.filter(
            status=Booking.Status.CONFIRMED, slot__ends_at__gte=first, slot__ends_at__lte=last
        ).exclude(evaluation__delivered=False)

    def delivered_between(self, start, end, *, now=None):
        """Those ended in the period (ended_between) that the provider did not mark as not
        having happened: what the dashboards count as delivered, and the bookings list's
        "delivered" view lists."""
        return self.ended_between(start, end, now=now).exclude(outcome__in=Booking.NOT_HAPPENED)

    def no_shows_between(self, start, end, *, now=None):
        """Those ended in the period (ended_between) that the provider marked "school
        absent": the dashboards' no-shows and the list behind them."""
        return self.ended_between(start, end, now=now).filter(outcome=Booking.Outcome.NO_SHOW)

    def awaiting_outcome(self, *, now=None):
        """Confirmed bookings whose session has ended and whose provider has not yet said
        whether it happened."""
        return self.filter(
            status=Booking.Status.CONFIRMED,
            slot__ends_at__lte=now or timezone.now(),
            outcome="",
        )

    def awaiting_evaluation(self, *, now=None):
        """The sessions the school is asked to evaluate: those its provider marked delivered."""
        return self.filter(
            status=Booking.Status.CONFIRMED,
            outcome=Booking.Outcome.DELIVERED,
            slot__ends_at__lte=now or timezone.now(),
            evaluation__isnull=True,
        )


class Booking(Cohort, TimeStampedModel):
    """A school's place on a slot, for a cohort; made by its booking lead, or by a
    coordinator on the school's behalf (then the school's booking lead is its `lead`)."""

    force_path = "school__force_id"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the provider"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    class Outcome(models.TextChoices):
        """Did it happen: the provider says so once the date has passed."""

        DELIVERED = "delivered", "Delivered"
        NO_SHOW = "no_show", "School absent (no-show)"
        CANCELLED_ON_DAY = "cancelled_on_day", "Cancelled on the day"

    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED)
    NOT_HAPPENED = (Outcome.NO_SHOW, Outcome.CANCELLED_ON_DAY)

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="bookings")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings_made"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings_led",
        help_text="The school's booking lead: who is told, and who evaluates. The booker, "
        "unless a coordinator booked on the school's behalf.",
    )
    lead_seen_at = models.DateTimeField(
        null=True, blank=True, help_text="When the lead opened a booking made on their behalf."
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(blank=True, help_text="Why it was declined or cancelled.")
    decided_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sequence = models.PositiveIntegerField(
        default=0, help_text="Raised at each change, so calendar apps update the event."
    )
    case = models.ForeignKey(
        "referrals.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="education_bookings",
        help_text="The referral case this targeted input serves; the provider is never told "
        "who the pupil is.",
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "school"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="bookings_one_active_booking_per_school_and_slot",
            ),
            models.CheckConstraint(condition=Q(pupils__gte=1), name="bookings_booking_pupils"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "confirmed"]) | ~Q(reason=""),
                name="bookings_booking_ended_with_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(status="confirmed"),
                name="bookings_outcome_of_a_confirmed_booking",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status"]),
            # A school's bookings by slot (the school page, the lists' counts per force).
            models.Index(fields=["school", "slot"], name="bookings_school_slot_idx"),
        ]

    def __str__(self):
        return f"{self.slot.session} for {self.school}"

    def get_absolute_url(self):
        return reverse("bookings:booking_detail", args=[self.pk])

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_targeted(self):
        """A targeted input booked from a referral case: shown to the provider as such,
        never with the pupil's name."""
        return self.case_id is not None

    @property
    def booked_on_behalf(self):
        """True when someone outside the school (a coordinator) made the booking for it."""
        return self.lead_id != self.booked_by_id

    @property
    def did_not_happen(self):
        return self.outcome in self.NOT_HAPPENED

    def has_started(self, *, now=None):
        return self.slot.starts_at <= (now or timezone.now())

    def has_ended(self, *, now=None):
        return self.slot.ends_at <= (now or timezone.now())


class ProposalQuerySet(ReadBySchoolAndProvider):
    provider_path = "session__provider_id"

    def open(self):
        return self.filter(status__in=[DateProposal.Status.PROPOSED, DateProposal.Status.OFFERED])


class DateProposal(Cohort, TimeStampedModel):
    """A school asks for a session on a date it chooses; the provider accepts it (a date and a
    booking are made), declines it, or offers another date the school accepts or declines."""

    force_path = "school__force_id"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for the provider"
        OFFERED = "offered", "Another date offered"
        ACCEPTED = "accepted", "Booked"
        DECLINED = "declined", "Declined"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="proposals")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="date_proposals")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    offered_starts_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    note = models.TextField(blank=True, help_text="The provider's note with a decline or offer.")
    answered_at = models.DateTimeField(null=True, blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="from_proposal"
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offered_starts_at__isnull=False),
                name="bookings_offer_names_a_date",
            ),
            models.CheckConstraint(condition=Q(pupils__gte=1), name="bookings_proposal_pupils"),
        ]

    def __str__(self):
        return f"{self.school} asks for {self.session}"

    def get_absolute_url(self):
        return reverse("bookings:proposal_detail", args=[self.pk])

    @property
    def cohort_session(self):
        return self.session

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, LONDON)

    @property
    def local_offered_start(self):
        return (
            timezone.localtime(self.offered_starts_at, LONDON) if self.offered_starts_at else None
        )


class WaitlistQuerySet(ReadBySchoolAndProvider):
    def waiting(self):
        return self.filter(status=WaitlistEntry.Status.WAITING)

    def offered(self):
        return self.filter(status=WaitlistEntry.Status.OFFERED)


class WaitlistEntry(Cohort, TimeStampedModel):
    """A school waiting for a place on a full slot; the first in line is offered a freed place."""

    force_path = "school__force_id"
    OFFER_LASTS = datetime.timedelta(hours=48)

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Place offered"
        ACCEPTED = "accepted", "Place taken"
        EXPIRED = "expired", "Offer expired"
        LEFT = "left", "Left the waitlist"

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="waitlist")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="waitlist_entries")
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="from_waitlist"
    )

    objects = WaitlistQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "school"],
                condition=Q(status__in=["waiting", "offered"]),
                name="bookings_one_open_waitlist_entry_per_school",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="bookings_offer_has_an_expiry",
            ),
        ]

    def __str__(self):
        return f"{self.school} waiting for {self.slot}"

    @property
    def is_open(self):
        return self.status in {self.Status.WAITING, self.Status.OFFERED}


class DemandQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """The police side sees the force's requests; school staff their school's."""
        if user.is_police_side:
            return self
        if user.role in SCHOOL_ROLES:
            # An officer's request for a referred pupil stays on the police side.
            return self.filter(school__organisation_id=user.organisation_id, case__isnull=True)
        return self.none()

    def requested_between(self, start, end, *, now=None):
        first, last = day_bounds(start, end, now=now)
        return self.filter(created__gte=first, created__lte=last)

    def about_topic(self, topic):
        """Requests for a topic of the catalogue (an id), or for one not listed ("none")."""
        if topic == "none":
            return self.filter(topic__isnull=True)
        return self.filter(topic_id=topic)


class DemandRequest(TimeStampedModel):
    """A school asking for a topic or cohort nobody offers yet."""

    force_path = "school__force_id"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="demand_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="demand_requests"
    )
    other_topic = models.CharField(max_length=150, blank=True)
    year_groups = models.CharField(max_length=60)
    pupils = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    case = models.ForeignKey(
        "referrals.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="education_requests",
        help_text="The referral case an officer asked for this targeted input for.",
    )

    objects = DemandQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False) | ~Q(other_topic=""),
                name="bookings_demand_names_a_topic",
            )
        ]

    def __str__(self):
        return f"{self.school} asks for {self.topic_name}"

    @property
    def topic_name(self):
        return self.topic.name if self.topic_id else self.other_topic

    @property
    def year_groups_text(self):
        return year_groups_label(self.year_groups)


class EvaluationQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """The shared evaluation: every partner of the force, its coordinators and managers
        read the force's evaluations (scores and comments, which never name a pupil; the
        provider's answers too); school staff their school's."""
        if user.role in {Role.COORDINATOR, Role.PREVENTION_MANAGER, Role.PARTNER}:
            return self
        if user.role in SCHOOL_ROLES:
            return self.filter(booking__school__organisation_id=user.organisation_id)
        return self.none()


class Evaluation(TimeStampedModel):
    """The booking lead's view of a delivered session, and optionally pupils' confidence."""

    force_path = "booking__school__force_id"

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="evaluation")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    delivered = models.BooleanField()
    suitable_for_age = models.BooleanField(null=True, blank=True)
    usefulness = models.PositiveSmallIntegerField(null=True, blank=True)
    what_changed = models.TextField(blank=True)
    comment = models.TextField(blank=True)
    confidence_before = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    confidence_after = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    reply = models.TextField(blank=True, help_text="The provider's answer to the comments.")
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(usefulness__isnull=True)
                | (Q(usefulness__gte=1) & Q(usefulness__lte=5)),
                name="bookings_usefulness_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(delivered=False) | Q(usefulness__isnull=False),
                name="bookings_delivered_session_rated",
            ),
            models.CheckConstraint(
                condition=(
                    Q(confidence_before__isnull=True)
                    | (Q(confidence_before__gte=1) & Q(confidence_before__lte=5))
                )
                & (
                    Q(confidence_after__isnull=True)
                    | (Q(confidence_after__gte=1) & Q(confidence_after__lte=5))
                ),
                name="bookings_confidence_1_to_5",
            ),
        ]

    def __str__(self):
        return f"Evaluation of {self.booking}"


class ReminderSent(models.Model):
    """A reminder email sent for a booking: one of each kind, however often the job runs."""

    force_path = "booking__school__force_id"

    class Kind(models.TextChoices):
        WEEK = "week", "A week before"
        DAY = "day", "A day before"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField(help_text="The start the reminder announced.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "starts_at"], name="bookings_reminder_sent_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {self.booking}"


class CalendarFeedQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Coordinators see the force's providers' feeds; a partner its own; a deliverer
        their own personal feed."""
        if user.role == Role.COORDINATOR:
            return self.filter(Q(person__isnull=True) | Q(person=user))
        if user.role == Role.PARTNER:
            return self.filter(
                Q(provider_id=user.organisation_id, person__isnull=True) | Q(person=user)
            )
        return self.filter(person=user)


class CalendarFeed(TimeStampedModel):
    """A secret calendar address, of a provider's dates or of one deliverer's own (`person`);
    only a hash of its token is stored."""

    force_path = "provider__force_id"

    provider = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="booking_calendar_feeds"
    )
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delivery_calendar_feed",
        help_text="A deliverer's own feed of the dates they deliver; empty for a provider's.",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["provider"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider"],
                condition=Q(person__isnull=True),
                name="bookings_one_feed_per_provider",
            )
        ]

    def __str__(self):
        return f"Calendar of {self.person or self.provider}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)
