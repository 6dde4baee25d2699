"""The officer's operational records of an incident: a search of a pupil on the premises, a
restorative informal resolution with the consents it needs, and an arrest on the premises.

They are need-to-know like casework, narrower than the incident itself: every officer of the
force reads the incident, but these records are read only by
- the officers who own the school's incidents: its named officer and the deputy who covers
  (in post today), and the sergeants of the school's team (a school with no team: the force's
  sergeants, the inbox its reports reach); and the officer who made the record;
- the force's prevention managers;
- the school's headteacher and designated safeguarding lead (not other staff, not the staff
  a headteacher named to report): they read the record and the stop-and-search copy, never
  the police-only note.
Nobody else: not other officers of the force, administrators, coordinators or partners.
"""

import datetime
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from accounts.hashing import sha256_hex
from accounts.models import (
    OFFICER_ROLES,
    SCHOOL_REFERRER_ROLES,
    AppendOnlyModel,
    Role,
    ScopedQuerySet,
    Team,
    TimeStampedModel,
)
from schools.models import NamedContact

from .models import YEAR_GROUPS, Incident, _short

# ---------------------------------------------------------------------------- who may know


def owns_school_incidents(user, school) -> bool:
    """True for the officers who own a school's incidents: its named officer or deputy today,
    and the sergeants of its team (of the force, for a school with no team)."""
    if not (user.is_authenticated and user.is_active and user.role in OFFICER_ROLES):
        return False
    if school is None or school.force_id != user.force_id:
        return False
    if (
        NamedContact.objects.current()
        .filter(Q(officer=user) | Q(deputy=user), school_id=school.pk)
        .exists()
    ):
        return True
    if user.role != Role.SERGEANT:
        return False
    return school.team_id is None or Team.objects.led_by(user).filter(pk=school.team_id).exists()


class OperationalQuerySet(ScopedQuerySet):
    """A record read through its incident's school: see the module's docstring."""

    school_path = "incident__school"
    recorder_path = "recorded_by"

    def narrow(self, user):
        school = self.school_path
        if user.role == Role.PREVENTION_MANAGER:
            return self
        if user.role in OFFICER_ROLES:
            contacts = NamedContact.objects.current().filter(
                Q(officer=user) | Q(deputy=user), school=OuterRef(school)
            )
            owns = Q(Exists(contacts)) | Q(**{self.recorder_path: user})
            if user.role == Role.SERGEANT:
                owns |= Q(**{f"{school}__team__isnull": True}) | Q(
                    **{f"{school}__team__in": Team.objects.led_by(user)}
                )
            return self.filter(owns)
        if user.role in SCHOOL_REFERRER_ROLES:
            return self.filter(**{f"{school}__organisation_id": user.organisation_id})
        return self.none()


def _not_future(day, message, errors, field):
    if day and day > timezone.localdate():
        errors[field] = message


def _when(day, time):
    if not day:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, time or datetime.time(0, 0)))


class OperationalRecord(TimeStampedModel):
    """What the three records share: their incident, an address that never names a child,
    who recorded them, and a police-only note the school never reads."""

    force_path = "incident__school__force_id"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    police_note = models.TextField(
        "police-only note",
        max_length=4000,
        blank=True,
        help_text="Never shown to the school: intelligence and police information.",
    )

    objects = OperationalQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def reference(self):
        return _short(self.public_id)


# ---------------------------------------------------------------------------- searches


