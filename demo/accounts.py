"""Demo forces, organisations, teams and people for `manage.py seed_demo`; all names made up."""

import os
import random
import time
from dataclasses import dataclass

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Force, Organisation, Role, Team, User

SEED = "safer-schools-demo"
# The shared password of demo accounts when DEBUG is on and DEMO_PASSWORD is not set: it is
# printed on every seed, so it guards nothing; anywhere else DEMO_PASSWORD must be given.
DEBUG_DEMO_PASSWORD = "safer-schools-demo"

SAFER_SCHOOLS_TEAM = "Safer Schools team"

FIRST_NAMES = (
    "Alex", "Amira", "Ben", "Callum", "Chloe", "Daniel", "Eleanor", "Emma", "Faye", "Gareth",
    "Grace", "Hannah", "Harry", "Imogen", "Isaac", "Jack", "Jasmine", "Joe", "Karen", "Kieran",
    "Laura", "Liam", "Lucy", "Marcus", "Megan", "Nadia", "Nathan", "Olivia", "Owen", "Priya",
    "Rachel", "Rhys", "Rosie", "Ryan", "Sam", "Sarah", "Sophie", "Tariq", "Tom", "Zoe",
)  # fmt: skip
FEMALE_FIRST_NAMES = frozenset(
    {"Amira", "Chloe", "Eleanor", "Emma", "Faye", "Grace", "Hannah", "Imogen", "Jasmine",
     "Karen", "Laura", "Lucy", "Megan", "Nadia", "Olivia", "Priya", "Rachel", "Rosie", "Sarah",
     "Sophie", "Zoe"}
)  # fmt: skip
LAST_NAMES = (
    "Ahmed", "Ashworth", "Bailey", "Barnes", "Bennett", "Brooks", "Carter", "Clarke", "Coles",
    "Cooper", "Davies", "Dunn", "Edwards", "Ellis", "Fletcher", "Foster", "Gray", "Green",
    "Hall", "Harris", "Hayward", "Hughes", "Jenkins", "Khan", "Knight", "Lane", "Lewis",
    "Marsh", "Mitchell", "Morgan", "Murray", "Newman", "O'Brien", "Okafor", "Palmer", "Patel",
    "Pearce", "Price", "Reed", "Rose", "Shaw", "Singh", "Slade", "Stone", "Thomas", "Turner",
    "Walsh", "Ward", "Webb", "Wells", "White", "Wilson", "Wood", "Wright", "Young",
)  # fmt: skip


def demo_random(*key) -> random.Random:
    """Return a generator seeded by `key`: the same draws on every run, machine and Python."""
    return random.Random(":".join([SEED, *map(str, key)]))  # noqa: S311 - demo data, no secret


def person_name(rng: random.Random, *, title: str = "") -> tuple[str, str]:
    """Return an invented (first name, last name), matching a Mr/Mrs/Ms/Miss title if given."""
    names = FIRST_NAMES
    if title in {"Mrs", "Ms", "Miss"}:
        names = tuple(n for n in FIRST_NAMES if n in FEMALE_FIRST_NAMES)
    elif title == "Mr":
        names = tuple(n for n in FIRST_NAMES if n not in FEMALE_FIRST_NAMES)
    return rng.choice(names), rng.choice(LAST_NAMES)


@dataclass(frozen=True)
class ForceSpec:
    slug: str
    name: str
    home_la_codes: tuple[str, ...]
    councils: tuple[str, ...]
    partners: tuple[str, ...]
    demo_email_domain: str  # the demo people who sign in
    officer_email_domain: str  # the generated officers, who do not
    # Partner agencies that sit on multi-agency panels: (name, Organisation.AgencyType).
    agencies: tuple[tuple[str, str], ...] = ()


DORSET = ForceSpec(
    slug="dorset",
    name="Dorset Police",
    home_la_codes=("838", "839"),
    councils=("Dorset Council", "Bournemouth, Christchurch and Poole Council"),
    partners=("Dorset & Wiltshire Fire and Rescue Service",),
    demo_email_domain="demo.safer-schools.test",
    officer_email_domain="dorset.police.test",
    agencies=(
        ("BCP Youth Justice Service", "youth_justice"),
        ("Dorset Children's Services", "childrens_services"),
        ("Dorset Early Help", "early_help"),
    ),
)
WESSEX = ForceSpec(
    slug="wessex",
    name="Wessex Police",
    home_la_codes=("865", "866"),
    councils=("Wiltshire Council", "Swindon Borough Council"),
    partners=("Wessex Youth Trust",),
    demo_email_domain="wessex.demo.safer-schools.test",
    officer_email_domain="wessex.police.test",
    agencies=(("Wiltshire Youth Offending Team", "youth_justice"),),
)


@dataclass
class ForceRecords:
    force: Force
    police: Organisation
    councils: list[Organisation]
    partners: list[Organisation]
    agencies: list[Organisation]


