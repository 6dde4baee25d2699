"""Shared fixtures: fast hashing, and a two-force world with one person of every kind."""

import os
import uuid
from dataclasses import dataclass, field

import pytest

from accounts.models import Organisation, Role, Team
from accounts.tests.factories import ForceFactory, OrganisationFactory, TeamFactory, UserFactory
from accounts.tests.signing_in import SignInClient
from schools.tests.factories import NamedContactFactory, SchoolFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client():
    """Django's test client, whose force_login signs in as the product's sign-in does: with the
    second factor passed, which police users and administrators need before any page answers.
    For a session that used only a password: client.force_login(user, mfa=False)."""
    return SignInClient()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(params=["local", "s3"])
def file_storage(request, settings, tmp_path):
    """Run a test of stored files twice: on local files (the default) and on S3, through the
    real django-storages backend against the S3-compatible server at S3_TEST_ENDPOINT (moto's
    server, which `.ci/run` starts). Without S3_TEST_ENDPOINT the S3 run is skipped. Returns
    the storage in use."""
    from django.core.files.storage import default_storage

    if request.param == "s3":
        endpoint = os.environ.get("S3_TEST_ENDPOINT")
        if not endpoint:
            pytest.skip("S3_TEST_ENDPOINT is not set (.ci/run starts moto's S3 server)")
        import boto3

        bucket = f"test-{uuid.uuid4().hex}"
        credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        boto3.client(
            "s3", endpoint_url=endpoint, region_name="eu-west-2", **credentials
        ).create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    **settings.S3_STORAGE_OPTIONS,
                    "bucket_name": bucket,
                    "endpoint_url": endpoint,
                    "region_name": "eu-west-2",
                    "access_key": "testing",
                    "secret_key": "testing",
                },
            },
        }
        # Nothing may land on the local disk: point MEDIA_ROOT where nothing can be written.
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("")
        settings.MEDIA_ROOT = str(blocker / "media")
    return default_storage


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start each test with an empty cache: sign-in rate limits and used TOTP codes live there."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def count_queries():
    """Count the database queries of one request: `count_queries(client, url, data=None, *,
    cold=True)` GETs `url` (or POSTs `data` to it), checks the page answered 200 and returns
    the number of queries. Cold (the default) empties the shared cache first, so the count is
    the costliest case; cold=False measures the request as the cache stands."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client, url, data=None, *, cold=True):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, data) if data else client.get(url)
        assert response.status_code == 200, url
        return len(captured)

    return count


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
    # Partner agencies (a youth offending team of each force): people who see casework only
    # through a panel's agenda and the actions they own.
    world.orgs["agency_a"] = OrganisationFactory(
        force=force_a,
        kind=Organisation.Kind.AGENCY,
        agency_type=Organisation.AgencyType.YOUTH_JUSTICE,
        name="Dorset Youth Justice Service",
    )
    world.orgs["agency_b"] = OrganisationFactory(
        force=force_b,
        kind=Organisation.Kind.AGENCY,
        agency_type=Organisation.AgencyType.YOUTH_JUSTICE,
        name="Wessex Youth Justice Service",
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
        "agency": (world.orgs["agency_a"], Role.PARTNER_AGENCY, None),
        "other_force_agency": (world.orgs["agency_b"], Role.PARTNER_AGENCY, None),
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


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost that Django's SMTP backend sends to."""
    from accounts.tests.smtp_server import SMTPServer

    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def periodic_tasks(db):
    """Beat's PeriodicTask rows as beat writes them when it starts, from the one declaration
    of the periodic jobs (settings.CELERY_BEAT_SCHEDULE)."""
    from django.conf import settings
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from config import celery_app

    # What DatabaseScheduler.setup_schedule does for each entry, without its reading of the
    # schedule, which commits and closes the connection (and so the test's transaction).
    for name, fields in settings.CELERY_BEAT_SCHEDULE.items():
        DatabaseScheduler.Entry.from_entry(name, app=celery_app, **fields)
    return PeriodicTask.objects
