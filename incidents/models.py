"""Incidents a school reports to its police under the joint protocol, and the protocol itself.

An incident names pupils, so it is need-to-know like casework: the school's headteacher and
designated leads see their own school's reports, police officers their force's, nobody else
any. It is addressed by a random public id and prints as "Incident 1A2B3C4D", never by a
pupil's name, so that nothing that names a child reaches a URL, an audit entry or an email.
"""

import datetime
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    POLICE_ROLES,
    SCHOOL_REFERRER_ROLES,
    SCHOOL_ROLES,
    Force,
    Role,
    ScopedQuerySet,
    Team,
    TimeStampedModel,
)
from schools.models import NamedContact, School

# The needs assessment counts reports a week averaged over six months: 26 weeks.
SIX_MONTHS = datetime.timedelta(weeks=26)
WEEKS_IN_SIX_MONTHS = 26

YEAR_GROUPS = [("R", "Reception"), *[(str(n), f"Year {n}") for n in range(1, 14)]]


def _short(public_id) -> str:
    return str(public_id).split("-")[0].upper()


# ---------------------------------------------------------------------------- the protocol


class IncidentKindQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Everyone of the force reads the kinds: school staff choose from them."""
        return self

    def active(self):
        return self.filter(is_active=True)


class IncidentKind(TimeStampedModel):
    """A kind of incident schools report: one of the protocol's, or an "other" kind the force
    agreed with its schools. Kept as data: each force words and extends its own."""

    force_path = "force_id"

    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="incident_kinds")
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    in_protocol = models.BooleanField(
        default=False, help_text="One of the kinds the joint protocol says staff always report."
    )
    is_urgent = models.BooleanField(
        default=False,
        help_text="The reporter is told to call 999 or the control room now, as well as reporting.",
    )
    is_active = models.BooleanField(default=True, help_text="Offered to schools reporting.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = IncidentKindQuerySet.as_manager()

    class Meta:
        ordering = ["force", "-in_protocol", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "key"], name="incident_kind_key_unique"),
        ]

    def __str__(self):
        return self.name


class ReadWithItsKind(ScopedQuerySet):
    """A kind's protocol steps, read by whoever may read the kind."""

    def narrow(self, user):
        return self.filter(kind__in=IncidentKind.objects.visible_to(user))


class ProtocolStep(models.Model):
    """One step the partnership agreed for a kind of incident, in the force's words."""

    force_path = "kind__force_id"

    kind = models.ForeignKey(IncidentKind, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(max_length=1000)

    objects = ReadWithItsKind.as_manager()

    class Meta:
        ordering = ["kind", "order", "pk"]

    def __str__(self):
        return f"Step {self.order} of {self.kind}"


# ---------------------------------------------------------------------------- who reports


class DesignatedLeadQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """A headteacher sees their own school's designations; nobody else needs them."""
        if user.role == Role.HEADTEACHER:
            return self.filter(school__organisation_id=user.organisation_id)
        return self.none()

    def active(self):
        return self.filter(revoked_at__isnull=True)


class DesignatedLead(TimeStampedModel):
    """A member of the school's staff the headteacher names to report incidents.

    The headteacher and the designated safeguarding lead report without being named: the
    protocol sends staff to "the headteacher or a named lead", and the DSL is the school's
    lead for safeguarding already. A headteacher names others (a deputy head, a head of year
    with a school link account) here, and may withdraw the designation."""

    force_path = "school__force_id"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="designated_leads")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="incident_designations"
    )
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DesignatedLeadQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "person"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_designation_per_person",
            ),
        ]

    def __str__(self):
        return f"Designated lead {self.person_id} at school {self.school_id}"

    def clean(self):
        if (
            self.person_id
            and self.school_id
            and (
                self.person.organisation_id != self.school.organisation_id
                or self.person.role not in SCHOOL_ROLES
            )
        ):
            raise ValidationError({"person": "Choose a member of the school's staff"})


def reports_for_school(user) -> bool:
    """True if this person may report incidents for their school and read its reports: the
    headteacher, the DSL, and staff the headteacher designated. Asked once per request."""
    if not (user.is_authenticated and user.is_active and user.role in SCHOOL_ROLES):
        return False
    if user.role in SCHOOL_REFERRER_ROLES:
        return True
    cached = getattr(user, "_designated_lead", None)
    if cached is None:
        cached = user._designated_lead = (
            DesignatedLead.objects.active()
            .filter(person=user, school__organisation_id=user.organisation_id)
            .exists()
        )
    return cached


# ---------------------------------------------------------------------------- incidents


class IncidentQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Police officers and managers: the force's sent reports. The school's headteacher
        and designated leads: their school's sent reports and their own drafts. Nobody else:
        not administrators, coordinators or partners, not school staff who were not named."""
        if user.role in POLICE_ROLES:
            return self.sent()
        if reports_for_school(user):
            return self.filter(school__organisation_id=user.organisation_id).filter(
                ~Q(status=Incident.Status.DRAFT) | Q(reported_by=user)
            )
        return self.none()

    def sent(self):
        return self.exclude(status=Incident.Status.DRAFT)

    def drafts(self):
        return self.filter(status=Incident.Status.DRAFT)

    def waiting(self):
        """Sent and not yet acknowledged."""
        return self.filter(status=Incident.Status.NEW)

    def for_school(self, school):
        return self.filter(school=school)

    def at_schools_of(self, officer, *, on=None):
        """The incidents at an officer's schools: those they are the named contact or deputy
        for today, and those of the teams they belong to or lead."""
        contacts = NamedContact.objects.current(on=on).filter(
            Q(officer=officer) | Q(deputy=officer), school=OuterRef("school")
        )
        return self.filter(Exists(contacts) | Q(school__team__in=Team.objects.led_by(officer)))

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def occurred_between(self, start, end):
        return self.filter(occurred_on__gte=start, occurred_on__lte=end)

    def in_six_months_to(self, day):
        """The reports of incidents in the 26 weeks up to and including `day`."""
        return self.sent().occurred_between(day - SIX_MONTHS + datetime.timedelta(days=1), day)

    def per_week(self, *, on=None) -> Decimal:
        """Return the reports a week, averaged over the 26 weeks to `on` (today): the needs
        assessment's "crime and disorder reports a week, averaged over six months"."""
        on = on or timezone.localdate()
        return per_week(self.in_six_months_to(on).count())

    def per_week_by_school(self, *, on=None) -> dict:
        """Return {school id: reports a week over the 26 weeks to `on`}, in one query."""
        on = on or timezone.localdate()
        counts = self.in_six_months_to(on).order_by().values("school_id").annotate(n=Count("pk"))
        return {row["school_id"]: per_week(row["n"]) for row in counts}

    def counts_by_kind(self):
        """Return [(kind name, count)] of these incidents, most first, in one query."""
        rows = (
            self.order_by()
            .values("kind__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "kind__name")
        )
        return [(row["kind__name"] or "Not given", row["n"]) for row in rows]


def per_week(count: int) -> Decimal:
    return (Decimal(count) / WEEKS_IN_SIX_MONTHS).quantize(Decimal("0.01"), ROUND_HALF_UP)


class Incident(TimeStampedModel):
    """One incident a school reported, from its draft to the officer's outcome."""

    force_path = "school__force_id"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft, not sent"
        NEW = "new", "New"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        CLOSED = "closed", "Outcome recorded"

    class Place(models.TextChoices):
        IN_SCHOOL = "in_school", "In school"
        JOURNEY = "journey", "On the way to or from school"
        OUTSIDE_IN_HOURS = "outside_in_hours", "Outside school, in school hours"

    class ParentsTold(models.TextChoices):
        YES = "yes", "Yes"
        NOT_YET = "not_yet", "Not yet"
        NOT_NEEDED = "not_needed", "No pupil is involved"

    class Outcome(models.TextChoices):
        ADVICE = "advice", "Advice given"
        CRIME_RECORDED = "crime_recorded", "Crime recorded"
        RESTORATIVE = "restorative", "Restorative informal resolution"
        REFERRED = "referred", "Referred into casework"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="incidents")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    kind = models.ForeignKey(
        IncidentKind, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    occurred_on = models.DateField("date", null=True, blank=True)
    occurred_at = models.TimeField("time", null=True, blank=True)
    place = models.CharField(max_length=20, choices=Place.choices, blank=True)
    place_detail = models.CharField("where exactly", max_length=200, blank=True)
    summary = models.TextField("what happened", max_length=3000, blank=True)
    third_party_reported = models.BooleanField(null=True, blank=True)
    third_party_detail = models.CharField(max_length=300, blank=True)
    evidence_kept = models.BooleanField(null=True, blank=True)
    evidence_detail = models.TextField(max_length=2000, blank=True)
    parents_told = models.CharField(max_length=20, choices=ParentsTold.choices, blank=True)
    parents_told_detail = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    crime_reference = models.CharField(max_length=40, blank=True)
    school_note = models.TextField(
        "note for the school", max_length=2000, blank=True, help_text="The school reads this."
    )
    police_note = models.TextField(
        "police-only note",
        max_length=4000,
        blank=True,
        help_text="Never shown to the school: intelligence and police information.",
    )
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-created", "-pk"]
        indexes = [
            models.Index(fields=["school", "status", "occurred_on"], name="incident_school_idx"),
            models.Index(fields=["status", "sent_at"], name="incident_status_idx"),
            # The list's newest-first page: walked from the newest report until 50 of the
            # reader's force are found, instead of sorting every report of the force.
            models.Index(
                fields=["-sent_at", "-id"], condition=~Q(status="draft"), name="incident_sent_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="crime_recorded") | ~Q(crime_reference=""),
                name="recorded_crime_has_reference",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(outcome=""), name="closed_incident_has_outcome"
            ),
        ]

    def __str__(self):
        return f"Incident {self.reference}"

    def get_absolute_url(self):
        return reverse("incidents:detail", args=[self.public_id])

    @property
    def reference(self):
        return _short(self.public_id)

    @property
    def force_id(self):
        return self.school.force_id

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_urgent(self):
        return bool(self.kind_id and self.kind.is_urgent)

    @property
    def status_colour(self):
        return {
            self.Status.DRAFT: "grey",
            self.Status.NEW: "red",
            self.Status.ACKNOWLEDGED: "yellow",
            self.Status.CLOSED: "green",
        }.get(self.status, "grey")

    def clean(self):
        errors = {}
        if self.occurred_on and self.occurred_on > timezone.localdate():
            errors["occurred_on"] = "The date of the incident must be today or in the past"
        if self.kind_id and self.school_id and self.kind.force_id != self.school.force_id:
            errors["kind"] = "Choose a kind of incident your force's protocol lists"
        if self.outcome == self.Outcome.CRIME_RECORDED and not self.crime_reference.strip():
            errors["crime_reference"] = "Enter the crime reference"
        if errors:
            raise ValidationError(errors)

    def missing_answers(self) -> list[tuple[str, str]]:
        """Return (step, message) for each question still to answer before sending."""
        missing = []
        if not self.kind_id:
            missing.append(("kind", "Choose what happened"))
        if not self.occurred_on:
            missing.append(("when", "Enter the date of the incident"))
        if not self.place:
            missing.append(("where", "Choose where it happened"))
        if not self.summary.strip():
            missing.append(("what", "Describe what happened"))
        if self.third_party_reported is None:
            missing.append(("third_party", "Say whether someone outside the school reported it"))
        if self.evidence_kept is None:
            missing.append(("evidence", "Say whether evidence has been kept"))
        if not self.parents_told:
            missing.append(("parents", "Say whether parents have been told"))
        return missing


class ReadWithItsIncident(ScopedQuerySet):
    """The people and exhibits of an incident, read by whoever may read the incident."""

    def narrow(self, user):
        return self.filter(incident__in=Incident.objects.visible_to(user))


class IncidentPerson(models.Model):
    """Someone involved in an incident, by their part in it."""

    force_path = "incident__school__force_id"

    class Part(models.TextChoices):
        VICTIM = "victim", "Victim"
        SUSPECT = "suspect", "Suspect"
        WITNESS = "witness", "Witness"

    class Kind(models.TextChoices):
        PUPIL = "pupil", "A pupil"
        STAFF = "staff", "A member of staff"
        OTHER = "other", "Someone else"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="people")
    part = models.CharField(max_length=10, choices=Part.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    name_not_known = models.BooleanField(default=False)
    year_group = models.CharField(max_length=4, choices=YEAR_GROUPS, blank=True)
    description = models.CharField(
        max_length=200, blank=True, help_text="For staff and others: their job or a description."
    )

    objects = ReadWithItsIncident.as_manager()

    class Meta:
        ordering = ["incident", "pk"]

    def __str__(self):
        return f"{self.get_part_display()} in incident {self.incident_id}"

    @property
    def name(self):
        if self.name_not_known or not (self.first_name or self.last_name):
            return "Name not known"
        return f"{self.first_name} {self.last_name}".strip()

    def clean(self):
        named = bool(self.first_name.strip() and self.last_name.strip())
        if self.kind == self.Kind.PUPIL:
            if self.name_not_known and (self.first_name.strip() or self.last_name.strip()):
                raise ValidationError(
                    {"name_not_known": "Enter the pupil's name or tick 'Name not known', not both"}
                )
            if not self.name_not_known and not named:
                raise ValidationError(
                    {
                        "first_name": "Enter the pupil's first and last name, or tick "
                        "'Name not known'"
                    }
                )
        elif not named and not self.description.strip() and not self.name_not_known:
            raise ValidationError(
                {"description": "Enter the person's name or a description, like 'Year 9 tutor'"}
            )


class Exhibit(models.Model):
    """Something kept as evidence, with where it is and who holds it (its continuity)."""

    force_path = "incident__school__force_id"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="exhibits")
    what = models.CharField(max_length=200)
    where_kept = models.CharField(max_length=200)
    held_by = models.CharField(max_length=150)

    objects = ReadWithItsIncident.as_manager()

    class Meta:
        ordering = ["incident", "pk"]

    def __str__(self):
        return f"Exhibit {self.pk} of incident {self.incident_id}"


# The officer's operational records (searches, restorative resolutions, arrests) live in
# records.py; imported here so that Django finds their models.
from .records import Arrest, ConsentSignature, PupilSearch, RestorativeResolution  # noqa: E402, F401