class PupilSearch(OperationalRecord):
    """A search of a pupil on the school's premises: the stop-and-search record, whose copy
    is given to the pupil and filed to the school."""

    class ParentsTold(models.TextChoices):
        YES = "yes", "Yes"
        NOT_YET = "not_yet", "Not yet"

    class HowTold(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "By phone"
        MESSAGE = "message", "By message or email"

    class Outcome(models.TextChoices):
        NOTHING_FOUND = "nothing_found", "Nothing found: no further action"
        ITEM_SEIZED = "item_seized", "Item found and seized"
        ADVICE = "advice", "Item found: words of advice"
        CRIME_RECORDED = "crime_recorded", "Crime recorded"
        ARRESTED = "arrested", "Arrested"

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="searches")
    pupil_name = models.CharField("name of the pupil searched", max_length=150)
    year_group = models.CharField(max_length=4, choices=YEAR_GROUPS, blank=True)
    searched_on = models.DateField("date of the search")
    searched_at = models.TimeField("time of the search")
    place = models.CharField("where the search took place", max_length=200)
    grounds = models.TextField("grounds for the search", max_length=2000)
    object_of_search = models.CharField("what was searched for", max_length=300)
    found = models.CharField("what was found", max_length=500)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="officer who searched",
    )
    staff_present = models.CharField(
        "staff who assisted", max_length=300, help_text="Their names and roles."
    )
    parents_told = models.CharField(max_length=10, choices=ParentsTold.choices)
    parents_told_by = models.CharField("told by", max_length=150, blank=True)
    parents_told_how = models.CharField(
        "told how", max_length=10, choices=HowTold.choices, blank=True
    )
    parents_told_on = models.DateField("date parents were told", null=True, blank=True)
    parents_told_at = models.TimeField("time parents were told", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    outcome_detail = models.CharField(max_length=500, blank=True)
    given_to_pupil_at = models.DateTimeField(null=True, blank=True)
    given_to_pupil_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_with = models.CharField(
        "filed with", max_length=150, blank=True, help_text="Who at the school took the copy."
    )
    filed_at = models.DateTimeField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-searched_on", "-searched_at", "-pk"]

    def __str__(self):
        return f"Search {self.reference}"

    def get_absolute_url(self):
        return reverse("incidents:search_detail", args=[self.public_id])

    @property
    def searched(self):
        return _when(self.searched_on, self.searched_at)

    @property
    def copies_done(self):
        return bool(self.given_to_pupil_at and self.filed_at)

    def clean(self):
        errors = {}
        _not_future(
            self.searched_on, "The date of the search must be today or in the past", errors,
            "searched_on",
        )  # fmt: skip
        when = self.searched
        if "searched_on" not in errors and when and when > timezone.now():
            errors["searched_at"] = "The time of the search must be in the past"
        if self.parents_told == self.ParentsTold.YES:
            if not self.parents_told_by.strip():
                errors["parents_told_by"] = "Enter who told the parents"
            if not self.parents_told_how:
                errors["parents_told_how"] = "Choose how the parents were told"
            if not self.parents_told_on:
                errors["parents_told_on"] = "Enter the date the parents were told"
            else:
                _not_future(
                    self.parents_told_on,
                    "The date the parents were told must be today or in the past",
                    errors,
                    "parents_told_on",
                )
                told = _when(self.parents_told_on, self.parents_told_at)
                if "parents_told_on" not in errors and told > timezone.now():
                    errors["parents_told_at"] = "The time the parents were told must be in the past"
                if self.searched_on and self.parents_told_on < self.searched_on:
                    errors["parents_told_on"] = (
                        "The date the parents were told must be the day of the search or later"
                    )
        if self.officer_id and self.incident_id:
            officer = self.officer
            if officer.role not in OFFICER_ROLES or officer.force_id != self.incident.force_id:
                errors["officer"] = "Choose an officer of the school's force"
        if errors:
            raise ValidationError(errors)


# ---------------------------------------------------------------------------- resolutions

# A restorative resolution is never compensation: no money, payment or reward is asked or given.
NEVER_COMPENSATION = (
    "A restorative informal resolution is never compensation: no money, payment or reward is "
    "asked for or given. It may include an apology, putting right what was done in kind (such "
    "as cleaning or repairing), or an agreement about behaviour."
)
COMPENSATION_WORDING = re.compile(
    r"compensat|reimburs|£\s*\d|\d\s*(pounds|quid)\b|\bmoney\b|\bcash\b|\brepay|"
    r"\bpay(s|ing|ment|ments)?\b(?!\s+attention)|\bpaid\b(?!\s+attention)|\bfined\b|\ba fine\b",
    re.IGNORECASE,
)


def is_compensation(text: str) -> bool:
    """True when the text asks for or offers money: a resolution never may."""
    return bool(COMPENSATION_WORDING.search(text or ""))


COMPENSATION_MESSAGE = (
    "A restorative resolution is never compensation. Remove any payment, money or "
    "compensation from what is proposed"
)


class RestorativeResolution(OperationalRecord):
    """A restorative informal resolution: what is proposed, the recorded agreement of each
    party (a consent signature each), and its outcome. The text the parties agree is frozen
    with its SHA-256 when it is proposed; every consent records that fingerprint."""

    class Outcome(models.TextChoices):
        COMPLETED = "completed", "Completed: the resolution was carried out"
        NOT_COMPLETED = "not_completed", "Not completed: the lowest fitting legal response follows"

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="resolutions")
    proposed = models.TextField("what is proposed", max_length=3000)
    content_sha256 = models.CharField(max_length=64, editable=False)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_detail = models.TextField("what happened", max_length=2000, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"Restorative resolution {self.reference}"

    def get_absolute_url(self):
        return reverse("incidents:resolution_detail", args=[self.public_id])

    def agreed_text(self) -> str:
        """The exact text each party agrees to; its SHA-256 is kept with every consent."""
        return (
            f"Restorative informal resolution of incident {self.incident.reference} at "
            f"{self.incident.school.name}.\n\n"
            f"What is proposed:\n{self.proposed.strip()}\n\n"
            f"{NEVER_COMPENSATION}\n\n"
            "I agree to this resolution."
        )

    def fingerprint(self) -> str:
        return sha256_hex(self.agreed_text())

    def missing_consents(self, consents=None) -> list[str]:
        """The parties whose agreement is still to record (all are required)."""
        given = {c.capacity for c in (self.consents.all() if consents is None else consents)}
        return [label for value, label in ConsentSignature.Capacity.choices if value not in given]

    @property
    def status(self):
        if self.outcome:
            return self.get_outcome_display().split(":")[0]
        return "Agreed by everyone" if not self.missing_consents() else "Waiting for agreement"

    def clean(self):
        if is_compensation(self.proposed):
            raise ValidationError({"proposed": COMPENSATION_MESSAGE})


class ConsentQuerySet(OperationalQuerySet):
    school_path = "resolution__incident__school"
    recorder_path = "resolution__recorded_by"


class ConsentSignature(AppendOnlyModel):
    """One party's recorded agreement to a resolution, signed in person on the officer's
    device: the same evidence as a signature of an agreement (typed name, the confirmation,
    the time, the browser and address, and the SHA-256 of the exact text agreed)."""

    force_path = "resolution__incident__school__force_id"

    class Capacity(models.TextChoices):
        VICTIM = "victim", "The victim"
        VICTIM_PARENT = "victim_parent", "A parent or carer of the victim"
        STAFF = "staff", "A member of the school's staff"
        OFFENDER = "offender", "The pupil responsible"
        OFFENDER_PARENT = "offender_parent", "A parent or carer of the pupil responsible"

    resolution = models.ForeignKey(
        RestorativeResolution, on_delete=models.CASCADE, related_name="consents"
    )
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    signer_name = models.CharField("name of the person agreeing", max_length=150)
    typed_name = models.CharField(max_length=150)
    agreed = models.BooleanField(default=False)
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    content_sha256 = models.CharField(max_length=64)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at", "pk"]

    def __str__(self):
        return f"Consent {self.pk} to resolution {self.resolution_id}"

    def clean(self):
        errors = {}
        if not self.agreed:
            errors["agreed"] = "Tick the box to confirm you agree to the resolution"
        if _name_key(self.typed_name) != _name_key(self.signer_name):
            errors["typed_name"] = "Type your name exactly as it is written above"
        if errors:
            raise ValidationError(errors)


def _name_key(name: str) -> str:
    return " ".join((name or "").lower().split())


# ---------------------------------------------------------------------------- arrests


class Arrest(OperationalRecord):
    """An arrest on the school's premises, which the protocol keeps for serious matters."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="arrests")
    person_name = models.CharField("name of the person arrested", max_length=150)
    year_group = models.CharField(max_length=4, choices=YEAR_GROUPS, blank=True)
    arrested_on = models.DateField("date of the arrest")
    arrested_at = models.TimeField("time of the arrest")
    offence = models.CharField("offence", max_length=300)
    necessity = models.TextField("why the arrest was necessary", max_length=2000)
    why_not_wait = models.TextField("why it could not wait", max_length=2000)
    protocol_confirmed = models.BooleanField(default=False)
    head_told = models.CharField(
        "who at the school was told", max_length=150, help_text="The headteacher, or who stood in."
    )
    head_told_at = models.TimeField("time they were told")

    class Meta:
        ordering = ["-arrested_on", "-arrested_at", "-pk"]

    def __str__(self):
        return f"Arrest {self.reference}"

    def get_absolute_url(self):
        return reverse("incidents:arrest_detail", args=[self.public_id])

    def clean(self):
        errors = {}
        _not_future(
            self.arrested_on, "The date of the arrest must be today or in the past", errors,
            "arrested_on",
        )  # fmt: skip
        when = _when(self.arrested_on, self.arrested_at)
        if "arrested_on" not in errors and when and when > timezone.now():
            errors["arrested_at"] = "The time of the arrest must be in the past"
        if not self.protocol_confirmed:
            errors["protocol_confirmed"] = (
                "Confirm the matter was serious and could not wait until after school"
            )
        if errors:
            raise ValidationError(errors)
