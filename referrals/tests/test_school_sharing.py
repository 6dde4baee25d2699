"""School staff see the referrals their school made, and a police-made one only once an
officer shares it with the school, with a reason kept in the case's access log."""

import pytest
from django.urls import reverse

from accounts.models import AccessLogEntry, AuditEntry
from referrals.models import ReferralShare

from .conftest import make_case
from .factories import WITH_CONSENT, ReferralFactory

pytestmark = pytest.mark.django_db

SCHOOL_STAFF = ("headteacher", "dsl", "school_link")


@pytest.fixture
def proactive(world):
    """A case opened from an officer's proactive referral about a pupil of Alder Academy."""
    case = make_case(world, person={"first_name": "Morgan", "last_name": "Quill"})
    case.referrals.update(source="proactive", referred_by=world.sergeant, mash_reference="")
    return case.referrals.get()


def _pages(world, referral):
    """Every page school staff reach that lists or shows their school's referrals."""
    return (reverse("home"), world.schools["a1"].get_absolute_url(), referral.get_absolute_url())


def _share_url(referral):
    return reverse(
        "referrals:referral_share_with_school", args=[referral.case.public_id, referral.public_id]
    )


def _sees(client, world, who, referral):
    client.force_login(world.users[who])
    seen = []
    for url in _pages(world, referral):
        response = client.get(url)
        if response.status_code == 200 and "Quill" in response.content.decode():
            seen.append(url)
    return seen


@pytest.mark.parametrize("who", SCHOOL_STAFF)
def test_a_police_made_referral_is_invisible_to_the_school(client, world, proactive, who):
    assert _sees(client, world, who, proactive) == []
    assert client.get(proactive.get_absolute_url()).status_code == 404


def test_the_school_still_sees_what_it_referred_itself(client, world, proactive):
    own = make_case(world, person={"first_name": "Ash", "last_name": "Quill"})
    client.force_login(world.dsl)
    assert client.get(own.referrals.get().get_absolute_url()).status_code == 200
    assert "Ash Quill" in client.get(reverse("home")).content.decode()


def test_an_officer_shares_it_with_a_reason_and_can_stop(client, world, proactive):
    client.force_login(world.neighbourhood)  # the allocated officer
    case_page = client.get(proactive.case.get_absolute_url()).content.decode()
    assert "Not shared with the school." in case_page and _share_url(proactive) in case_page

    # A reason is required.
    response = client.post(_share_url(proactive), {"reason": "  "})
    assert response.status_code == 200
    assert "Enter why the school needs to see this referral" in response.content.decode()
    assert not ReferralShare.objects.exists()

    reason = "DSL is running the safety plan with us"
    response = client.post(_share_url(proactive), {"reason": reason, **WITH_CONSENT})
    assert response.status_code == 302
    share = ReferralShare.objects.get()
    assert share.school == world.schools["a1"] and share.shared_by == world.neighbourhood

    for who in ("headteacher", "dsl"):
        assert len(_sees(client, world, who, proactive)) == 3, who
    status_page = client.get(proactive.get_absolute_url()).content.decode()
    assert "did not come from your school" in status_page
    # Other school staff and other schools still see nothing.
    assert _sees(client, world, "school_link", proactive) == []
    assert _sees(client, world, "other_school_dsl", proactive) == []
    client.force_login(world.other_school_dsl)
    assert client.get(proactive.get_absolute_url()).status_code == 404

    # The share is in the case's access log, with its reason, and in its audit trail.
    entry = AccessLogEntry.objects.get(action="shared with school")
    assert entry.actor == world.neighbourhood and entry.reason == reason
    assert entry.target_id == str(proactive.case.pk)
    assert AuditEntry.objects.filter(
        action="referrals.referral.shared_with_school", target_id=str(proactive.case.pk)
    ).exists()
    client.force_login(world.manager)
    log_page = client.get(
        reverse("referrals:case_access_log", args=[proactive.case.public_id])
    ).content.decode()
    assert "Shared with school" in log_page and reason in log_page

    # Stopping the share hides it again.
    client.force_login(world.neighbourhood)
    response = client.post(
        reverse("referrals:referral_unshare_with_school", args=[proactive.case.public_id, share.pk])
    )
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.revoked_by == world.neighbourhood
    assert _sees(client, world, "dsl", proactive) == []


def test_an_officer_not_on_the_case_cannot_share_it(client, world, proactive):
    client.force_login(world.sso)
    assert client.post(_share_url(proactive), {"reason": "I think so"}).status_code == 403
    assert not ReferralShare.objects.exists()


def test_a_referral_the_school_made_is_not_shared_again(client, world):
    case = make_case(world)
    referral = case.referrals.get()
    client.force_login(world.neighbourhood)
    response = client.post(_share_url(referral), {"reason": "Already theirs"})
    assert response.status_code == 302
    assert not ReferralShare.objects.exists()


def test_a_waiting_proactive_referral_is_not_on_the_school_home(client, world):
    ReferralFactory(
        young_person__force=world.forces["a"],
        young_person__last_name="Quill",
        school=world.schools["a1"],
        source="proactive",
        referred_by=world.sso,
    )
    client.force_login(world.headteacher)
    for url in (reverse("home"), world.schools["a1"].get_absolute_url()):
        assert "Quill" not in client.get(url).content.decode()
