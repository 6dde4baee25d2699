"""Forces, organisations, teams, people and their roles, invitations and the audit trail."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare


class TimeStampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def is_member_of_a_force(user) -> bool:
    """True for a signed-in, active person who belongs to a force's organisation: the one
    guard every `visible_to` starts from."""
    return bool(user.is_authenticated and user.is_active and getattr(user, "organisation_id", None))


class ScopedQuerySet(models.QuerySet):
    """The one way a user-facing list is scoped: to the reader's force, then by role.

    Each model names once how it reaches its force, as a lookup in `force_path` on the
    model (`force_path = "school__force_id"`). `visible_to(user)` keeps the records of the
    user's force and hands them to `narrow(user)`, which a model's QuerySet overrides to say
    which of them each role may read. By default the police side (police roles, the force's
    administrators and coordinators) reads all of its force's records and nobody else any.
    """

    def visible_to(self, user):
        """Return the records this user may see: never another force's."""
        if not is_member_of_a_force(user):
            return self.none()
        return self.in_force(user.force_id).narrow(user)

    def in_force(self, force_id):
        """Return the records of one force, by the model's `force_path`."""
        return self.filter(**{self.model.force_path: force_id})

    def narrow(self, user):
        """Return which of the force's records this user's role may read."""
        return self if user.is_police_side else self.none()


class ForceQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Everyone of a force may read its own force (its name, its settings)."""
        return self


class Force(TimeStampedModel):
    """A police force: the tenant. Nothing of one force is ever shown to another."""

    force_path = "id"

    class ContactModel(models.TextChoices):
        NAMED_OFFICER = "named_officer", "A named officer for each school"
        TEAM_CASELOAD = "team_caseload", "A team holds the schools of its area"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    contact_model = models.CharField(
        max_length=20, choices=ContactModel.choices, default=ContactModel.NAMED_OFFICER
    )
    home_la_codes = models.JSONField(
        default=list,
        blank=True,
        help_text="DfE local authority codes of the force's area, used when importing schools.",
    )
    enhanced_engagements_per_term = models.PositiveSmallIntegerField(
        default=6,
        help_text="How many engagements a term an Enhanced school is promised.",
    )
    panel_access_days_before = models.PositiveSmallIntegerField(
        default=3,
        help_text="How many days before a multi-agency panel its members may read the cases "
        "on its agenda (a meeting may set its own).",
    )
    panel_access_days_after = models.PositiveSmallIntegerField(
        default=2,
        help_text="How many days after a multi-agency panel its members may still read them.",
    )

    objects = ForceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganisationQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """The police side sees the force's organisations; everyone else only their own."""
        if user.is_police_side:
            return self
        return self.filter(pk=user.organisation_id)

    def kept_by_force(self):
        """Return the organisations a force adds and names itself on its Organisations pages:
        partner providers, local authorities and partner agencies (schools come from GIAS,
        the police organisation with the force)."""
        return self.filter(kind__in=Organisation.KEPT_BY_FORCE)

    def with_people_count(self):
        """Annotate `people_count`: how many active people work there (one query for a list)."""
        return self.annotate(
            people_count=models.Count("people", filter=Q(people__is_active=True), distinct=True)
        )


