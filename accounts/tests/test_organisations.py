"""A force keeps its partner agencies, partner providers and local authorities on its own
Organisations pages: administrators and prevention managers add them, rename them, and
invite their people from them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import AuditEntry, Organisation, Role
from accounts.navigation import navigation_for
from accounts.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:organisation_list")
NEW = reverse("accounts:organisation_create")


def _agency(world, **fields):
    return Organisation(
        force=fields.pop("force", world.forces["a"]),
        kind=Organisation.Kind.AGENCY,
        name=fields.pop("name", "Dorset Early Help"),
        agency_type=fields.pop("agency_type", Organisation.AgencyType.EARLY_HELP),
        **fields,
    )


# The model's rule and the service ------------------------------------------------------------


def test_an_agency_needs_its_type_and_only_an_agency_has_one(world):
    with pytest.raises(ValidationError) as error:
        _agency(world, agency_type="").full_clean()
    assert error.value.message_dict["agency_type"] == ["Choose what kind of partner agency it is"]
    council = Organisation(
        force=world.forces["a"],
        kind=Organisation.Kind.LOCAL_AUTHORITY,
        name="Poole Council",
        agency_type=Organisation.AgencyType.HEALTH,
    )
    with pytest.raises(ValidationError) as error:
        council.full_clean()
    assert "only for a partner agency" in error.value.message_dict["agency_type"][0]
    council.agency_type = ""
    council.full_clean()


def test_a_name_is_the_forces_once_whatever_its_case_but_another_force_may_use_it(world):
    # The world's force A has "Dorset Council" (a local authority).
    with pytest.raises(ValidationError) as error:
        _agency(world, name="dorset council ").full_clean()
    assert error.value.message_dict["name"] == [
        "The force already has an organisation called dorset council"
    ]
    _agency(world, name="Dorset Council", force=world.forces["b"]).full_clean()


def test_saving_an_organisation_is_audited_with_what_changed(world):
    agency = services.organisation_save(organisation=_agency(world), by=world.admin)
    entry = AuditEntry.objects.get(action="accounts.organisation.created")
    assert entry.actor == world.admin and entry.target_id == str(agency.pk)
    assert entry.force_id == world.forces["a"].pk

    agency.name = "Dorset Early Help Hub"
    agency.agency_type = Organisation.AgencyType.CHILDRENS_SERVICES
    services.organisation_save(organisation=agency, by=world.manager)
    changed = AuditEntry.objects.get(action="accounts.organisation.changed")
    assert changed.changes["name"] == ["Dorset Early Help", "Dorset Early Help Hub"]
    assert changed.changes["agency_type"] == ["early_help", "childrens_services"]


def test_the_service_refuses_a_school_or_police_kind_and_a_change_of_kind(world):
    school = Organisation(force=world.forces["a"], kind=Organisation.Kind.SCHOOL, name="New")
    with pytest.raises(ValidationError):
        services.organisation_save(organisation=school, by=world.admin)
    council = world.orgs["council_a"]
    council.kind = Organisation.Kind.PARTNER
    with pytest.raises(ValidationError) as error:
        services.organisation_save(organisation=council, by=world.admin)
    assert "cannot be changed" in error.value.messages[0]
    assert not Organisation.objects.filter(kind="school", name="New").exists()
    assert not AuditEntry.objects.filter(action__startswith="accounts.organisation").exists()


def test_a_failed_save_leaves_nothing_behind(world, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services.audit, "record", fail)
    with pytest.raises(RuntimeError):
        services.organisation_save(organisation=_agency(world), by=world.admin)
    assert not Organisation.objects.filter(name="Dorset Early Help").exists()


# The pages -------------------------------------------------------------------------------------


def test_the_list_groups_the_forces_organisations_by_kind_with_their_people(client, world):
    client.force_login(world.manager)
    page = client.get(LIST).content.decode()
    agencies, rest = page.split('<h2 class="govuk-heading-m">Partner providers</h2>')
    providers, councils = rest.split('<h2 class="govuk-heading-m">Local authorities</h2>')
    assert "Dorset Youth Justice Service" in agencies
    assert "Youth offending team (youth justice service)" in agencies
    assert "Fire Service" in providers and "Dorset Council" in councils
    # Neither schools, nor the police, nor another force's organisations are listed.
    assert "Alder Academy" not in page
    assert "Wessex Youth Justice Service" not in page
    # One active agency worker and one partner; a disabled one is not counted.
    UserFactory(organisation=world.orgs["agency_a"], role=Role.PARTNER_AGENCY, is_active=False)
    response = client.get(LIST)
    counts = {o.name: o.people_count for _, group in response.context["groups"] for o in group}
    assert set(counts) == {"Dorset Youth Justice Service", "Fire Service", "Dorset Council"}
    assert counts["Dorset Youth Justice Service"] == 1
    assert counts["Fire Service"] == 1
    assert counts["Dorset Council"] == 0


def test_the_list_costs_the_same_queries_however_many_organisations(client, world, count_queries):
    client.force_login(world.admin)
    client.get(LIST)  # the first request of a session records it once
    before = count_queries(client, LIST)
    for n in range(6):
        agency = OrganisationFactory(
            force=world.forces["a"],
            kind=Organisation.Kind.AGENCY,
            agency_type=Organisation.AgencyType.HEALTH,
            name=f"Health trust {n}",
        )
        UserFactory(organisation=agency, role=Role.PARTNER_AGENCY)
        OrganisationFactory(
            force=world.forces["a"], kind=Organisation.Kind.PARTNER, name=f"Provider {n}"
        )
    assert count_queries(client, LIST) == before


def test_an_administrator_adds_a_youth_offending_team(client, world):
    client.force_login(world.admin)
    response = client.post(
        NEW,
        {
            "name": "Bournemouth Youth Justice Service",
            "kind": "agency",
            "agency_type": "youth_justice",
        },
    )
    agency = Organisation.objects.get(name="Bournemouth Youth Justice Service")
    assert response["Location"] == agency.get_absolute_url()
    assert agency.force == world.forces["a"]
    assert agency.agency_type == Organisation.AgencyType.YOUTH_JUSTICE
    assert AuditEntry.objects.filter(action="accounts.organisation.created").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "kind": "partner"}, "name", "Enter the organisation&#x27;s name"),
        ({"name": "Dorset Health"}, "kind", "Choose what kind of organisation it is"),
        (
            {"name": "Dorset Health", "kind": "agency"},
            "agency_type",
            "Choose what kind of partner agency it is",
        ),
        (
            {"name": "Dorset Health", "kind": "partner", "agency_type": "health"},
            "agency_type",
            "Choose a type of partner agency only for a partner agency",
        ),
        (
            {"name": "DORSET COUNCIL", "kind": "local_authority"},
            "name",
            "The force already has an organisation called DORSET COUNCIL",
        ),
        ({"name": "Dorset Health", "kind": "school"}, "kind", "Select a valid choice"),
        ({"name": "x" * 201, "kind": "partner"}, "name", "200 characters or fewer"),
    ],
)
def test_bad_organisations_are_refused_in_plain_english_keeping_what_was_typed(
    client, world, data, field, message
):
    client.force_login(world.manager)
    count = Organisation.objects.count()
    response = client.post(NEW, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert field in response.context["form"].errors
    if data.get("name"):
        assert f'value="{data["name"]}"' in page
    assert Organisation.objects.count() == count


def test_editing_changes_the_name_and_an_agencys_type_but_not_the_kind(client, world):
    client.force_login(world.admin)
    agency = world.orgs["agency_a"]
    url = reverse("accounts:organisation_edit", args=[agency.pk])
    page = client.get(url).content.decode()
    assert 'name="kind"' not in page and 'name="agency_type"' in page
    response = client.post(
        url, {"name": "Dorset Youth Justice", "agency_type": "inclusion", "kind": "partner"}
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.name == "Dorset Youth Justice"
    assert agency.agency_type == Organisation.AgencyType.INCLUSION
    assert agency.kind == Organisation.Kind.AGENCY

    # An agency's type may be changed, never emptied.
    response = client.post(url, {"name": "Dorset Youth Justice", "agency_type": ""})
    assert "Choose what kind of partner agency it is" in response.content.decode()
    agency.refresh_from_db()
    assert agency.agency_type == Organisation.AgencyType.INCLUSION

    council_url = reverse("accounts:organisation_edit", args=[world.orgs["council_a"].pk])
    assert 'name="agency_type"' not in client.get(council_url).content.decode()
    response = client.post(council_url, {"name": ""})
    assert "Enter the organisation&#x27;s name" in response.content.decode()
    # The heading still names the organisation as it is saved.
    assert "Change Dorset Council" in response.content.decode()
    world.orgs["council_a"].refresh_from_db()
    assert world.orgs["council_a"].name == "Dorset Council"


def test_schools_and_the_police_are_not_kept_on_these_pages(client, world):
    client.force_login(world.admin)
    for organisation in (world.schools["a1"].organisation, world.orgs["police_a"]):
        for name in ("accounts:organisation_detail", "accounts:organisation_edit"):
            assert client.get(reverse(name, args=[organisation.pk])).status_code == 404


def test_an_organisations_page_lists_its_people_and_links_to_invite_one(client, world):
    client.force_login(world.manager)
    agency = world.orgs["agency_a"]
    UserFactory(organisation=world.orgs["partner_a"], role=Role.PARTNER, full_name="Kim Okafor")
    UserFactory(organisation=agency, role=Role.PARTNER_AGENCY, full_name="Sam Whitlock")
    page = client.get(agency.get_absolute_url()).content.decode()
    assert "Sam Whitlock" in page and world.agency.get_absolute_url() in page
    assert "Kim Okafor" not in page
    assert f"/people/invite/?organisation={agency.pk}" in page
    assert "must use an authenticator app" in page


def test_the_invitation_page_starts_from_the_organisation_a_link_names(client, world):
    client.force_login(world.admin)
    agency = world.orgs["agency_a"]
    form = client.get(f"/people/invite/?organisation={agency.pk}").context["form"]
    # A partner agency's people have one role: it is chosen too.
    assert form.initial == {"organisation": agency.pk, "role": Role.PARTNER_AGENCY}
    # Another force's organisation, a school of the force (more than one role) and nonsense.
    other = world.orgs["agency_b"].pk
    assert (
        "organisation"
        not in client.get(f"/people/invite/?organisation={other}").context["form"].initial
    )
    school = world.schools["a1"].organisation.pk
    initial = client.get(f"/people/invite/?organisation={school}").context["form"].initial
    assert initial == {"organisation": school}
    assert client.get("/people/invite/?organisation=1%20or%201").status_code == 200


def test_organisations_are_in_the_navigation_of_administrators_and_managers_only(world):
    for who in ("admin", "manager", "other_force_admin"):
        labels = [i["label"] for i in navigation_for(world.users[who], "/")]
        assert "Organisations" in labels, who
    for who in ("sergeant", "sso", "coordinator", "headteacher", "partner", "agency"):
        labels = [i["label"] for i in navigation_for(world.users[who], "/")]
        assert "Organisations" not in labels, who
