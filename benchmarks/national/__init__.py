"""A data set the size of England and Wales, for benchmarks: `manage.py seed_demo --scale national`.

On top of the usual demo (Dorset Police and Wessex Police with their demo accounts) it adds the
other 41 forces, so 43 in all, each with schools in proportion to the population it polices
(about 25,000 schools), teams, about 1,000 officers and sergeants, a prevention manager, a named
contact and a current approved assessment for every open school, the school's headteacher and DSL
as contacts, and about 1,000,000 engagements over five school years.

The schools come from schools.demo's GIAS-shaped generator (Dorset's mix of establishment types,
scaled to each local authority); the assessments from needs_assessment.demo, whose ratings the
real tiering rule turns into the stored tier. Each force is seeded in its own transaction and
every step skips what exists already, so running it again adds nothing, and an interrupted run
can be resumed. Every force name is a real force's; every school, person and number is made up.

Rows go in with bulk_create, and engagements on PostgreSQL with COPY; nothing the product relies
on (constraints, the audit trail's triggers) is switched off.

Later apps extend the data set through LATER_STEPS: functions that take the seeded forces
(`NationalForce` records, with their schools, teams, officers and manager) and return a summary.
"""

import csv
import datetime
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from accounts.models import Force, Organisation, Role, Team, User
from benchmarks.national import agreements as agreements_national
from benchmarks.national import bookings as bookings_national
from benchmarks.national import crime as crime_national
from benchmarks.national import help_requests as help_requests_national
from benchmarks.national import incidents as incidents_national
from benchmarks.national import partnership as partnership_national
from benchmarks.national import referrals as referrals_national
from demo import accounts as accounts_demo
from demo import needs_assessment as needs_assessment_demo
from demo import schools as schools_demo
from needs_assessment.models import Assessment
from schools.models import Engagement, NamedContact, School, SchoolContact

# England and Wales's territorial forces other than Dorset (the demo force) and Wiltshire (which
# the demo's Wessex Police stands for): slug, name, the area's population in thousands (rounded,
# mid-2020s; it sets the force's share of schools and officers), its name, and a postcode area.
NATIONAL_FORCES = (
    ("metropolitan", "Metropolitan Police Service", 8900, "London", "SE"),
    ("west-midlands", "West Midlands Police", 2950, "West Midlands", "B"),
    ("greater-manchester", "Greater Manchester Police", 2870, "Greater Manchester", "M"),
    ("thames-valley", "Thames Valley Police", 2450, "Thames Valley", "OX"),
    ("west-yorkshire", "West Yorkshire Police", 2350, "West Yorkshire", "LS"),
    ("hampshire", "Hampshire and Isle of Wight Constabulary", 2030, "Hampshire", "SO"),
    ("kent", "Kent Police", 1880, "Kent", "ME"),
    ("essex", "Essex Police", 1880, "Essex", "CM"),
    ("devon-cornwall", "Devon and Cornwall Police", 1800, "Devon and Cornwall", "EX"),
    ("avon-somerset", "Avon and Somerset Police", 1730, "Avon and Somerset", "BS"),
    ("sussex", "Sussex Police", 1700, "Sussex", "BN"),
    ("lancashire", "Lancashire Constabulary", 1530, "Lancashire", "PR"),
    ("northumbria", "Northumbria Police", 1460, "Northumbria", "NE"),
    ("merseyside", "Merseyside Police", 1430, "Merseyside", "L"),
    ("south-yorkshire", "South Yorkshire Police", 1400, "South Yorkshire", "S"),
    ("south-wales", "South Wales Police", 1330, "South Wales", "CF"),
    ("west-mercia", "West Mercia Police", 1320, "West Mercia", "WR"),
    ("hertfordshire", "Hertfordshire Constabulary", 1200, "Hertfordshire", "AL"),
    ("surrey", "Surrey Police", 1200, "Surrey", "GU"),
    ("nottinghamshire", "Nottinghamshire Police", 1170, "Nottinghamshire", "NG"),
    ("leicestershire", "Leicestershire Police", 1120, "Leicestershire", "LE"),
    ("staffordshire", "Staffordshire Police", 1140, "Staffordshire", "ST"),
    ("cheshire", "Cheshire Constabulary", 1090, "Cheshire", "CW"),
    ("derbyshire", "Derbyshire Constabulary", 1060, "Derbyshire", "DE"),
    ("humberside", "Humberside Police", 930, "Humberside", "HU"),
    ("norfolk", "Norfolk Constabulary", 920, "Norfolk", "NR"),
    ("cambridgeshire", "Cambridgeshire Constabulary", 870, "Cambridgeshire", "CB"),
    ("north-yorkshire", "North Yorkshire Police", 830, "North Yorkshire", "YO"),
    ("lincolnshire", "Lincolnshire Police", 770, "Lincolnshire", "LN"),
    ("northamptonshire", "Northamptonshire Police", 790, "Northamptonshire", "NN"),
    ("suffolk", "Suffolk Constabulary", 760, "Suffolk", "IP"),
    ("north-wales", "North Wales Police", 700, "North Wales", "LL"),
    ("bedfordshire", "Bedfordshire Police", 690, "Bedfordshire", "LU"),
    ("durham", "Durham Constabulary", 650, "Durham", "DH"),
    ("gloucestershire", "Gloucestershire Constabulary", 650, "Gloucestershire", "GL"),
    ("warwickshire", "Warwickshire Police", 600, "Warwickshire", "CV"),
    ("gwent", "Gwent Police", 600, "Gwent", "NP"),
    ("cleveland", "Cleveland Police", 570, "Cleveland", "TS"),
    ("dyfed-powys", "Dyfed-Powys Police", 520, "Dyfed-Powys", "SA"),
    ("cumbria", "Cumbria Constabulary", 500, "Cumbria", "CA"),
    ("city-of-london", "City of London Police", 10, "City of London", "EC"),
)