class Organisation(TimeStampedModel):
    """Where a person works: the force itself, a school, a partner provider or a council."""

    force_path = "force_id"

    class Kind(models.TextChoices):
        POLICE = "police", "Police force"
        SCHOOL = "school", "School"
        PARTNER = "partner", "Partner provider"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        AGENCY = "agency", "Partner agency"

    class AgencyType(models.TextChoices):
        """What a partner agency (Kind.AGENCY) is: the services that sit on panels."""

        YOUTH_JUSTICE = "youth_justice", "Youth offending team (youth justice service)"
        CHILDRENS_SERVICES = "childrens_services", "Children's services"
        EARLY_HELP = "early_help", "Early help"
        HEALTH = "health", "Health"
        INCLUSION = "inclusion", "Local authority inclusion service"

    # The kinds a force keeps on its Organisations pages, in the order they are listed.
    KEPT_BY_FORCE = (Kind.AGENCY, Kind.PARTNER, Kind.LOCAL_AUTHORITY)

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="organisations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    agency_type = models.CharField(
        max_length=20,
        choices=AgencyType.choices,
        blank=True,
        help_text="For a partner agency: which service it is.",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "kind", "name"], name="organisation_unique_name"
            ),
            models.UniqueConstraint(
                fields=["force"],
                condition=Q(kind="police"),
                name="one_police_organisation_per_force",
            ),
            models.CheckConstraint(
                condition=(Q(kind="agency") & ~Q(agency_type=""))
                | (~Q(kind="agency") & Q(agency_type="")),
                name="agency_type_only_for_agencies",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:organisation_detail", args=[self.pk])

    @property
    def is_kept_by_force(self):
        return self.kind in self.KEPT_BY_FORCE

    def clean(self):
        if self.kind == self.Kind.AGENCY and not self.agency_type:
            raise ValidationError({"agency_type": "Choose what kind of partner agency it is"})
        if self.kind and self.kind != self.Kind.AGENCY and self.agency_type:
            raise ValidationError(
                {"agency_type": "Choose a type of partner agency only for a partner agency"}
            )
        self.name = (self.name or "").strip()
        if self.force_id and self.name and self.kind in self.KEPT_BY_FORCE:
            # One name for one organisation of the force, whatever its case: the invitation
            # page and the panels list them by name.
            clash = Organisation.objects.filter(
                force_id=self.force_id, kind__in=self.KEPT_BY_FORCE, name__iexact=self.name
            ).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"name": f"The force already has an organisation called {self.name}"}
                )


class Role(models.TextChoices):
    HEADTEACHER = "headteacher", "Headteacher"
    DSL = "dsl", "Designated safeguarding lead"
    SCHOOL_LINK = "school_link", "Senior link or PSHE lead"
    SAFER_SCHOOLS_OFFICER = "sso", "Safer Schools officer"
    NEIGHBOURHOOD_OFFICER = "neighbourhood", "Neighbourhood officer or PCSO"
    SERGEANT = "sergeant", "Sergeant"
    PREVENTION_MANAGER = "manager", "Prevention manager"
    COORDINATOR = "coordinator", "Education coordinator"
    PARTNER = "partner", "Partner provider"
    FORCE_ADMIN = "admin", "Force administrator"
    PARTNER_AGENCY = "agency", "Partner agency worker"


# Names that keep their capitals mid-sentence: the programme is "Safer Schools".
PROPER_NAMES = ("Safer Schools",)


def in_sentence(label) -> str:
    """A role's label as written mid-sentence: lower case, but acronyms kept ("PCSO", "PSHE")
    and proper names kept ("Safer Schools officer")."""
    words = str(label).split()
    text = " ".join(word if word.isupper() and len(word) > 1 else word.lower() for word in words)
    for name in PROPER_NAMES:
        text = text.replace(name.lower(), name)
    return text


SCHOOL_ROLES = frozenset({Role.HEADTEACHER, Role.DSL, Role.SCHOOL_LINK})
OFFICER_ROLES = frozenset({Role.SAFER_SCHOOLS_OFFICER, Role.NEIGHBOURHOOD_OFFICER, Role.SERGEANT})
POLICE_ROLES = OFFICER_ROLES | {Role.PREVENTION_MANAGER}
# Who supervises casework and speaks for the force's police: sergeants and managers.
SUPERVISOR_ROLES = frozenset({Role.SERGEANT, Role.PREVENTION_MANAGER})
# Who sees the whole force's people, invitations, audit trail and outbox.
FORCE_MANAGEMENT_ROLES = frozenset({Role.FORCE_ADMIN, Role.PREVENTION_MANAGER})
# The school staff who refer young people and follow their referrals.
SCHOOL_REFERRER_ROLES = frozenset({Role.HEADTEACHER, Role.DSL})
# People of the force's partner agencies (youth offending team, children's services, early
# help, health, inclusion): they read only what a panel puts before them and the actions they
# own. Not police: never in POLICE_ROLES.
AGENCY_ROLES = frozenset({Role.PARTNER_AGENCY})
# The organisation kinds each role may belong to.
ROLE_ORGANISATION_KINDS = {
    **{role: {Organisation.Kind.SCHOOL} for role in SCHOOL_ROLES},
    **{role: {Organisation.Kind.POLICE} for role in POLICE_ROLES},
    Role.FORCE_ADMIN: {Organisation.Kind.POLICE},
    Role.COORDINATOR: {Organisation.Kind.POLICE, Organisation.Kind.LOCAL_AUTHORITY},
    Role.PARTNER: {Organisation.Kind.PARTNER},
    **{role: {Organisation.Kind.AGENCY} for role in AGENCY_ROLES},
}
# Organisations whose people must use a second factor: the police and partner agencies, who
# read casework.
MFA_ORGANISATION_KINDS = frozenset({Organisation.Kind.POLICE, Organisation.Kind.AGENCY})


