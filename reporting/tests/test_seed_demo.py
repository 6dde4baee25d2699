"""The demo data: DOMAIN.md's mix of schools, one account per role, MFA, and no duplicates."""

import re
from collections import Counter
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import CommandError, call_command

from accounts.models import Force, Organisation, Role, Team, User
from demo.accounts import DEBUG_DEMO_PASSWORD, totp_secret
from demo.schools import DORSET_AREA, DORSET_MIX, build_school_specs
from schools.models import NamedContact, School

PASSWORD = "a-long-test-demo-password"
DEMO_DOMAIN = "@demo.safer-schools.test"
WESSEX_DOMAIN = "@wessex.demo.safer-schools.test"

# DOMAIN.md, "One county's mix", with the GIAS names of the types of establishment.
DOMAIN_TABLE = {
    "Academy converter": (72, 55),
    "Academy special converter": (1, 3),
    "Academy sponsor led": (13, 17),
    "Community school": (23, 5),
    "Community special school": (2, 2),
    "Foundation school": (4, 2),
    "Foundation special school": (2, 0),
    "Free schools": (1, 2),
    "Non-maintained special school": (2, 3),
    "Other independent school": (17, 9),
    "Other independent special school": (5, 2),
    "Studio schools": (1, 1),
    "Voluntary aided school": (20, 6),
    "Voluntary controlled school": (13, 1),
    "Further education": (1, 1),
}


