"""Shared fixtures: fast hashing, and a two-force world with one person of every kind."""

from dataclasses import dataclass, field

import pytest

from accounts.models import Organisation, Role, Team
from accounts.tests.factories import ForceFactory, OrganisationFactory, TeamFactory, UserFactory
from schools.tests.factories import NamedContactFactory, SchoolFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start each test with an empty cache: sign-in rate limits and used TOTP codes live there."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    """Force A (with two schools, a partner, a council) and force B, with people of every kind."""

    forces: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    schools: dict = field(default_factory=dict)
    teams: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.users[name]
        except KeyError:
            raise AttributeError(name) from None


def build_world():
    world = World()
    for key, name in (("a", "Dorset Police"), ("b", "Wessex Police")):
        force = ForceFactory(name=name, slug=f"{key}-force")
        world.forces[key] = force
        world.orgs[f"police_{key}"] = OrganisationFactory(
            force=force, kind=Organisation.Kind.POLICE, name=name
        )
    force_a, force_b = world.forces["a"], world.forces["b"]
    world.teams["npt_a"] = TeamFactory(force=force_a, name="North NPT")
    world.teams["sst_a"] = TeamFactory(
        force=force_a, name="Safer Schools", kind=Team.Kind.SAFER_SCHOOLS
    )
    world.teams["npt_b"] = TeamFactory(force=force_b, name="South NPT")
    world.schools["a1"] = SchoolFactory(force=force_a, name="Alder Academy")
    world.schools["a2"] = SchoolFactory(force=force_a, name="Birch Primary", phase="primary")
    world.schools["b1"] = SchoolFactory(force=force_b, name="Cedar School")
    world.orgs["partner_a"] = OrganisationFactory(
        force=force_a, kind=Organisation.Kind.PARTNER, name="Fire Service"
    )
    world.orgs["council_a"] = OrganisationFactory(
        force=force_a, kind=Organisation.Kind.LOCAL_AUTHORITY, name="Dorset Council"
    )
    police_a, police_b = world.orgs["police_a"], world.orgs["police_b"]
    school_a1, school_a2 = world.schools["a1"].organisation, world.schools["a2"].organisation
    school_b1 = world.schools["b1"].organisation
    people = {
        "headteacher": (school_a1, Role.HEADTEACHER, None),
        "dsl": (school_a1, Role.DSL, None),
        "school_link": (school_a1, Role.SCHOOL_LINK, None),
        "sso": (police_a, Role.SAFER_SCHOOLS_OFFICER, "sst_a"),
        "neighbourhood": (police_a, Role.NEIGHBOURHOOD_OFFICER, "npt_a"),
        "sergeant": (police_a, Role.SERGEANT, "npt_a"),
        "manager": (police_a, Role.PREVENTION_MANAGER, None),
        "coordinator": (police_a, Role.COORDINATOR, None),
        "partner": (world.orgs["partner_a"], Role.PARTNER, None),
        "admin": (police_a, Role.FORCE_ADMIN, None),
        "other_school_headteacher": (school_a2, Role.HEADTEACHER, None),
        "other_school_dsl": (school_a2, Role.DSL, None),
        "other_force_admin": (police_b, Role.FORCE_ADMIN, None),
        "other_force_manager": (police_b, Role.PREVENTION_MANAGER, None),
        "other_force_sso": (police_b, Role.SAFER_SCHOOLS_OFFICER, "npt_b"),
        "other_force_headteacher": (school_b1, Role.HEADTEACHER, None),
    }
    for key, (org, role, team) in people.items():
        world.users[key] = UserFactory(
            email=f"{key}@example.org",
            full_name=key.replace("_", " ").title(),
            organisation=org,
            role=role,
            team=world.teams[team] if team else None,
        )
    world.teams["npt_a"].sergeant = world.users["sergeant"]
    world.teams["npt_a"].save()
    NamedContactFactory(school=world.schools["a1"], officer=world.users["neighbourhood"])
    return world


@pytest.fixture
def world(db):
    return build_world()