NATIONAL_SCHOOLS = 25_000  # all forces, the demo's two included
NATIONAL_OFFICERS = 1_000  # generated officers and sergeants of the added forces
YEARS_OF_ENGAGEMENTS = 5
# Engagements a year by tier, least intensive first: about 1,000,000 over five years in all.
ENGAGEMENTS_A_YEAR = (3, 14, 36)
SCHOOLS_PER_LOCAL_AUTHORITY = 350
DISTRICTS_PER_LOCAL_AUTHORITY = 2
FIRST_URN = 1_000_001  # above the demo's ranges (900001 to 999999)
URNS_PER_FORCE = 20_000
FIRST_LA_CODE = 1001  # four digits: never a real DfE code (those have three)
LA_CODES_PER_FORCE = 40
FIRST_COLLAR = 3000

COMPASS = (
    "North", "South", "East", "West", "Central", "North East", "North West", "South East",
    "South West", "Mid", "Outer North", "Outer South", "Outer East", "Outer West",
)  # fmt: skip
# Place names found in many English and Welsh counties; each district gets a few of them.
PLACE_NAMES = (
    "Ashton", "Aston", "Bradley", "Bramley", "Broughton", "Burton", "Carlton", "Charlton",
    "Church End", "Compton", "Easton", "Hampton", "Hinton", "Kingston", "Langley", "Marston",
    "Middleton", "Milton", "Newton", "Norton", "Preston", "Stanton", "Sutton", "Thorpe", "Upton",
    "Walton", "Weston", "Whitchurch", "Woodford", "Wootton", "Ashby", "Bourne", "Moreton",
    "Sandford", "Stoke", "Westbury", "Bishopstone", "Fulbrook", "Kirkby", "Oakley",
)  # fmt: skip
PLACE_PREFIXES = ("Great", "Little", "Upper", "Lower", "Long", "Kings", "Market", "Nether")


@dataclass
class NationalForce:
    """One seeded force and the records later steps build on."""

    spec: accounts_demo.ForceSpec
    force: Force
    police: Organisation
    partners: list[Organisation]
    teams: dict[str, Team]
    officers: dict[str, list[User]]  # team name -> its officers (not its sergeant)
    sergeants: list[User]
    manager: User
    schools: dict[int, School]  # URN -> school
    counts: dict = field(default_factory=dict)  # what this run added