@dataclass(frozen=True)
class DemoPerson:
    """A demo account that signs in. `place` and `team` are keys the caller resolves."""

    role: str
    email_name: str
    place: str  # "police", "partner", "agency", "school" or "other_school"
    team: str = ""  # "safer_schools" or "school_area"
    rank: str = ""
    collar_number: str = ""
    job_title: str = ""


# One of every role, and a headteacher of another school to show that schools see only
# themselves. School people take the name GIAS gives their school's head when they are heads.
DEMO_PEOPLE = (
    DemoPerson(Role.HEADTEACHER, "headteacher", "school", job_title="Headteacher"),
    DemoPerson(Role.DSL, "dsl", "school", job_title="Designated safeguarding lead"),
    DemoPerson(Role.SCHOOL_LINK, "school-link", "school", job_title="Senior link and PSHE lead"),
    DemoPerson(Role.SAFER_SCHOOLS_OFFICER, "sso", "police", "safer_schools", "PC", "1101"),
    DemoPerson(Role.NEIGHBOURHOOD_OFFICER, "neighbourhood", "police", "school_area", "PC", "1102"),
    DemoPerson(Role.SERGEANT, "sergeant", "police", "safer_schools", "Sgt", "1103"),
    DemoPerson(Role.PREVENTION_MANAGER, "manager", "police", rank="Insp", collar_number="1104"),
    DemoPerson(
        Role.COORDINATOR, "coordinator", "police", job_title="Partnership and education coordinator"
    ),
    DemoPerson(Role.PARTNER, "partner", "partner", job_title="Safety education officer"),
    DemoPerson(Role.FORCE_ADMIN, "admin", "police", job_title="Force administrator"),
    DemoPerson(Role.PARTNER_AGENCY, "agency", "agency", job_title="Youth justice worker"),
)
OTHER_HEADTEACHER = DemoPerson(
    Role.HEADTEACHER, "headteacher.other", "other_school", job_title="Headteacher"
)


def demo_email(spec: ForceSpec, person: DemoPerson) -> str:
    return f"{person.email_name}@{spec.demo_email_domain}"


def demo_password(*, environ=None) -> tuple[str, str]:
    """Return the demo password and where it came from; refuse a default outside DEBUG."""
    environ = os.environ if environ is None else environ
    password = environ.get("DEMO_PASSWORD", "")
    if password:
        try:
            validate_password(password)
        except ValidationError as error:
            raise ValueError("DEMO_PASSWORD is too weak: " + " ".join(error.messages)) from None
        return password, "the DEMO_PASSWORD environment variable"
    if settings.DEBUG:
        return DEBUG_DEMO_PASSWORD, "the default with DEBUG=1; set DEMO_PASSWORD to choose another"
    raise ValueError("Set DEMO_PASSWORD: without DEBUG=1 there is no default demo password.")


def demo_password_hash(password: str, emails: list[str]) -> str:
    """Return one hash of the demo password for every demo account, reusing the stored one.

    Hashing once keeps seeding fast, and keeping the stored hash keeps demo sessions alive.
    """
    stored = User.objects.filter(email__in=emails).values_list("password", flat=True).first()
    if stored and check_password(password, stored):
        return stored
    return make_password(password)


def _organisation(force: Force, kind: str, name: str) -> Organisation:
    return Organisation.objects.get_or_create(force=force, kind=kind, name=name)[0]


@transaction.atomic
def seed_force(spec: ForceSpec) -> ForceRecords:
    """Create or update a force with its police organisation, councils and partner providers."""
    force, _ = Force.objects.update_or_create(
        slug=spec.slug,
        defaults={"name": spec.name, "home_la_codes": list(spec.home_la_codes)},
    )
    police, _ = Organisation.objects.update_or_create(
        force=force, kind=Organisation.Kind.POLICE, defaults={"name": spec.name}
    )
    councils = [_organisation(force, Organisation.Kind.LOCAL_AUTHORITY, n) for n in spec.councils]
    partners = [_organisation(force, Organisation.Kind.PARTNER, n) for n in spec.partners]
    agencies = [
        Organisation.objects.get_or_create(
            force=force,
            kind=Organisation.Kind.AGENCY,
            name=name,
            defaults={"agency_type": agency_type},
        )[0]
        for name, agency_type in spec.agencies
    ]
    return ForceRecords(
        force=force, police=police, councils=councils, partners=partners, agencies=agencies
    )


@transaction.atomic
def seed_teams(force: Force, neighbourhood_teams: list[str]) -> dict[str, Team]:
    """Create the Safer Schools team and the neighbourhood teams; return them by name."""
    kinds = {SAFER_SCHOOLS_TEAM: Team.Kind.SAFER_SCHOOLS}
    kinds.update(dict.fromkeys(neighbourhood_teams, Team.Kind.NEIGHBOURHOOD))
    return {
        name: Team.objects.get_or_create(force=force, name=name, defaults={"kind": kind})[0]
        for name, kind in kinds.items()
    }