class TeamQuerySet(ScopedQuerySet):
    # narrow: the police side (ScopedQuerySet's default) reads the force's teams.

    def led_by(self, user):
        """Return a sergeant's teams: those they lead and the team they belong to. A
        sergeant's lists and dashboards count these teams' schools (School.objects.led_by)."""
        return self.filter(Q(sergeant=user) | Q(pk=user.team_id), force_id=user.force_id)


class Team(TimeStampedModel):
    """A team inside a force, led by a sergeant, e.g. the Safer Schools team or North NPT."""

    force_path = "force_id"

    class Kind(models.TextChoices):
        SAFER_SCHOOLS = "safer_schools", "Safer Schools team"
        NEIGHBOURHOOD = "neighbourhood", "Neighbourhood policing team"

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sergeant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams_led",
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "name"], name="team_unique_name_in_force"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:team_detail", args=[self.pk])

    def clean(self):
        if self.sergeant_id and (
            self.sergeant.role != Role.SERGEANT or self.sergeant.force_id != self.force_id
        ):
            raise ValidationError({"sergeant": "Choose a sergeant of this force."})


class UserQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """The police side sees the force's people; everyone else their own organisation's."""
        if user.is_police_side:
            return self
        return self.filter(organisation_id=user.organisation_id)

    def active(self):
        return self.filter(is_active=True)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in by email; belongs to one organisation and has one role."""

    force_path = "organisation__force_id"

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    rank = models.CharField(max_length=60, blank=True, help_text="For example PC, PCSO or Sgt.")
    collar_number = models.CharField(max_length=20, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_superuser=True) | (Q(organisation__isnull=False) & ~Q(role="")),
                name="user_has_organisation_and_role",
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("accounts:person_detail", args=[self.pk])

    def clean(self):
        super().clean()
        self.email = self.email.lower()
        if self.organisation_id and self.role:
            kinds = ROLE_ORGANISATION_KINDS[self.role]
            if self.organisation.kind not in kinds:
                raise ValidationError(
                    {
                        "role": f"A {self.get_role_display().lower()} cannot belong to "
                        f"{self.organisation.get_kind_display().lower()}."
                    }
                )
        if self.team_id and self.team.force_id != self.force_id:
            raise ValidationError({"team": "Choose a team of this person's force."})

    @property
    def display_name(self):
        """Return the name as colleagues see it, with rank and collar number for officers."""
        if self.rank and self.collar_number:
            return f"{self.rank} {self.full_name} ({self.collar_number})"
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def force_id(self):
        return self.organisation.force_id if self.organisation_id else None

    @property
    def force(self):
        return self.organisation.force if self.organisation_id else None

    @property
    def is_police_side(self):
        """Police roles, administrators and force coordinators see across their force."""
        if not self.organisation_id:
            return False
        return self.organisation.kind == Organisation.Kind.POLICE or self.role == Role.COORDINATOR

    @property
    def is_school_staff(self):
        return self.role in SCHOOL_ROLES

    @property
    def is_officer(self):
        return self.role in OFFICER_ROLES

    @property
    def is_agency_worker(self):
        return self.role in AGENCY_ROLES

    @property
    def requires_mfa(self):
        """Every police role, administrator, partner agency worker and Django admin user must
        use a second factor."""
        if self.is_superuser or self.is_staff:
            return True
        return bool(self.organisation_id) and self.organisation.kind in MFA_ORGANISATION_KINDS

    def disable(self, *, by):
        """Stop this person from signing in; their sessions end on their next request."""
        from . import audit

        if not self.is_active:
            return
        self.is_active = False
        self.save(update_fields=["is_active"])
        audit.record(
            "accounts.user.disabled", actor=by, target=self, changes={"is_active": [True, False]}
        )

    def enable(self, *, by):
        """Let a disabled person sign in again."""
        from . import audit

        if self.is_active:
            return
        self.is_active = True
        self.save(update_fields=["is_active"])
        audit.record(
            "accounts.user.enabled", actor=by, target=self, changes={"is_active": [False, True]}
        )


def _new_nonce() -> str:
    return secrets.token_urlsafe(16)


class InvitationQuerySet(ScopedQuerySet):
    def narrow(self, user):
        """Administrators and managers see the force's invitations; a headteacher their school's."""
        if user.role in FORCE_MANAGEMENT_ROLES:
            return self
        if user.role == Role.HEADTEACHER:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()

    def pending(self, *, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(TimeStampedModel):
    """An offer of an account, sent by email; the only way in (there is no public sign-up)."""

    force_path = "organisation__force_id"
    VALID_FOR = timedelta(days=7)

    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True)
    rank = models.CharField(max_length=60, blank=True)
    collar_number = models.CharField(max_length=20, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent"
    )
    nonce = models.CharField(max_length=32, default=_new_nonce, editable=False)
    expires_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            ),
        ]

    def __str__(self):
        return f"Invitation for {self.email}"

    TOKEN_SALT = "accounts.invitation"

    @property
    def token(self) -> str:
        """Return the signed token of the emailed link; only the nonce is stored."""
        return signing.dumps({"i": self.pk, "n": self.nonce}, salt=self.TOKEN_SALT)

    @classmethod
    def find_by_token(cls, token: str):
        """Return the invitation a link names, or None if the link is forged or stale."""
        try:
            data = signing.loads(token, salt=cls.TOKEN_SALT, max_age=cls.VALID_FOR)
        except signing.BadSignature:
            return None
        invitation = (
            cls.objects.select_related("organisation__force", "team")
            .filter(pk=data.get("i"))
            .first()
        )
        if invitation is None or not constant_time_compare(invitation.nonce, data.get("n", "")):
            return None
        return invitation

    def get_accept_url(self):
        return reverse("accounts:invitation_accept", args=[self.token])

    def status(self, *, now=None):
        now = now or timezone.now()
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"

    def is_open(self, *, now=None):
        return self.status(now=now) == "pending"


class ForceRecordsQuerySet(ScopedQuerySet):
    """Records of a force that only its administrators and managers read (the audit trail,
    the access log, the outbox)."""

    def narrow(self, user):
        """Administrators and managers read them; nobody else."""
        return self if user.role in FORCE_MANAGEMENT_ROLES else self.none()


class AuditQuerySet(ForceRecordsQuerySet):
    def for_object(self, obj):
        return self.filter(
            target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk)
        )

    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")


class AppendOnlyModel(models.Model):
    """A record that is written once and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(f"{type(self).__name__} entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{type(self).__name__} entries cannot be deleted.")


