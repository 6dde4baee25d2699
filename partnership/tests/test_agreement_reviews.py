"""The joint review of an agreement and its neighbourhood management team meetings."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.forms_kit import date_data
from accounts.models import AuditEntry, OutboxEmail
from agreements.models import Agreement, AgreementEvent, AgreementSettings, add_months
from partnership.models import AgreementReview, NmtMeeting
from partnership.tests.factories import active_agreement

pytestmark = pytest.mark.django_db

ANSWER = {"current": "yes", "effective": "no", "improve": "Agree the patrol times each term."}


def _start(client, user, agreement):
    client.force_login(user)
    return client.post(reverse("partnership:agreement_review_start", args=[agreement.pk]))


def _answered(client, world, agreement):
    _start(client, world.headteacher, agreement)
    review = AgreementReview.objects.get(agreement=agreement)
    url = review.get_absolute_url()
    client.post(url, ANSWER)
    client.force_login(world.neighbourhood)
    client.post(url, ANSWER | {"current": "yes", "effective": "yes"})
    review.refresh_from_db()
    return review


def test_the_headteacher_starts_it_and_both_sides_answer(client, world):
    agreement = active_agreement(world.schools["a1"], officer=world.neighbourhood)
    response = _start(client, world.headteacher, agreement)
    review = AgreementReview.objects.get(agreement=agreement)
    assert response.url == review.get_absolute_url()
    assert review.started_by == world.headteacher
    # The officer is asked for the police's answers, through the outbox.
    assert OutboxEmail.objects.filter(
        to=world.neighbourhood.email, key__startswith=f"partnership.agreement_review.{review.pk}"
    ).exists()
    # Starting again opens the same review.
    _start(client, world.headteacher, agreement)
    assert AgreementReview.objects.filter(agreement=agreement).count() == 1
    url = review.get_absolute_url()
    client.force_login(world.headteacher)
    missing = client.post(url, {"current": "maybe"}).content.decode()
    assert "Say whether the agreement is effective" in missing
    assert "Say what should improve" in missing
    assert client.post(url, ANSWER).status_code == 302
    review.refresh_from_db()
    assert (review.school_current, review.school_effective) == (True, False)
    assert review.school_answered_by == world.headteacher
    # The school cannot answer twice, and cannot decide before the police answered.
    assert "already answered" in client.post(url, ANSWER).content.decode()
    early = client.post(
        reverse("partnership:agreement_review_decide", args=[review.pk]),
        {"outcome": "renew_unchanged"},
    )
    assert "Both sides answer the review" in early.content.decode()
    client.force_login(world.neighbourhood)
    client.post(url, ANSWER | {"effective": "yes"})
    review.refresh_from_db()
    assert review.both_answered and review.police_answered_by == world.neighbourhood
    assert AuditEntry.objects.filter(action="partnership.agreement_review.answered").count() == 2
    # A member of staff who is not the headteacher reads it but does not answer.
    client.force_login(world.dsl)
    assert client.get(url).status_code == 200
    assert client.post(url, ANSWER).status_code == 403


def test_renewed_unchanged_moves_the_next_review_on(client, world):
    agreement = active_agreement(world.schools["a1"], officer=world.neighbourhood)
    review = _answered(client, world, agreement)
    client.force_login(world.headteacher)
    response = client.post(
        reverse("partnership:agreement_review_decide", args=[review.pk]),
        {"outcome": "renew_unchanged"},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    agreement.refresh_from_db()
    months = AgreementSettings.for_force(agreement.force).review_months
    assert review.outcome == "renew_unchanged" and review.decided_by == world.headteacher
    assert agreement.state == Agreement.State.ACTIVE
    assert agreement.review_due_on == add_months(timezone.localdate(), months)
    assert not agreement.review_suggested
    assert AgreementEvent.objects.filter(agreement=agreement, detail__contains="Jointly").exists()
    # A decided review is not decided again.
    again = client.post(
        reverse("partnership:agreement_review_decide", args=[review.pk]),
        {"outcome": "end", "note": "x"},
    )
    assert again.status_code == 200
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ACTIVE


def test_renewed_with_changes_starts_the_agreements_renewal(client, world):
    agreement = active_agreement(world.schools["a1"], officer=world.neighbourhood)
    review = _answered(client, world, agreement)
    url = reverse("partnership:agreement_review_decide", args=[review.pk])
    client.force_login(world.headteacher)
    refused = client.post(url, {"outcome": "renew_with_changes"}).content.decode()
    assert "The officer prepares the changed agreement" in refused
    client.force_login(world.neighbourhood)
    response = client.post(url, {"outcome": "renew_with_changes"})
    review.refresh_from_db()
    renewal = Agreement.objects.get(renews=agreement)
    assert review.renewal == renewal and renewal.state == Agreement.State.DRAFT
    assert response.url == renewal.get_absolute_url()


def test_ended_by_the_review_with_a_reason(client, world):
    agreement = active_agreement(world.schools["a1"], officer=world.neighbourhood)
    review = _answered(client, world, agreement)
    url = reverse("partnership:agreement_review_decide", args=[review.pk])
    client.force_login(world.headteacher)
    no_reason = client.post(url, {"outcome": "end"}).content.decode()
    assert "Give the reason for ending the agreement" in no_reason
    assert client.post(url, {"outcome": "sometime"}).status_code == 200
    client.post(url, {"outcome": "end", "note": "The school is closing."})
    agreement.refresh_from_db()
    assert agreement.state == Agreement.State.ENDED
    assert agreement.ended_reason == "The school is closing."


def test_the_nmt_meeting_is_recorded_against_the_agreement(client, world):
    agreement = active_agreement(world.schools["a1"], officer=world.neighbourhood)
    url = reverse("partnership:nmt_meeting_create", args=[agreement.pk])
    client.force_login(world.neighbourhood)
    bad = client.post(url, {**date_data("held_on", timezone.localdate() + datetime.timedelta(3))})
    page = bad.content.decode()
    assert "Say who attended" in page and "Enter the notes of the meeting" in page
    future = client.post(
        url,
        {
            **date_data("held_on", timezone.localdate() + datetime.timedelta(3)),
            "attendees": "x",
            "notes": "y",
        },
    )
    assert "today or in the past" in future.content.decode()
    client.post(
        url,
        {
            **date_data("held_on", timezone.localdate()),
            "attendees": "PC Neighbourhood, Inspector NPT, the school's deputy head",
            "notes": "Patrols at home time; the park after school.",
        },
    )
    meeting = NmtMeeting.objects.get(agreement=agreement)
    assert meeting.recorded_by == world.neighbourhood
    # The school reads it with the agreement; only the police record one.
    client.force_login(world.dsl)
    page = client.get(reverse("partnership:agreement_reviews", args=[agreement.pk]))
    assert "Patrols at home time" in page.content.decode()
    assert client.get(url).status_code == 403
    # The agreement page links to its reviews and meetings.
    client.force_login(world.headteacher)
    detail = client.get(agreement.get_absolute_url()).content.decode()
    assert reverse("partnership:agreement_reviews", args=[agreement.pk]) in detail


NONSENSE = {
    "current": "perhaps",
    "effective": "<script>",
    "improve": "x" * 2001,
    "outcome": "someday",
    "note": "x" * 2001,
    "held_on_0": "31",
    "held_on_1": "2",
    "held_on_2": "twenty",
    "attendees": "",
    "notes": "x" * 5001,
    "text": "x" * 5001,
    "names": "\n".join(["a"] * 20),
    "name": "x" * 200,
    "indicator_key": "../../etc",
    "lower_is_better": "2",
    "levels": ["abc", "-1"],
    "typed_name": "x" * 151,
    "version": "nine",
}


def test_bad_inputs_to_the_new_forms_never_give_a_500(client, world):
    from needs_assessment.models import Framework
    from partnership import joint_review
    from partnership.tests.factories import management_group

    agreement = active_agreement(world.schools["a1"], officer=world.neighbourhood)
    review = joint_review.review_start(agreement=agreement, by=world.neighbourhood)
    framework = Framework.objects.chosen_for(world.forces["a"])
    group = management_group(
        world.schools["a1"], by=world.manager, members={world.manager: "Chair"}
    )
    pages = {
        world.neighbourhood: [
            review.get_absolute_url(),
            reverse("partnership:nmt_meeting_create", args=[agreement.pk]),
        ],
        world.manager: [
            reverse("partnership:agreement_review_decide", args=[review.pk]),
            reverse("partnership:purposes_edit"),
            reverse("partnership:aim_edit", args=[framework.aims.first().pk]),
            reverse("partnership:expectation_create"),
            reverse("partnership:group_terms_edit", args=[group.pk]),
            reverse("partnership:group_sign", args=[group.pk]),
        ],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.post(url, NONSENSE)
            assert response.status_code == 200, url
            assert "govuk-error-summary" in response.content.decode(), url
