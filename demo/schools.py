"""Demo schools for `manage.py seed_demo`: GIAS-shaped, made up, and the same on every run.

The mix of establishments per local authority is DOMAIN.md's "One county's mix" (Dorset and
Bournemouth, Christchurch and Poole, 2018/19). Districts are the pre-2019 ones of the ONS LSOA
lookup in ../shared/data/ (lsoa11_to_la_police_force_dorset_crime-sim-toolkit.csv); each district
gets schools in proportion to its number of LSOAs there. The towns, villages and postcode
districts are real; every school, address, headteacher and number is invented.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from accounts.models import Force, Organisation, Team, User
from demo.accounts import demo_random, person_name
from schools.models import Engagement, NamedContact, School, SchoolContact

# The URN ranges of demo schools: real GIAS URNs stay below 900000.
DORSET_FIRST_URN = 900001
WESSEX_FIRST_URN = 990001
DORSET_LAST_URN = WESSEX_FIRST_URN - 1

# Ofcom keeps 01632 960000 to 960999 for drama, so no real line is ever printed.
DRAMA_TELEPHONE_PREFIX = "01632960"

# The share of secondary and middle schools whose named contact is a Safer Schools officer:
# one force's first needs assessment placed 16% of its schools in the Complex tier.
COMPLEX_SHARE = 0.16
SAFER_SCHOOLS_PHASES = frozenset(
    {School.Phase.SECONDARY, School.Phase.MIDDLE_SECONDARY, School.Phase.ALL_THROUGH}
)


@dataclass(frozen=True)
class Place:
    """A real town, village or suburb: where a demo school stands."""

    name: str
    town: str
    postcode_districts: tuple[str, ...]
    is_town: bool = False  # large enough for a secondary school or a college


@dataclass(frozen=True)
class District:
    """A pre-2019 district of a local authority, policed by one neighbourhood team."""

    name: str
    lsoa_count: int
    team: str
    places: tuple[Place, ...]


@dataclass(frozen=True)
class LocalAuthority:
    code: str
    name: str  # as GIAS spells "LA (name)"
    districts: tuple[District, ...]


@dataclass(frozen=True)
class EstablishmentType:
    name: str  # GIAS "TypeOfEstablishment (name)"
    group: str  # GIAS "EstablishmentTypeGroup (name)"
    profiles: tuple[tuple[str, float], ...]  # age profiles and their weights


@dataclass(frozen=True)
class AgeProfile:
    phase: str
    ages: tuple[tuple[int, int], ...]
    pupils: tuple[int, int]
    rural_pupils: tuple[int, int] | None = None  # smaller schools outside the towns
    three_tier_only: bool = False  # first, middle and upper schools: Dorset's three-tier areas


@dataclass(frozen=True)
class SchoolSpec:
    """Everything a demo school row holds, before it is saved."""

    urn: int
    name: str
    establishment_type: str
    type_group: str
    phase: str
    statutory_low_age: int
    statutory_high_age: int
    number_of_pupils: int
    la_code: str
    la_name: str
    street: str
    locality: str
    town: str
    postcode: str
    telephone: str
    website: str
    headteacher_name: str
    opened_on: date | None
    team: str
    safer_schools_contact: bool

    def school(self, *, force: Force, organisation: Organisation, team: Team | None) -> School:
        return School(
            force=force,
            organisation=organisation,
            urn=self.urn,
            name=self.name,
            establishment_type=self.establishment_type,
            type_group=self.type_group,
            phase=self.phase,
            statutory_low_age=self.statutory_low_age,
            statutory_high_age=self.statutory_high_age,
            number_of_pupils=self.number_of_pupils,
            la_code=self.la_code,
            la_name=self.la_name,
            street=self.street,
            locality=self.locality,
            town=self.town,
            postcode=self.postcode,
            telephone=self.telephone,
            website=self.website,
            headteacher_name=self.headteacher_name,
            status=School.Status.OPEN,
            opened_on=self.opened_on,
            team=team,
        )


NORTH_DORSET_NPT = "North Dorset NPT"
SOUTH_DORSET_NPT = "South Dorset NPT"
BCP_EAST_NPT = "BCP East NPT"
BCP_WEST_NPT = "BCP West NPT"

DORSET_COUNCIL = LocalAuthority(
    code="838",
    name="Dorset",
    districts=(
        District(
            "North Dorset",
            37,
            NORTH_DORSET_NPT,
            (
                Place("Blandford Forum", "Blandford Forum", ("DT11",), is_town=True),
                Place("Shaftesbury", "Shaftesbury", ("SP7",), is_town=True),
                Place("Gillingham", "Gillingham", ("SP8",), is_town=True),
                Place("Sturminster Newton", "Sturminster Newton", ("DT10",), is_town=True),
                Place("Stalbridge", "Sturminster Newton", ("DT10",)),
                Place("Marnhull", "Sturminster Newton", ("DT10",)),
                Place("Hazelbury Bryan", "Sturminster Newton", ("DT10",)),
                Place("Motcombe", "Shaftesbury", ("SP7",)),
                Place("Bourton", "Gillingham", ("SP8",)),
                Place("Child Okeford", "Blandford Forum", ("DT11",)),
                Place("Okeford Fitzpaine", "Blandford Forum", ("DT11",)),
                Place("Milborne St Andrew", "Blandford Forum", ("DT11",)),
                Place("Pimperne", "Blandford Forum", ("DT11",)),
            ),
        ),
        District(
            "East Dorset",
            57,
            NORTH_DORSET_NPT,
            (
                Place("Wimborne Minster", "Wimborne", ("BH21",), is_town=True),
                Place("Ferndown", "Ferndown", ("BH22",), is_town=True),
                Place("Verwood", "Verwood", ("BH31",), is_town=True),
                Place("Corfe Mullen", "Wimborne", ("BH21",), is_town=True),
                Place("West Moors", "Ferndown", ("BH22",)),
                Place("Colehill", "Wimborne", ("BH21",)),
                Place("Sturminster Marshall", "Wimborne", ("BH21",)),
                Place("Cranborne", "Wimborne", ("BH21",)),
                Place("Three Legged Cross", "Wimborne", ("BH21",)),
                Place("Witchampton", "Wimborne", ("BH21",)),
                Place("Holt", "Wimborne", ("BH21",)),
            ),
        ),
        District(
            "West Dorset",
            58,
            SOUTH_DORSET_NPT,
            (
                Place("Dorchester", "Dorchester", ("DT1",), is_town=True),
                Place("Bridport", "Bridport", ("DT6",), is_town=True),
                Place("Sherborne", "Sherborne", ("DT9",), is_town=True),
                Place("Beaminster", "Beaminster", ("DT8",), is_town=True),
                Place("Lyme Regis", "Lyme Regis", ("DT7",), is_town=True),
                Place("Poundbury", "Dorchester", ("DT1",)),
                Place("Charminster", "Dorchester", ("DT2",)),
                Place("Puddletown", "Dorchester", ("DT2",)),
                Place("Crossways", "Dorchester", ("DT2",)),
                Place("Maiden Newton", "Dorchester", ("DT2",)),
                Place("Cerne Abbas", "Dorchester", ("DT2",)),
                Place("Yetminster", "Sherborne", ("DT9",)),
                Place("Broadwindsor", "Beaminster", ("DT8",)),
                Place("Charmouth", "Bridport", ("DT6",)),
                Place("Burton Bradstock", "Bridport", ("DT6",)),
            ),
        ),
        District(
            "Weymouth and Portland",
            38,
            SOUTH_DORSET_NPT,
            (
                Place("Weymouth", "Weymouth", ("DT3", "DT4"), is_town=True),
                Place("Portland", "Portland", ("DT5",), is_town=True),
                Place("Preston", "Weymouth", ("DT3",)),
                Place("Chickerell", "Weymouth", ("DT3",)),
                Place("Wyke Regis", "Weymouth", ("DT4",)),
                Place("Littlemoor", "Weymouth", ("DT3",)),
                Place("Southill", "Weymouth", ("DT4",)),
                Place("Easton", "Portland", ("DT5",)),
            ),
        ),
        District(
            "Purbeck",
            29,
            SOUTH_DORSET_NPT,
            (
                Place("Wareham", "Wareham", ("BH20",), is_town=True),
                Place("Swanage", "Swanage", ("BH19",), is_town=True),
                Place("Lytchett Minster", "Poole", ("BH16",), is_town=True),
                Place("Wool", "Wareham", ("BH20",)),
                Place("Lytchett Matravers", "Poole", ("BH16",)),
                Place("Upton", "Poole", ("BH16",)),
                Place("Corfe Castle", "Wareham", ("BH20",)),
                Place("Bere Regis", "Wareham", ("BH20",)),
                Place("Sandford", "Wareham", ("BH20",)),
                Place("Bovington", "Wareham", ("BH20",)),
            ),
        ),
    ),
)

BCP_COUNCIL = LocalAuthority(
    code="839",
    name="Bournemouth, Christchurch and Poole",
    districts=(
        District(
            "Bournemouth",
            110,
            BCP_EAST_NPT,
            tuple(
                Place(name, "Bournemouth", postcodes, is_town=True)
                for name, postcodes in (
                    ("Bournemouth", ("BH1", "BH2", "BH3", "BH4", "BH8", "BH9")),
                    ("Boscombe", ("BH1", "BH5")),
                    ("Southbourne", ("BH6",)),
                    ("Pokesdown", ("BH5",)),
                    ("Kinson", ("BH10", "BH11")),
                    ("West Howe", ("BH11",)),
                    ("Ensbury Park", ("BH10",)),
                    ("Northbourne", ("BH10",)),
                    ("Winton", ("BH9",)),
                    ("Moordown", ("BH9",)),
                    ("Muscliff", ("BH9",)),
                    ("Westbourne", ("BH4",)),
                    ("Throop", ("BH8",)),
                    ("Strouden Park", ("BH8",)),
                    ("Queen's Park", ("BH8",)),
                    ("Springbourne", ("BH1", "BH7")),
                    ("Littledown", ("BH7",)),
                )
            ),
        ),
        District(
            "Poole",
            93,
            BCP_WEST_NPT,
            (
                Place("Poole", "Poole", ("BH15",), is_town=True),
                Place("Parkstone", "Poole", ("BH12", "BH14"), is_town=True),
                Place("Broadstone", "Broadstone", ("BH18",), is_town=True),
                Place("Canford Heath", "Poole", ("BH17",), is_town=True),
                Place("Oakdale", "Poole", ("BH15",), is_town=True),
                Place("Hamworthy", "Poole", ("BH15",), is_town=True),
                Place("Branksome", "Poole", ("BH12",), is_town=True),
                Place("Creekmoor", "Poole", ("BH17",), is_town=True),
                Place("Alderney", "Poole", ("BH12",), is_town=True),
                Place("Talbot Village", "Poole", ("BH12",), is_town=True),
                Place("Canford Cliffs", "Poole", ("BH13",), is_town=True),
                Place("Lilliput", "Poole", ("BH14",), is_town=True),
                Place("Merley", "Wimborne", ("BH21",), is_town=True),
            ),
        ),
        District(
            "Christchurch",
            30,
            BCP_EAST_NPT,
            tuple(
                Place(name, "Christchurch", ("BH23",), is_town=True)
                for name in ("Christchurch", "Highcliffe", "Mudeford", "Burton", "Somerford")
            ),
        ),
    ),
)

DORSET_AREA = (DORSET_COUNCIL, BCP_COUNCIL)

WESSEX_AREA = (
    LocalAuthority(
        code="865",
        name="Wiltshire",
        districts=(
            District(
                "Wiltshire",
                1,
                "Wiltshire NPT",
                (
                    Place("Salisbury", "Salisbury", ("SP1", "SP2"), is_town=True),
                    Place("Trowbridge", "Trowbridge", ("BA14",), is_town=True),
                    Place("Chippenham", "Chippenham", ("SN15",), is_town=True),
                    Place("Devizes", "Devizes", ("SN10",), is_town=True),
                ),
            ),
        ),
    ),
    LocalAuthority(
        code="866",
        name="Swindon",
        districts=(
            District(
                "Swindon",
                1,
                "Swindon NPT",
                (
                    Place("Swindon", "Swindon", ("SN1", "SN2", "SN3", "SN5"), is_town=True),
                    Place("Highworth", "Swindon", ("SN6",), is_town=True),
                    Place("Wroughton", "Swindon", ("SN4",), is_town=True),
                ),
            ),
        ),
    ),
)

AGE_PROFILES = {
    "primary": AgeProfile(School.Phase.PRIMARY, ((4, 11),), (180, 630), (35, 320)),
    "primary_nursery": AgeProfile(School.Phase.PRIMARY, ((3, 11),), (200, 650), (60, 340)),
    "infant": AgeProfile(School.Phase.PRIMARY, ((4, 7),), (120, 270), (40, 150)),
    "junior": AgeProfile(School.Phase.PRIMARY, ((7, 11),), (180, 360), (60, 200)),
    "first": AgeProfile(School.Phase.PRIMARY, ((4, 9),), (120, 300), (30, 180), True),
    "middle": AgeProfile(School.Phase.MIDDLE_SECONDARY, ((9, 13),), (300, 650), None, True),
    "secondary": AgeProfile(School.Phase.SECONDARY, ((11, 16),), (550, 1300)),
    "secondary_sixth_form": AgeProfile(School.Phase.SECONDARY, ((11, 18),), (800, 1750)),
    "upper": AgeProfile(School.Phase.SECONDARY, ((13, 18),), (650, 1400), None, True),
    "all_through": AgeProfile(School.Phase.ALL_THROUGH, ((4, 18), (3, 16), (4, 16)), (700, 1650)),
    "special": AgeProfile(
        School.Phase.NOT_APPLICABLE, ((2, 19), (3, 19), (4, 19), (11, 19), (5, 16)), (60, 260)
    ),
    "independent_prep": AgeProfile(School.Phase.NOT_APPLICABLE, ((2, 13), (3, 13)), (110, 420)),
    "independent_all_ages": AgeProfile(School.Phase.NOT_APPLICABLE, ((3, 18), (4, 18)), (350, 900)),
    "independent_senior": AgeProfile(School.Phase.NOT_APPLICABLE, ((11, 18), (13, 18)), (250, 750)),
    "independent_small": AgeProfile(School.Phase.NOT_APPLICABLE, ((4, 16), (5, 11)), (25, 160)),
    "independent_special": AgeProfile(
        School.Phase.NOT_APPLICABLE, ((7, 19), (8, 18), (11, 19), (5, 19)), (12, 90)
    ),
    "studio": AgeProfile(School.Phase.SECONDARY, ((14, 19),), (120, 320)),
    "further_education": AgeProfile(School.Phase.SIXTEEN_PLUS, ((16, 99),), (2500, 7500)),
}

ACADEMIES = "Academies"
MAINTAINED = "Local authority maintained schools"
SPECIAL = "Special schools"
INDEPENDENT = "Independent schools"
FREE_SCHOOLS = "Free Schools"
COLLEGES = "Colleges"

ESTABLISHMENT_TYPES = {
    t.name: t
    for t in (
        EstablishmentType(
            "Academy converter",
            ACADEMIES,
            (
                ("primary", 45),
                ("primary_nursery", 12),
                ("infant", 3),
                ("junior", 3),
                ("first", 5),
                ("middle", 4),
                ("secondary", 10),
                ("secondary_sixth_form", 14),
                ("upper", 2),
                ("all_through", 2),
            ),
        ),
        EstablishmentType("Academy special converter", ACADEMIES, (("special", 1),)),
        EstablishmentType(
            "Academy sponsor led",
            ACADEMIES,
            (
                ("primary", 45),
                ("primary_nursery", 15),
                ("junior", 5),
                ("first", 5),
                ("secondary", 12),
                ("secondary_sixth_form", 15),
                ("all_through", 3),
            ),
        ),
        EstablishmentType(
            "Community school",
            MAINTAINED,
            (
                ("primary", 55),
                ("primary_nursery", 20),
                ("infant", 8),
                ("junior", 7),
                ("first", 5),
                ("secondary", 5),
            ),
        ),
        EstablishmentType("Community special school", SPECIAL, (("special", 1),)),
        EstablishmentType(
            "Foundation school",
            MAINTAINED,
            (
                ("primary", 40),
                ("primary_nursery", 10),
                ("secondary", 20),
                ("secondary_sixth_form", 30),
            ),
        ),
        EstablishmentType("Foundation special school", SPECIAL, (("special", 1),)),
        EstablishmentType(
            "Free schools",
            FREE_SCHOOLS,
            (("primary", 35), ("secondary", 30), ("all_through", 35)),
        ),
        EstablishmentType("Non-maintained special school", SPECIAL, (("special", 1),)),
        EstablishmentType(
            "Other independent school",
            INDEPENDENT,
            (
                ("independent_prep", 35),
                ("independent_all_ages", 30),
                ("independent_senior", 15),
                ("independent_small", 20),
            ),
        ),
        EstablishmentType(
            "Other independent special school", INDEPENDENT, (("independent_special", 1),)
        ),
        EstablishmentType("Studio schools", FREE_SCHOOLS, (("studio", 1),)),
        EstablishmentType(
            "Voluntary aided school",
            MAINTAINED,
            (
                ("primary", 55),
                ("primary_nursery", 20),
                ("infant", 5),
                ("junior", 5),
                ("first", 5),
                ("secondary_sixth_form", 10),
            ),
        ),
        EstablishmentType(
            "Voluntary controlled school",
            MAINTAINED,
            (("primary", 55), ("primary_nursery", 10), ("first", 25), ("middle", 5), ("infant", 5)),
        ),
        EstablishmentType("Further education", COLLEGES, (("further_education", 1),)),
    )
}

# DOMAIN.md, "One county's mix": establishments per type in the county LA (Dorset, 838) and
# the unitary LA (BCP, 839), without the 31 sixth-form destinations.
DORSET_MIX = {
    "838": {
        "Academy converter": 72,
        "Academy special converter": 1,
        "Academy sponsor led": 13,
        "Community school": 23,
        "Community special school": 2,
        "Foundation school": 4,
        "Foundation special school": 2,
        "Free schools": 1,
        "Non-maintained special school": 2,
        "Other independent school": 17,
        "Other independent special school": 5,
        "Studio schools": 1,
        "Voluntary aided school": 20,
        "Voluntary controlled school": 13,
        "Further education": 1,
    },
    "839": {
        "Academy converter": 55,
        "Academy special converter": 3,
        "Academy sponsor led": 17,
        "Community school": 5,
        "Community special school": 2,
        "Foundation school": 2,
        "Foundation special school": 0,
        "Free schools": 2,
        "Non-maintained special school": 3,
        "Other independent school": 9,
        "Other independent special school": 2,
        "Studio schools": 1,
        "Voluntary aided school": 6,
        "Voluntary controlled school": 1,
        "Further education": 1,
    },
}

WESSEX_MIX = {
    "865": {"Academy converter": 2, "Community school": 1},
    "866": {"Academy sponsor led": 1, "Voluntary aided school": 1, "Community school": 1},
}

FEATURES = (
    "Oak", "Hill", "Vale", "Meadow", "Heath", "Park", "Downs", "Castle", "Abbey", "Field",
    "Valley", "Ridge", "Coombe", "Brook", "Orchard", "Priory", "Willow", "Beacon", "Elm", "Chalk",
)  # fmt: skip
SAINTS = (
    "Mary", "Michael", "Peter", "Andrew", "John", "Nicholas", "George", "Mark", "Aldhelm",
    "Osmund", "Catherine", "Lawrence", "James", "Paul", "Swithun", "Edward", "Luke", "Anne",
)  # fmt: skip
STREETS = (
    "Church Lane", "School Lane", "High Street", "Station Road", "Mill Lane", "Manor Road",
    "Victoria Road", "Park Road", "Green Lane", "North Street", "West Street", "Queens Road",
    "Kings Road", "Castle Road", "Elm Grove", "Orchard Way", "Chapel Street", "Salisbury Road",
    "Ringwood Road", "Wimborne Road", "Springfield Road", "St Johns Road", "Moor Lane",
    "Beech Avenue", "Priory Road", "Broadway", "Sandy Lane", "Harbour Road", "Meadow Way",
)  # fmt: skip
# Letters that UK postcodes use in the unit part.
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def _school_name(
    rng: random.Random, type_name: str, profile: str, place: Place, la_code: str
) -> str:
    """Return a plausible, invented name for a school of this type and age profile."""
    feature = rng.choice(FEATURES)
    saint = rng.choice(SAINTS)
    at = place.name
    stage = {
        "infant": "Infant School",
        "junior": "Junior School",
        "first": "First School",
        "middle": "Middle School",
        "upper": "Upper School",
    }.get(profile, "Primary School")
    if type_name == "Further education":
        return rng.choice([f"{at} College", f"{at} College of Further Education"])
    if type_name == "Studio schools":
        return f"{at} Studio School"
    if profile == "special":
        return rng.choice([f"{at} {feature} School", f"{feature} View School, {at}"])
    if profile == "independent_special":
        return rng.choice([f"{feature} House School, {at}", f"{at} {feature} College"])
    if profile.startswith("independent"):
        if profile == "independent_prep":
            return rng.choice([f"{at} Preparatory School", f"{feature} House Preparatory School"])
        return rng.choice([f"{at} {feature} School", f"{feature} House School, {at}"])
    is_primary = profile in {"primary", "primary_nursery", "infant", "junior", "first"}
    if type_name == "Voluntary aided school":
        faith = rng.choice(["Catholic", "Church of England"])
        if is_primary:
            return f"St {saint}'s {faith} {stage}, {at}"
        return f"St {saint}'s {faith} School, {at}"
    if type_name == "Voluntary controlled school":
        if rng.random() < 0.5:
            return f"{at} Church of England {stage}"
        return f"{at} St {saint}'s Church of England {stage}"
    if is_primary:
        if type_name in {"Academy converter", "Academy sponsor led", "Free schools"}:
            return rng.choice(
                [f"{at} {stage}", f"{at} {feature} Primary Academy", f"{at} {feature} {stage}"]
            )
        return rng.choice([f"{at} {stage}", f"{at} Community {stage}", f"{at} {feature} {stage}"])
    if profile in {"middle", "upper"}:
        return f"{at} {stage}"
    if profile == "all_through":
        return rng.choice([f"{at} {feature} Academy", f"{at} All-through School"])
    if type_name == "Foundation school" and la_code == "839":
        return f"{at} Grammar School"
    if type_name in {"Academy converter", "Academy sponsor led", "Free schools"}:
        return rng.choice([f"{at} Academy", f"The {at} Academy", f"{at} {feature} Academy"])
    return rng.choice([f"{at} School", f"The {at} School", f"{at} {feature} School"])


def _postcode(rng: random.Random, place: Place) -> str:
    district = rng.choice(place.postcode_districts)
    unit = "".join(rng.choice(POSTCODE_UNIT_LETTERS) for _ in range(2))
    return f"{district} {rng.randint(1, 9)}{unit}"


def _slug(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


def build_school_specs(
    area: tuple[LocalAuthority, ...],
    mix: dict[str, dict[str, int]],
    *,
    first_urn: int,
    scale: int = 1,
) -> list[SchoolSpec]:
    """Return the demo schools of an area: `scale` copies of the mix, numbered from `first_urn`.

    Every school draws from its own random generator, seeded by its URN, so a school is the
    same on every run and at every scale; only clashing names are told apart by order.
    """
    specs = []
    names_taken = set()
    urn = first_urn
    for _copy in range(scale):
        for la in area:
            for type_name, count in mix[la.code].items():
                for _ in range(count):
                    spec = _build_school_spec(la, ESTABLISHMENT_TYPES[type_name], urn, names_taken)
                    names_taken.add(spec.name)
                    specs.append(spec)
                    urn += 1
    return specs


def _build_school_spec(
    la: LocalAuthority, kind: EstablishmentType, urn: int, names_taken: set[str]
) -> SchoolSpec:
    rng = demo_random("school", urn)
    three_tier = la.code == DORSET_COUNCIL.code
    profiles = [
        (p, w) for p, w in kind.profiles if three_tier or not AGE_PROFILES[p].three_tier_only
    ]
    profile_name = rng.choices([p for p, _ in profiles], weights=[w for _, w in profiles])[0]
    profile = AGE_PROFILES[profile_name]
    low, high = rng.choice(profile.ages)

    district = rng.choices(la.districts, weights=[d.lsoa_count for d in la.districts])[0]
    is_small = profile.phase in {School.Phase.PRIMARY, School.Phase.NOT_APPLICABLE}
    places = [p for p in district.places if p.is_town or (is_small and profile_name != "special")]
    place = rng.choice(places)
    name = _school_name(rng, kind.name, profile_name, place, la.code)
    attempts = 0
    while name in names_taken and attempts < 10:
        place = rng.choice(places)
        name = _school_name(rng, kind.name, profile_name, place, la.code)
        attempts += 1
    if name in names_taken:
        name = f"{name} ({urn})"
    pupils_range = profile.pupils
    if not place.is_town and profile.rural_pupils:
        pupils_range = profile.rural_pupils
    pupils = rng.randint(*pupils_range)

    is_academy = kind.group in {ACADEMIES, FREE_SCHOOLS}
    opened_on = None
    if is_academy:
        opened_on = date(rng.randint(2011, 2023), rng.choice([4, 9, 1]), 1)
    title = rng.choice(["Mr", "Mrs", "Ms", "Miss", "Dr"])
    first_name, last_name = person_name(rng, title=title)
    safer_schools_contact = profile.phase in SAFER_SCHOOLS_PHASES and rng.random() < COMPLEX_SHARE
    return SchoolSpec(
        urn=urn,
        name=name,
        establishment_type=kind.name,
        type_group=kind.group,
        phase=profile.phase,
        statutory_low_age=low,
        statutory_high_age=high,
        number_of_pupils=pupils,
        la_code=la.code,
        la_name=la.name,
        street=rng.choice(STREETS),
        locality="" if place.name == place.town else place.name,
        town=place.town,
        postcode=_postcode(rng, place),
        telephone=f"{DRAMA_TELEPHONE_PREFIX}{rng.randint(0, 999):03d}",
        website=f"https://www.{_slug(name)}.example",
        headteacher_name=f"{title} {first_name} {last_name}",
        opened_on=opened_on,
        team=district.team,
        safer_schools_contact=safer_schools_contact,
    )


def neighbourhood_team_names(area: tuple[LocalAuthority, ...]) -> list[str]:
    """Return the neighbourhood teams that police an area, in a fixed order."""
    return list(dict.fromkeys(d.team for la in area for d in la.districts))


def mix_counts(mix: dict[str, dict[str, int]], *, scale: int = 1) -> Counter:
    """Return the number of establishments per (LA code, type of establishment)."""
    return Counter(
        {(la, kind): count * scale for la, kinds in mix.items() for kind, count in kinds.items()}
    )


def _in_urn_range(specs: list[SchoolSpec]):
    """Return a filter for the URN range of these specs (fewer SQL parameters than a list)."""
    urns = [spec.urn for spec in specs]
    return {"urn__gte": min(urns), "urn__lte": max(urns)}


@transaction.atomic
def seed_schools(
    force: Force, specs: list[SchoolSpec], *, teams: dict[str, Team]
) -> dict[int, School]:
    """Create the schools that do not exist yet, each with its organisation; return all by URN.

    Existing schools are left as they are, so a second run changes nothing.
    """
    urns = {spec.urn for spec in specs}
    in_range = School.objects.filter(**_in_urn_range(specs))
    existing_urns = set(in_range.values_list("urn", flat=True))
    missing = [spec for spec in specs if spec.urn not in existing_urns]
    if missing:
        school_orgs = Organisation.objects.filter(force=force, kind=Organisation.Kind.SCHOOL)
        # A name already held by another school of the force cannot be used twice.
        held = set(school_orgs.filter(school__isnull=False).values_list("name", flat=True))
        missing = [spec for spec in missing if spec.name not in held]
        unused = set(school_orgs.filter(school__isnull=True).values_list("name", flat=True))
        Organisation.objects.bulk_create(
            [
                Organisation(force=force, kind=Organisation.Kind.SCHOOL, name=spec.name)
                for spec in missing
                if spec.name not in unused
            ]
        )
        orgs = {org.name: org for org in school_orgs.filter(school__isnull=True)}
        School.objects.bulk_create(
            [
                spec.school(force=force, organisation=orgs[spec.name], team=teams.get(spec.team))
                for spec in missing
            ]
        )
    schools = in_range.filter(force=force).select_related("organisation", "team")
    return {school.urn: school for school in schools if school.urn in urns}


@transaction.atomic
def seed_named_contacts(
    schools: dict[int, School],
    specs: list[SchoolSpec],
    *,
    neighbourhood_officers: dict[str, list[User]],
    safer_schools_officers: list[User],
    starts_on: date,
    chosen: dict[int, User] | None = None,
) -> int:
    """Name a police contact, with a deputy, for each school that has no open one; return how many.

    Most schools get a neighbourhood officer of their area in turn; a school marked for the
    Safer Schools team gets one of its officers. `chosen` names the contact of given URNs.
    """
    chosen = chosen or {}
    in_range = {f"school__{key}": value for key, value in _in_urn_range(specs).items()}
    with_open_contact = set(
        NamedContact.objects.filter(ends_on__isnull=True, **in_range).values_list(
            "school__urn", flat=True
        )
    )
    turns = Counter()
    contacts = []
    for spec in specs:
        school = schools.get(spec.urn)
        if school is None or spec.urn in with_open_contact:
            continue
        if spec.safer_schools_contact:
            pool_name, pool = "Safer Schools", safer_schools_officers
        else:
            pool_name, pool = spec.team, neighbourhood_officers[spec.team]
        turn = turns[pool_name]
        turns[pool_name] += 1
        officer = chosen.get(spec.urn) or pool[turn % len(pool)]
        deputies = [o for o in pool if o.pk != officer.pk]
        deputy = deputies[turn % len(deputies)] if deputies else None
        contacts.append(
            NamedContact(school=school, officer=officer, deputy=deputy, starts_on=starts_on)
        )
    NamedContact.objects.bulk_create(contacts)
    return len(contacts)


ENGAGEMENT_SUMMARIES = {
    Engagement.Kind.VISIT: "Drop-in visit; spoke with the duty head about the week.",
    Engagement.Kind.PATROL: "Patrol at the gates at home time; no issues seen.",
    Engagement.Kind.SENIOR_MEETING: "Termly meeting with the senior link about local concerns.",
    Engagement.Kind.INPUT: "Assembly input on staying safe online.",
    Engagement.Kind.SMALL_GROUP: "Small-group session with Year 9 on consequences of carrying knives.",
    Engagement.Kind.MULTI_AGENCY: "Attended the education inclusion meeting.",
}


@transaction.atomic
def seed_engagements(schools: dict[int, School], *, since: date, today: date) -> int:
    """Log a made-up history of engagements at each school that has none; return how many.

    The named contact logs them, a few a month, the same on every run.
    """
    with_engagements = set(
        Engagement.objects.filter(school__in=schools.values()).values_list("school_id", flat=True)
    )
    contacts = {
        c.school_id: c.officer_id
        for c in NamedContact.objects.filter(school__in=schools.values(), ends_on__isnull=True)
    }
    kinds = list(ENGAGEMENT_SUMMARIES)
    days = max((today - since).days, 1)
    engagements = []
    for urn, school in schools.items():
        officer_id = contacts.get(school.pk)
        if school.pk in with_engagements or officer_id is None:
            continue
        rng = random.Random(f"engagements-{urn}")  # noqa: S311 - demo data, no secret
        for _ in range(rng.randint(1, 3) * max(days // 30, 1)):
            kind = rng.choice(kinds)
            engagements.append(
                Engagement(
                    school=school,
                    officer_id=officer_id,
                    occurred_on=since + timedelta(days=rng.randrange(days)),
                    kind=kind,
                    purpose=rng.choice(list(Engagement.Purpose)),
                    duration_minutes=rng.choice([15, 30, 45, 60, 90]),
                    with_whom="Senior link" if kind == Engagement.Kind.SENIOR_MEETING else "",
                    summary=ENGAGEMENT_SUMMARIES[kind],
                )
            )
    Engagement.objects.bulk_create(engagements, batch_size=2000)
    return len(engagements)


def seed_school_contacts(school: School, people: list[User]) -> None:
    """Record the demo school's own staff as its contacts, linked to their accounts."""
    kinds = {"headteacher": "headteacher", "dsl": "dsl", "school_link": "senior_link"}
    for user in people:
        kind = kinds.get(user.role)
        if kind and user.organisation_id == school.organisation_id:
            SchoolContact.objects.get_or_create(
                school=school,
                kind=kind,
                defaults={"name": user.full_name, "email": user.email, "user": user},
            )
