"""The demo shows a year of the partnership cycle for several schools, once however often run."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Force
from partnership.models import (
    Action,
    ActionPlan,
    AgreementReview,
    Group,
    LevelAgreement,
    Meeting,
    NmtMeeting,
    Objective,
    SchoolFigures,
    SurveyAnswer,
    TermlyReview,
    TermsSignature,
)

pytestmark = pytest.mark.django_db


def test_seed_demo_shows_the_cycle_for_several_schools_once(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("DEMO_PASSWORD", "a-long-test-demo-password")
    call_command("seed_demo", stdout=StringIO())
    dorset = Force.objects.get(slug="dorset")
    agreements = LevelAgreement.objects.filter(school__force=dorset)
    assert agreements.count() >= 5
    statuses = set(agreements.values_list("status", flat=True))
    assert statuses == {"agreed", "discussion", "awaiting"}
    assert ActionPlan.objects.filter(school__force=dorset).count() == agreements.count()
    assert Objective.objects.filter(plan__school__force=dorset).exists()
    assert set(
        Action.objects.filter(plan__school__force=dorset).values_list("owner_side", flat=True)
    ) >= {"police", "partner", "school"}
    assert TermlyReview.objects.filter(school__force=dorset).count() >= agreements.count()
    assert SurveyAnswer.objects.filter(survey__school__force=dorset).count() > 50
    assert SchoolFigures.objects.filter(school__force=dorset).exists()
    steering = Group.objects.get(force=dorset, kind="steering")
    assert steering.meetings.count() >= 1 and steering.members.count() >= 3
    assert Meeting.objects.filter(group__kind="management", group__force=dorset).exists()
    # Members signed the terms of reference; the agreements have joint reviews (one open)
    # and termly meetings with the neighbourhood management team.
    assert TermsSignature.objects.filter(group=steering).count() >= 2
    reviews = AgreementReview.objects.filter(agreement__force=dorset)
    assert reviews.filter(outcome="renew_unchanged").exists()
    assert reviews.filter(outcome="").count() == 1
    assert NmtMeeting.objects.filter(agreement__force=dorset).exists()
    counts = (
        LevelAgreement.objects.count(),
        Action.objects.count(),
        TermlyReview.objects.count(),
        AgreementReview.objects.count(),
        TermsSignature.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert (
        LevelAgreement.objects.count(),
        Action.objects.count(),
        TermlyReview.objects.count(),
        AgreementReview.objects.count(),
        TermsSignature.objects.count(),
    ) == counts