@dataclass(frozen=True)
class NationalSize:
    """How big the data set is; tests pass a tiny one."""

    forces: tuple = NATIONAL_FORCES
    schools: int = NATIONAL_SCHOOLS
    officers: int = NATIONAL_OFFICERS
    years: int = YEARS_OF_ENGAGEMENTS
    engagements_a_year: tuple = ENGAGEMENTS_A_YEAR


def default_size() -> NationalSize:
    return NationalSize()


# Steps that later apps add, each `step(forces: list[NationalForce], *, today) -> str`,
# idempotent like the rest (it adds only what is missing) and returning a short summary.
#   agreements: an MoU for most schools (signed, some awaiting signature, a few due for review);
#   referrals: about 200,000 referrals with their cases, logs, risk assessments and actions;
#   bookings: the catalogue, its slots and about 300,000 bookings;
#   incidents: about 300,000 reports over two years, with the people involved and exhibits;
#   help requests: about 200,000 over two years, most answered;
#   partnership: level answers, action plans with objectives and actions, termly reviews,
#   the steering group and management groups with their meetings;
#   crime: a grid reference for every school, 24 loaded months and the counts near schools.
LATER_STEPS: list[Callable[..., str]] = [
    agreements_national.seed,
    referrals_national.seed,
    bookings_national.seed,
    incidents_national.seed,
    help_requests_national.seed,
    partnership_national.seed,
    crime_national.seed,
]


