"""Every page that shows a young person logs the view, and none shows a child whose case the
reader may not open: form pages shown again after a POST, the case list, the name search, the
inbox, the triage page and the merge page."""

import pytest
from django.urls import reverse

from accounts.models import AccessLogEntry
from referrals.models import Case, Referral

from .conftest import make_case
from .factories import ReferralFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

# Each case page with a form, and a POST it refuses (so the page is shown again).
REFUSED_POSTS = [
    ("log_entry_create", {}),
    ("log_entry_correct", {"summary": ""}),
    ("action_create", {}),
    ("case_risk", {}),
    ("case_allocate", {}),
    ("case_share", {}),
    ("case_close", {}),
    ("case_legal_hold", {"hold": "on"}),
    ("young_person_merge", {}),
]


def _views_of(target, actor):
    return AccessLogEntry.objects.filter(target_id=str(target.pk), actor=actor)


@pytest.mark.parametrize(("name", "data"), REFUSED_POSTS)
def test_a_form_page_shown_again_after_a_post_logs_the_view(client, world, case, name, data):
    YoungPersonFactory(force=case.force, date_of_birth=case.young_person.date_of_birth)
    client.force_login(world.manager)
    args = [case.public_id] + ([case.log_entries.get().pk] if name == "log_entry_correct" else [])
    before = _views_of(case, world.manager).count()
    response = client.post(reverse(f"referrals:{name}", args=args), data)
    assert response.status_code == 200
    assert case.young_person.full_name in response.content.decode()
    assert _views_of(case, world.manager).count() == before + 1


def test_the_case_list_and_the_name_search_log_each_case_they_show(client, world):
    cases = [make_case(world) for _ in range(3)]
    client.force_login(world.manager)
    page = client.get(reverse("referrals:case_list")).content.decode()
    for case in cases:
        assert case.young_person.full_name in page
        assert _views_of(case, world.manager).get().action == "listed"
    found = cases[0].young_person
    page = client.post(reverse("referrals:case_list"), {"q": found.first_name}).content.decode()
    assert found.full_name in page
    entry = _views_of(cases[0], world.manager).get(action="found by a name search")
    assert found.first_name not in entry.reason  # the search words are not kept
    assert not _views_of(cases[1], world.manager).filter(action="found by a name search")


def test_the_inbox_logs_each_referral_it_shows(client, world):
    waiting = ReferralFactory(young_person__force=world.forces["a"], referred_by=world.sso)
    client.force_login(world.sergeant)
    assert waiting.young_person.full_name in client.get(reverse("referrals:inbox")).content.decode()
    assert _views_of(waiting, world.sergeant).get().action == "listed"


def test_the_triage_page_shown_again_after_a_refused_decision_logs_the_view(client, world):
    waiting = ReferralFactory(young_person__force=world.forces["a"], referred_by=world.sso)
    client.force_login(world.sergeant)
    response = client.post(
        reverse("referrals:referral_triage", args=[waiting.public_id]), {"decision": "accept"}
    )
    assert response.status_code == 200
    assert waiting.young_person.full_name in response.content.decode()
    assert _views_of(waiting, world.sergeant).count() == 1


def test_the_merge_page_lists_no_child_whose_case_the_sergeant_may_not_open(client, world, case):
    born = case.young_person.date_of_birth
    # Another team's case (the Safer Schools officer's): the North NPT sergeant gets a 403 on it.
    theirs = make_case(
        world,
        officer=world.sso,
        person={"first_name": "Hidden", "last_name": "Elsewhere", "date_of_birth": born},
    )
    # A duplicate with only a waiting referral, which the sergeant triages anyway.
    waiting = ReferralFactory(
        young_person__force=world.forces["a"],
        young_person__first_name="Waiting",
        young_person__date_of_birth=born,
        referred_by=world.sso,
    )
    client.force_login(world.sergeant)
    assert client.get(theirs.get_absolute_url()).status_code == 403
    page = client.get(reverse("referrals:young_person_merge", args=[case.public_id]))
    content = page.content.decode()
    assert "Hidden" not in content and "Elsewhere" not in content
    assert waiting.young_person.full_name in content
    assert _views_of(waiting.young_person, world.sergeant).get().action == (
        "listed as a possible duplicate"
    )
    # Nor can the hidden record be merged by posting its id.
    response = client.post(
        reverse("referrals:young_person_merge", args=[case.public_id]),
        {"duplicate": theirs.young_person.pk},
    )
    assert response.status_code == 200
    assert Case.objects.get(pk=theirs.pk).young_person_id == theirs.young_person_id
    # The prevention manager reads every case of the force, so sees both.
    client.force_login(world.manager)
    content = client.get(
        reverse("referrals:young_person_merge", args=[case.public_id])
    ).content.decode()
    assert "Hidden Elsewhere" in content and Referral.objects.count() == 3


def test_an_officers_home_logs_the_cases_it_names(client, world, case):
    client.force_login(world.neighbourhood)
    assert case.young_person.full_name in client.get(reverse("home")).content.decode()
    assert _views_of(case, world.neighbourhood).get().action == "listed"


def test_a_dsls_home_logs_the_referrals_it_names(client, world, case):
    referral = case.referrals.get()
    client.force_login(world.dsl)
    assert case.young_person.full_name in client.get(reverse("home")).content.decode()
    assert _views_of(referral, world.dsl).get().action == "listed"


def test_a_sergeant_no_longer_reads_a_referral_once_its_case_is_another_teams(
    client, world, django_capture_on_commit_callbacks
):
    referral = ReferralFactory(young_person__force=world.forces["a"], referred_by=world.sso)
    client.force_login(world.sergeant)
    assert client.get(referral.get_absolute_url()).status_code == 200  # waiting: theirs to triage
    response = client.post(
        reverse("referrals:referral_triage", args=[referral.public_id]),
        {
            "decision": "accept",
            "accept-risk_level": "low",
            "accept-team": world.teams["sst_a"].pk,
            "accept-officer": world.sso.pk,
        },
    )
    assert response["Location"] == reverse("referrals:inbox")
    case = Case.objects.get()
    assert client.get(case.get_absolute_url()).status_code == 403
    response = client.get(referral.get_absolute_url())
    assert response.status_code == 404
    inbox = client.get(reverse("referrals:inbox")).content.decode()
    assert referral.young_person.full_name not in inbox


def test_the_merge_service_refuses_a_record_with_a_case_the_sergeant_may_not_open(world, case):
    from django.core.exceptions import ValidationError

    from referrals import services

    theirs = make_case(world, officer=world.sso)
    theirs.status, theirs.closure_outcome = "closed", "moved_away"  # one open case each is fine
    theirs.save()
    with pytest.raises(ValidationError, match="whose cases you may open"):
        services.young_person_merge(
            keep=case.young_person, duplicate=theirs.young_person, by=world.sergeant
        )
    assert Case.objects.get(pk=theirs.pk).young_person_id == theirs.young_person_id
