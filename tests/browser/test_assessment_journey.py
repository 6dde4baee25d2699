"""An officer assesses a school as Complex; a prevention manager approves; the school page shows it."""

import pytest

from conftest import build_world
from needs_assessment.models import Assessment

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

RATINGS = {
    "Location: deprivation, crime and anti-social behaviour": (
        "Enhanced",
        "Two robberies near the bus stop this term.",
    ),
    "Attendance and exclusion": ("Universal", "Exclusions below the local target."),
    "High-risk issues: exploitation, county lines, radicalisation, weapons": (
        "Complex",
        "Four pupils linked to a county line; a knife found in a locker.",
    ),
    "Free school meals, SEND and attainment": ("Enhanced", "FSM 31%, attainment below average."),
}


def test_officer_assesses_a_school_and_a_manager_approves_it(page, browser, live_server):
    world = build_world()
    school = world.schools["a1"]

    sign_in(page, world.sso)
    page.get_by_role("link", name="Schools", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("link", name=school.name).click()
    assert_accessible(page)
    page.get_by_role("button", name="Start an assessment").click()
    assert "/edit/" in page.url
    assert_accessible(page)

    for factor, (tier, evidence) in RATINGS.items():
        group = page.get_by_role("group", name=factor)
        group.get_by_label(tier, exact=True).check()
        group.get_by_label(f"Evidence for {factor}").fill(evidence)
    page.get_by_role("button", name="Save and see the tier").click()
    assert page.get_by_text("Computed tier: Complex").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save and submit for approval").click()
    assert page.get_by_text("Sent for approval").is_visible()
    assert_accessible(page)
    assessment = Assessment.objects.get(school=school)
    assert assessment.status == Assessment.Status.SUBMITTED

    manager = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    manager.set_default_timeout(15_000)
    sign_in(manager, world.manager)
    manager.get_by_role("link", name="Approvals", exact=True).first.click()
    assert_accessible(manager)
    manager.get_by_role("link", name=school.name).click()
    assert_accessible(manager)
    assert manager.get_by_text("Four pupils linked to a county line").is_visible()
    manager.get_by_label(f"Approve: {school.name} becomes Complex").check()
    manager.get_by_role("button", name="Confirm decision").click()
    assert manager.url.endswith(school.get_absolute_url())
    assert manager.get_by_text(f"{school.name} is now Complex.").is_visible()
    panel = manager.locator("#tier + dl")
    assert "Complex" in panel.inner_text()
    assert "At least once a week" in panel.inner_text()
    assert_accessible(manager)
    manager.context.close()

    assessment.refresh_from_db()
    assert assessment.is_current and assessment.decided_by == world.manager