class AuditEntry(AppendOnlyModel):
    """Who did what to which record, when (UTC), and what changed."""

    force_path = "force_id"

    force = models.ForeignKey(Force, on_delete=models.PROTECT, null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class AccessLogEntry(AppendOnlyModel):
    """A view of a sensitive record, with the reason the reader gave."""

    force_path = "force_id"

    force = models.ForeignKey(Force, on_delete=models.PROTECT, null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64)
    action = models.CharField(max_length=40, default="viewed")
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name_plural = "access log entries"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.target_id}"


class OutboxEmailQuerySet(ForceRecordsQuerySet):
    def due(self, *, now=None, settled=timedelta(minutes=1)):
        """Return queued emails whose next try is due and that their own task had a minute
        to send (the sweeper picks up what a broker outage or a killed worker left)."""
        now = now or timezone.now()
        return self.filter(
            state=OutboxEmail.State.QUEUED, next_attempt_at__lte=now, created__lte=now - settled
        )

    def needing_attention(self, *, now=None, stuck_after=timedelta(minutes=15)):
        """Return emails that failed, or are still unsent a quarter of an hour on."""
        now = now or timezone.now()
        return self.filter(
            Q(state=OutboxEmail.State.FAILED)
            | Q(state=OutboxEmail.State.QUEUED, created__lte=now - stuck_after)
        )


class OutboxEmail(models.Model):
    """One email to one recipient, written in the transaction of the change that causes it
    and sent by a task; its key makes a repeated cause a no-op, so each is sent once."""

    force_path = "force_id"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # [{"filename", "mimetype", "content" (base64)}]
    attachments = models.JSONField(default=list, blank=True)
    template = models.CharField(max_length=120, blank=True)
    about_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about_id = models.CharField(max_length=64, blank=True)
    about_label = models.CharField(max_length=200, blank=True)
    force = models.ForeignKey(
        Force, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=255, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["force", "state", "created"], name="outbox_force_state"),
        ]

    def __str__(self):
        return f"{self.subject} to {self.to} ({self.state})"