@pytest.fixture
def demo_env(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(demo_env):
    return seed()


def dorset_schools():
    return School.objects.filter(force__slug="dorset")


@pytest.mark.django_db
def test_counts_per_type_and_local_authority_match_the_domain_table(seeded):
    expected = Counter()
    for kind, (county, unitary) in DOMAIN_TABLE.items():
        expected[("838", kind)] = county
        expected[("839", kind)] = unitary

    actual = Counter(dorset_schools().values_list("la_code", "establishment_type"))

    assert +actual == +expected
    assert dorset_schools().count() == 286
    assert set(dorset_schools().values_list("la_name", flat=True)) == {
        "Dorset",
        "Bournemouth, Christchurch and Poole",
    }


@pytest.mark.django_db
def test_forces_local_authorities_and_teams(seeded):
    dorset = Force.objects.get(slug="dorset")
    assert dorset.name == "Dorset Police"
    assert dorset.home_la_codes == ["838", "839"]
    kinds = Counter(dorset.organisations.exclude(kind="school").values_list("kind", flat=True))
    assert kinds == {"police": 1, "local_authority": 2, "partner": 1, "agency": 3}
    teams = {team.name: team for team in Team.objects.filter(force=dorset)}
    assert set(teams) == {
        "Safer Schools team",
        "North Dorset NPT",
        "South Dorset NPT",
        "BCP East NPT",
        "BCP West NPT",
    }
    for team in teams.values():
        assert team.sergeant.role == Role.SERGEANT
        assert team.sergeant.force_id == dorset.pk
    assert teams["Safer Schools team"].kind == Team.Kind.SAFER_SCHOOLS
    assert teams["Safer Schools team"].members.filter(role=Role.SAFER_SCHOOLS_OFFICER).count() > 3
    assert Force.objects.filter(slug="wessex").exists()


@pytest.mark.django_db
def test_every_school_has_its_organisation_a_current_named_contact_and_a_team(seeded):
    schools = School.objects.select_related("organisation", "team")
    current = {
        contact.school_id: contact
        for contact in NamedContact.objects.current().select_related("officer__organisation")
    }

    for school in schools:
        assert school.organisation.kind == Organisation.Kind.SCHOOL
        assert school.organisation.force_id == school.force_id
        assert school.organisation.name == school.name
        assert school.team.force_id == school.force_id
        assert school.status == School.Status.OPEN
        assert 900000 <= school.urn <= 999999
        assert school.statutory_low_age <= school.statutory_high_age
        assert school.postcode[:2] in {"DT", "BH", "SP", "BA", "SN"}
        contact = current[school.pk]
        assert contact.officer.force_id == school.force_id
        if contact.officer.role == Role.SAFER_SCHOOLS_OFFICER:
            assert school.phase in {"secondary", "middle_secondary", "all_through"}
        else:
            assert contact.officer.role == Role.NEIGHBOURHOOD_OFFICER
            assert contact.officer.team_id == school.team_id


@pytest.mark.django_db
def test_phases_match_the_types_of_establishment(seeded):
    phases = Counter(dorset_schools().values_list("establishment_type", "phase"))

    assert phases[("Further education", "16_plus")] == 2
    assert phases[("Community special school", "not_applicable")] == 4
    assert phases[("Other independent school", "not_applicable")] == 26
    by_phase = Counter(dorset_schools().values_list("phase", flat=True))
    assert by_phase["primary"] > by_phase["secondary"] > by_phase["all_through"] > 0
    sso_schools = NamedContact.objects.filter(
        school__force__slug="dorset", officer__role=Role.SAFER_SCHOOLS_OFFICER
    ).count()
    secondary = dorset_schools().filter(phase__in=["secondary", "middle_secondary", "all_through"])
    assert 0.08 <= sso_schools / secondary.count() <= 0.25


@pytest.mark.django_db
def test_one_demo_account_of_every_role(seeded):
    demo_users = User.objects.filter(email__endswith=DEMO_DOMAIN)

    for role in Role:
        assert demo_users.filter(role=role).exists(), role
        assert User.objects.filter(email=f"{role.value.replace('_', '-')}{DEMO_DOMAIN}").exists()
    school_staff = demo_users.filter(role__in=["headteacher", "dsl", "school_link"])
    head = User.objects.get(email=f"headteacher{DEMO_DOMAIN}")
    other_head = User.objects.get(email=f"headteacher.other{DEMO_DOMAIN}")
    assert {u.organisation_id for u in school_staff if u != other_head} == {head.organisation_id}
    assert other_head.organisation_id != head.organisation_id
    assert head.organisation.school.headteacher_name.endswith(head.full_name)
    assert User.objects.get(email=f"partner{DEMO_DOMAIN}").organisation.name == (
        "Dorset & Wiltshire Fire and Rescue Service"
    )
    for email in ["coordinator", "admin", "manager"]:
        assert User.objects.get(email=f"{email}{DEMO_DOMAIN}").organisation.kind == "police"
    for role in Role:
        assert User.objects.filter(email__endswith=WESSEX_DOMAIN, role=role).count() == 1
    assert head.check_password(PASSWORD)
    # The demo neighbourhood officer is the demo school's named contact.
    contact = head.organisation.school.named_contacts.current().get()
    assert contact.officer.email == f"neighbourhood{DEMO_DOMAIN}"


@pytest.mark.django_db
def test_running_twice_changes_nothing(seeded):
    models = [Force, Organisation, Team, User, School, NamedContact, Authenticator]
    before = {model: model.objects.count() for model in models}
    sso = User.objects.get(email=f"sso{DEMO_DOMAIN}")
    secret, password = totp_secret(sso), sso.password

    seed()

    assert {model: model.objects.count() for model in models} == before
    sso.refresh_from_db()
    assert totp_secret(sso) == secret
    assert sso.password == password


@pytest.mark.django_db
def test_scale_multiplies_the_schools_and_officers(demo_env):
    seed("--scale", "2")

    assert dorset_schools().count() == 2 * 286
    assert NamedContact.objects.filter(school__force__slug="dorset").count() == 2 * 286
    assert User.objects.filter(email__endswith="@dorset.police.test").count() == 4 + 2 * 5 * 6


@pytest.mark.django_db
def test_the_other_force_sees_none_of_dorsets_schools(seeded):
    dorset = Force.objects.get(slug="dorset")
    wessex_users = User.objects.filter(email__endswith=WESSEX_DOMAIN)
    assert wessex_users.count() == len(Role)

    for user in wessex_users:
        assert not School.objects.visible_to(user).filter(force=dorset).exists(), user.email
    wessex_manager = wessex_users.get(role=Role.PREVENTION_MANAGER)
    assert School.objects.visible_to(wessex_manager).count() == 6
    dorset_manager = User.objects.get(email=f"manager{DEMO_DOMAIN}")
    assert School.objects.visible_to(dorset_manager).count() == 286
    head = User.objects.get(email=f"headteacher{DEMO_DOMAIN}")
    assert list(School.objects.visible_to(head)) == [head.organisation.school]


@pytest.mark.django_db
def test_police_demo_accounts_have_an_authenticator_and_totp_code_prints_a_valid_code(seeded):
    police = [
        u for u in User.objects.filter(email__contains="demo.safer-schools") if u.requires_mfa
    ]
    assert len(police) == 14  # 12 police, and a partner agency worker in each force

    for user in police:
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()
        out = StringIO()
        call_command("totp_code", user.email, "--force-demo", stdout=out, stderr=StringIO())
        code = out.getvalue().strip()
        assert re.fullmatch(r"\d{6}", code)
        assert TOTP(authenticator).validate_code(code)
        assert totp_secret(user) in seeded
    assert not Authenticator.objects.filter(user__email=f"partner{DEMO_DOMAIN}").exists()


@pytest.mark.django_db
def test_totp_code_runs_only_with_debug_or_force_demo(seeded, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("totp_code", f"sso{DEMO_DOMAIN}", stdout=StringIO())
    with pytest.raises(CommandError, match="no authenticator"):
        call_command("totp_code", f"partner{DEMO_DOMAIN}", "--force-demo", stdout=StringIO())


@pytest.mark.django_db
def test_seed_demo_needs_a_password_outside_debug(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        seed()
    assert not School.objects.exists()

    settings.DEBUG = True
    output = seed()
    assert User.objects.get(email=f"admin{DEMO_DOMAIN}").check_password(DEBUG_DEMO_PASSWORD)
    assert DEBUG_DEMO_PASSWORD in output


@pytest.mark.django_db
def test_a_weak_demo_password_is_refused(monkeypatch, settings):
    monkeypatch.setenv("DEMO_PASSWORD", "short")

    with pytest.raises(CommandError, match="too weak"):
        seed()


@pytest.mark.django_db
def test_the_sign_in_list(seeded):
    assert "http://localhost:8000/accounts/login/" in seeded
    assert PASSWORD not in seeded
    assert "DEMO_PASSWORD" in seeded
    for user in User.objects.filter(email__contains="demo.safer-schools"):
        assert user.email in seeded
    assert "make totp EMAIL=sso@demo.safer-schools.test" in seeded
    assert "python manage.py totp_code sso@demo.safer-schools.test" in seeded


def test_the_demo_schools_are_the_same_on_every_build():
    one = build_school_specs(DORSET_AREA, DORSET_MIX, first_urn=900001)
    again = build_school_specs(DORSET_AREA, DORSET_MIX, first_urn=900001)
    scaled = build_school_specs(DORSET_AREA, DORSET_MIX, first_urn=900001, scale=2)

    assert one == again
    assert scaled[: len(one)] == one
    assert len({spec.urn for spec in scaled}) == len({spec.name for spec in scaled}) == 572