def _officer(
    spec: ForceSpec, police: Organisation, team: Team, *, role: str, rank: str, collar: int
) -> User:
    rng = demo_random(spec.slug, "officer", collar)
    first, last = person_name(rng)
    local = "".join(c for c in f"{first}.{last}".lower() if c.isalnum() or c == ".")
    user = User(
        email=f"{local}.{collar}@{spec.officer_email_domain}",
        full_name=f"{first} {last}",
        organisation=police,
        role=role,
        team=team,
        rank=rank,
        collar_number=str(collar),
    )
    # Generated officers are named contacts and case holders; only demo accounts sign in.
    user.set_unusable_password()
    return user


@transaction.atomic
def seed_officers(
    spec: ForceSpec,
    police: Organisation,
    teams: dict[str, Team],
    *,
    per_team: int,
    first_collar: int = 2000,
    led_by_demo_sergeant: str = SAFER_SCHOOLS_TEAM,
) -> dict[str, list[User]]:
    """Create any missing sergeant and officers of each team; return each team's officers.

    Each team but the one a demo sergeant leads gets a generated sergeant.
    Neighbourhood teams alternate PCs and PCSOs; the Safer Schools team's officers are PCs.
    Collar numbers interleave the teams, so a larger `per_team` only adds officers.
    """
    names = list(teams)
    wanted = []
    for position, name in enumerate(names):
        team = teams[name]
        if name != led_by_demo_sergeant:
            sergeant_collar = first_collar + position
            wanted.append(
                _officer(spec, police, team, role=Role.SERGEANT, rank="Sgt", collar=sergeant_collar)
            )
        for i in range(per_team):
            collar = first_collar + len(names) * (i + 1) + position
            if team.kind == Team.Kind.SAFER_SCHOOLS:
                role, rank = Role.SAFER_SCHOOLS_OFFICER, "PC"
            else:
                role, rank = Role.NEIGHBOURHOOD_OFFICER, "PC" if i % 2 == 0 else "PCSO"
            wanted.append(_officer(spec, police, team, role=role, rank=rank, collar=collar))
    of_this_force = User.objects.filter(email__endswith=f"@{spec.officer_email_domain}")
    existing = set(of_this_force.values_list("email", flat=True))
    User.objects.bulk_create([u for u in wanted if u.email not in existing])
    wanted_emails = {u.email for u in wanted}
    officers = sorted(
        (u for u in of_this_force.filter(organisation=police) if u.email in wanted_emails),
        key=lambda u: int(u.collar_number),
    )
    by_team = {name: [] for name in names}
    team_names = {team.pk: name for name, team in teams.items()}
    for officer in officers:
        if officer.team_id not in team_names:
            continue
        team_name = team_names[officer.team_id]
        if officer.role == Role.SERGEANT:
            team = teams[team_name]
            if team.sergeant_id is None:
                team.sergeant = officer
                team.save(update_fields=["sergeant", "updated"])
        else:
            by_team[team_name].append(officer)
    return by_team


@transaction.atomic
def seed_person(
    spec: ForceSpec,
    person: DemoPerson,
    *,
    organisation: Organisation,
    team: Team | None,
    full_name: str,
    password_hash: str,
) -> User:
    """Create or update one demo account by its email."""
    user, _ = User.objects.update_or_create(
        email=demo_email(spec, person),
        defaults={
            "full_name": full_name,
            "organisation": organisation,
            "role": person.role,
            "team": team,
            "rank": person.rank,
            "collar_number": person.collar_number,
            "job_title": person.job_title,
            "is_active": True,
            "password": password_hash,
        },
    )
    user.full_clean(exclude=["password"])
    if person.role == Role.SERGEANT and team is not None and team.sergeant_id != user.pk:
        team.sergeant = user
        team.save(update_fields=["sergeant", "updated"])
    return user


def demo_person_name(spec: ForceSpec, person: DemoPerson) -> str:
    """Return the invented full name of a demo account, the same on every run."""
    rng = demo_random(demo_email(spec, person))
    return " ".join(person_name(rng))


def totp_secret(user: User) -> str | None:
    """Return the base32 secret of the user's authenticator app, or None if there is none."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    return get_mfa_adapter().decrypt(authenticator.data["secret"])


@transaction.atomic
def seed_totp(user: User) -> str:
    """Give the user an authenticator app and recovery codes; keep any they have; return the secret.

    Secrets sealed under an earlier SECRET_KEY cannot be read any more, so they are replaced.
    """
    try:
        secret = totp_secret(user)
    except InvalidToken:
        Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
        ).delete()
        secret = None
    if secret is None:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def current_totp_code(secret: str, *, now: float | None = None) -> str:
    """Return the code an authenticator app shows for this secret now."""
    now = time.time() if now is None else now
    return format_hotp_value(hotp_value(secret, int(now) // mfa_settings.TOTP_PERIOD))