def _share(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights`, by largest remainder (the parts sum to total)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _type_weights() -> dict[str, int]:
    """Dorset's mix of establishment types, both local authorities together."""
    weights = {}
    for kinds in schools_demo.DORSET_MIX.values():
        for kind, count in kinds.items():
            weights[kind] = weights.get(kind, 0) + count
    return {kind: count for kind, count in weights.items() if count}


def force_spec(
    slug: str, name: str, area: str, la_codes: tuple[str, ...]
) -> accounts_demo.ForceSpec:
    return accounts_demo.ForceSpec(
        slug=slug,
        name=name,
        home_la_codes=la_codes,
        councils=(f"{area} Council",),
        partners=(f"{area} Youth Trust",),
        demo_email_domain=f"{slug}.demo.safer-schools.test",
        officer_email_domain=f"{slug}.police.test",
    )


def _place_pool(area: str) -> list[str]:
    """Return the place names of a force's area in a fixed shuffled order, none repeated."""
    names = list(PLACE_NAMES) + [f"{p} {n}" for p in PLACE_PREFIXES for n in PLACE_NAMES]
    random.Random(f"national-places-{area}").shuffle(names)  # noqa: S311 - demo data
    return names


def area_of(index: int, area: str, postcode_area: str, schools: int):
    """Return the made-up local authorities of a force's area, sized for `schools` schools."""
    la_count = max(1, round(schools / SCHOOLS_PER_LOCAL_AUTHORITY))
    pool = _place_pool(area)
    places_per_district = 6
    authorities = []
    for j in range(la_count):
        code = str(FIRST_LA_CODE + index * LA_CODES_PER_FORCE + j)
        suffix = COMPASS[j] if j < len(COMPASS) else f"District {j + 1}"
        la_name = area if la_count == 1 else f"{area} {suffix}"
        districts = []
        for d in range(DISTRICTS_PER_LOCAL_AUTHORITY):
            number = j * DISTRICTS_PER_LOCAL_AUTHORITY + d
            start = (number * places_per_district) % len(pool)
            names = (pool * 2)[start : start + places_per_district]
            town = names[0]
            districts.append(
                schools_demo.District(
                    f"{la_name} {'AB'[d]}",
                    1,
                    f"{la_name} {'AB'[d]} NPT",
                    tuple(
                        schools_demo.Place(
                            place,
                            town if k >= 3 else place,
                            (f"{postcode_area}{number + 1}",),
                            is_town=k < 3,
                        )
                        for k, place in enumerate(names)
                    ),
                )
            )
        authorities.append(schools_demo.LocalAuthority(code, la_name, tuple(districts)))
    return tuple(authorities)


def mix_for(area: tuple, schools: int) -> dict[str, dict[str, int]]:
    """Return {la code: {type of establishment: count}} for `schools` spread over the area."""
    weights = _type_weights()
    per_la = _share(schools, [1] * len(area))
    mix = {}
    for la, count in zip(area, per_la, strict=True):
        kinds = list(weights)
        mix[la.code] = dict(zip(kinds, _share(count, [weights[k] for k in kinds]), strict=True))
    return mix


def _manager(spec: accounts_demo.ForceSpec, police: Organisation) -> User:
    """Return the force's (generated) prevention manager, who approves its assessments."""
    user, created = User.objects.get_or_create(
        email=f"prevention.manager@{spec.officer_email_domain}",
        defaults={
            "full_name": " ".join(accounts_demo.person_name(accounts_demo.demo_random(spec.slug))),
            "organisation": police,
            "role": Role.PREVENTION_MANAGER,
            "rank": "Insp",
            "collar_number": str(FIRST_COLLAR - 1),
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def seed_school_staff(schools: dict[int, School]) -> int:
    """Record each school's headteacher (from GIAS) and a DSL as its contacts; return how many added."""
    have = set(
        SchoolContact.objects.filter(school__in=list(schools.values())).values_list(
            "school_id", "kind"
        )
    )
    contacts = []
    for urn, school in schools.items():
        rng = random.Random(f"national-dsl-{urn}")  # noqa: S311 - demo data, no secret
        domain = school.website.removeprefix("https://www.") or "school.example"
        if school.headteacher_name and (school.pk, "headteacher") not in have:
            contacts.append(
                SchoolContact(
                    school=school,
                    kind=SchoolContact.Kind.HEADTEACHER,
                    name=school.headteacher_name,
                    email=f"head@{domain}",
                )
            )
        if (school.pk, "dsl") not in have:
            first, last = accounts_demo.person_name(rng)
            contacts.append(
                SchoolContact(
                    school=school,
                    kind=SchoolContact.Kind.DSL,
                    name=f"{first} {last}",
                    email=f"dsl@{domain}",
                )
            )
    SchoolContact.objects.bulk_create(contacts, batch_size=2000)
    return len(contacts)


def _school_days(rng: random.Random, since: datetime.date, days: int) -> datetime.date:
    """Return a random weekday in the period, outside August."""
    while True:
        day = since + datetime.timedelta(days=rng.randrange(days))
        if day.weekday() < 5 and day.month != 8:
            return day


def plan_engagements(
    force: Force, schools: dict[int, School], *, since: datetime.date, today: datetime.date, rates
) -> list[tuple]:
    """Return engagement rows for the schools of the force that have none, as tuples in COPY order.

    How many a school gets depends on its tier (rates: engagements a year, least intensive tier
    first); the named contact logs most of them and the deputy the rest.
    """
    ids = [school.pk for school in schools.values()]
    with_engagements = set(
        Engagement.objects.filter(school__force=force)
        .values_list("school_id", flat=True)
        .distinct()
    )
    contacts = {
        c.school_id: (c.officer_id, c.deputy_id)
        for c in NamedContact.objects.filter(school_id__in=ids, ends_on__isnull=True)
    }
    ranks = dict(
        Assessment.objects.filter(school__force=force, is_current=True).values_list(
            "school_id", "computed_level__rank"
        )
    )
    top = max(ranks.values(), default=1)
    kinds = list(schools_demo.ENGAGEMENT_SUMMARIES)
    purposes = [p.value for p in Engagement.Purpose]
    days = max((today - since).days, 1)
    years = days / 365.25
    rows = []
    for urn, school in schools.items():
        if school.pk in with_engagements or school.pk not in contacts:
            continue
        officer_id, deputy_id = contacts[school.pk]
        rank = ranks.get(school.pk, 1)
        # The least intensive tier gets the first rate, the most intensive the last.
        if rank >= top and top > 1:
            rate = rates[-1]
        elif rank > 1:
            rate = rates[len(rates) // 2]
        else:
            rate = rates[0]
        rng = random.Random(f"national-engagements-{urn}")  # noqa: S311 - demo data, no secret
        for _ in range(max(1, round(rate * years * rng.uniform(0.7, 1.3)))):
            kind = rng.choice(kinds)
            occurred_on = _school_days(rng, since, days)
            logged = datetime.datetime.combine(
                occurred_on, datetime.time(15, rng.randrange(60)), datetime.UTC
            ) + datetime.timedelta(hours=rng.choice([0, 1, 2, 18]))
            by = deputy_id if deputy_id and rng.random() < 0.15 else officer_id
            rows.append(
                (
                    logged,
                    logged,
                    school.pk,
                    by,
                    occurred_on,
                    kind,
                    rng.choice(purposes),
                    rng.choice((15, 30, 45, 60, 90)),
                    "Senior link" if kind == Engagement.Kind.SENIOR_MEETING else "",
                    schools_demo.ENGAGEMENT_SUMMARIES[kind],
                    "",
                )
            )
    return rows


ENGAGEMENT_COLUMNS = (
    "created",
    "updated",
    "school_id",
    "officer_id",
    "occurred_on",
    "kind",
    "purpose",
    "duration_minutes",
    "with_whom",
    "summary",
    "follow_up",
)
COPY_CHUNK = 100_000


def insert_engagements(rows: list[tuple]) -> int:
    """Insert engagement rows: COPY on PostgreSQL, bulk_create elsewhere; return how many."""
    if connection.vendor == "postgresql":
        table = Engagement._meta.db_table
        columns = ", ".join(ENGAGEMENT_COLUMNS)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg2's own cursor, in Django's transaction
            for start in range(0, len(rows), COPY_CHUNK):
                buffer = io.StringIO()
                writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)  # "" is not NULL
                for row in rows[start : start + COPY_CHUNK]:
                    writer.writerow(
                        value.isoformat() if hasattr(value, "isoformat") else value for value in row
                    )
                buffer.seek(0)
                raw.copy_expert(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)
    else:
        Engagement.objects.bulk_create(
            (Engagement(**dict(zip(ENGAGEMENT_COLUMNS, row, strict=True))) for row in rows),
            batch_size=2000,
        )
    return len(rows)


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    """Return 1 September of the school year `years` before today's."""
    start = today.year if today.month >= 9 else today.year - 1
    return datetime.date(start - years + 1, 9, 1)


def seed_force(
    index: int,
    entry: tuple,
    *,
    schools: int,
    officers: int,
    size: NationalSize,
    today: datetime.date,
) -> NationalForce:
    """Seed one added force with everything but later apps' records; skip what exists."""
    slug, name, _population, area_name, postcode_area = entry
    area = area_of(index, area_name, postcode_area, schools)
    spec = force_spec(slug, name, area_name, tuple(la.code for la in area))
    counts = {}
    with transaction.atomic():
        records = accounts_demo.seed_force(spec)
        force = records.force
        teams = accounts_demo.seed_teams(force, schools_demo.neighbourhood_team_names(area))
        # Each team has a sergeant and officers: per team, what the force's share allows.
        per_team = max(2, round(officers / len(teams)) - 1)
        by_team = accounts_demo.seed_officers(
            spec,
            records.police,
            teams,
            per_team=per_team,
            first_collar=FIRST_COLLAR,
            led_by_demo_sergeant="",
        )
        manager = _manager(spec, records.police)
        sergeants = list(
            User.objects.filter(organisation=records.police, role=Role.SERGEANT).order_by(
                "collar_number"
            )
        )
        specs = schools_demo.build_school_specs(
            area, mix_for(area, schools), first_urn=FIRST_URN + index * URNS_PER_FORCE
        )
        seeded = schools_demo.seed_schools(force, specs, teams=teams)
        since = _years_ago(today, size.years)
        counts["named contacts"] = schools_demo.seed_named_contacts(
            seeded,
            specs,
            neighbourhood_officers={
                team: by_team[team] for team in teams if team != accounts_demo.SAFER_SCHOOLS_TEAM
            },
            safer_schools_officers=by_team[accounts_demo.SAFER_SCHOOLS_TEAM],
            starts_on=since,
        )
        counts["school contacts"] = seed_school_staff(seeded)
        sst = teams[accounts_demo.SAFER_SCHOOLS_TEAM]
        assessor = next((s for s in sergeants if s.team_id == sst.pk), sergeants[0])
        counts["assessments"] = needs_assessment_demo.seed_assessments(
            force, assessor=assessor, approver=manager, today=today
        )
        rows = plan_engagements(
            force, seeded, since=since, today=today, rates=size.engagements_a_year
        )
        counts["engagements"] = insert_engagements(rows)
    return NationalForce(
        spec=spec,
        force=force,
        police=records.police,
        partners=records.partners,
        teams=teams,
        officers=by_team,
        sergeants=sergeants,
        manager=manager,
        schools=seeded,
        counts=counts,
    )


def sizes(size: NationalSize) -> tuple[list[int], list[int]]:
    """Return each added force's number of schools and of officers, by population."""
    existing = School.objects.exclude(force__slug__in=[entry[0] for entry in size.forces]).count()
    populations = [entry[2] for entry in size.forces]
    schools = [max(2, n) for n in _share(max(size.schools - existing, 0), populations)]
    officers = _share(size.officers, populations)
    return schools, officers


def seed_national(
    *, today: datetime.date, size: NationalSize | None = None, log=None
) -> list[NationalForce]:
    """Seed the added forces one by one, then any later steps; return the forces."""
    size = size or default_size()
    log = log or (lambda message: None)
    school_counts, officer_counts = sizes(size)
    forces = []
    for index, entry in enumerate(size.forces):
        national = seed_force(
            index,
            entry,
            schools=school_counts[index],
            officers=officer_counts[index],
            size=size,
            today=today,
        )
        forces.append(national)
        added = ", ".join(f"{n} {what}" for what, n in national.counts.items() if n)
        log(
            f"  {national.force}: {len(national.schools)} schools"
            + (f"; added {added}" if added else "")
        )
    for step in LATER_STEPS:
        log(f"  {step(forces, today=today)}")
    if connection.vendor == "postgresql":
        # Fresh statistics, so the planner knows the tables' new sizes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return forces


def totals() -> dict[str, int]:
    """Return the number of each kind of record in the database (for the command's summary)."""
    return {
        "forces": Force.objects.count(),
        "schools": School.objects.count(),
        "officers and sergeants": User.objects.filter(
            role__in=[Role.SAFER_SCHOOLS_OFFICER, Role.NEIGHBOURHOOD_OFFICER, Role.SERGEANT]
        ).count(),
        "teams": Team.objects.count(),
        "named contacts": NamedContact.objects.count(),
        "current assessments": Assessment.objects.filter(is_current=True).count(),
        "engagements": Engagement.objects.count(),
        **_later_totals(),
    }


def _later_totals() -> dict[str, int]:
    from agreements.models import Agreement
    from bookings.models import Booking
    from help_requests.models import HelpRequest
    from incidents.models import Incident
    from localcrime.models import SchoolCrimeCount
    from partnership.models import ActionPlan, Group, LevelAgreement, TermlyReview
    from referrals.models import Case, Referral

    return {
        "agreements": Agreement.objects.count(),
        "referrals": Referral.objects.count(),
        "cases": Case.objects.count(),
        "bookings": Booking.objects.count(),
        "incidents": Incident.objects.count(),
        "requests for help": HelpRequest.objects.count(),
        "level answers": LevelAgreement.objects.count(),
        "action plans": ActionPlan.objects.count(),
        "termly reviews": TermlyReview.objects.count(),
        "partnership groups": Group.objects.count(),
        "monthly crime counts near schools": SchoolCrimeCount.objects.count(),
    }
