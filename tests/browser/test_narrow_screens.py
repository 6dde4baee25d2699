"""On a 320 px phone no page scrolls sideways, for every kind of user, and each stays accessible.

Each person signs in on a 320 px wide screen and opens their home page, every page their home
page and menu link to, and the pages of their daily work (a school page, the engagement form,
the dashboards' sections). On each the document may be no wider than the screen.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bookings.tests.factories import BookingFactory, SessionFactory, SlotFactory, in_days
from conftest import build_world
from schools.models import Engagement

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 320
# The agreement page and the check page are made narrow on their own branch.
SKIPPED = (
    re.compile(r"^/agreements/\d+/"),
    re.compile(r"^/agreements/verify/"),
    re.compile(r"^/accounts/logout/"),
    re.compile(r"\.(csv|pdf|ics)$"),
    re.compile(r"/(export|pdf|download|calendar)\b"),
)


def _world():
    """The test world with something on the pages: a visit logged, a session to book, a
    booking."""
    world = build_world()
    school = world.schools["a1"]
    Engagement.objects.create(
        school=school,
        officer=world.neighbourhood,
        occurred_on=timezone.localdate() - datetime.timedelta(days=2),
        kind=Engagement.Kind.VISIT,
        purpose=Engagement.Purpose.EDUCATOR,
        duration_minutes=45,
        with_whom="Deputy headteacher and head of Year 9 pastoral support",
        summary="Walked the site at home time; parents parking on the zig-zags again.",
    )
    session = SessionFactory(provider=world.orgs["partner_a"], title="Road safety assembly")
    SlotFactory(session=session, starts_at=in_days(20))
    BookingFactory(
        slot=SlotFactory(session=session, starts_at=in_days(30)),
        school=school,
        booked_by=world.headteacher,
    )
    return world


def _daily_pages(world, who):
    """Pages a person reaches in two steps that depth-one links from home would miss."""
    school = world.schools["a1"]
    pages = []
    if who in ("sso", "neighbourhood", "sergeant", "manager", "coordinator"):
        pages.append(school.get_absolute_url())
    if who in ("sso", "neighbourhood", "sergeant"):
        pages.append(f"{reverse('schools:engagement_create')}?school={school.pk}")
        pages.append(reverse("schools:engagement_create"))
    return pages


def _same_site_links(page, selector):
    hrefs = page.eval_on_selector_all(
        selector, "links => links.map(link => link.getAttribute('href'))"
    )
    paths = []
    for href in hrefs:
        if not href or href.startswith(("#", "mailto:", "tel:")):
            continue
        parts = urlsplit(href)
        if parts.netloc and parts.netloc != urlsplit(page.url).netloc:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not any(rule.search(parts.path) for rule in SKIPPED):
            paths.append(path)
    return paths


def too_wide(page, width=WIDTH):
    """Say what sticks out if the page is wider than the screen; None if it fits."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        culprits = page.evaluate(
            """width => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > width + 0.5)
                .filter(el => ![...el.children].some(
                    child => child.getBoundingClientRect().right > width + 0.5))
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + '.' + el.className + ': '
                     + (el.textContent || '').trim().slice(0, 40))""",
            width,
        )
        return f"{page.url} is {scroll_width} px wide at {width} px: {culprits}"
    return None


BROKEN_WORDS = """() => {
    const broken = [];
    const labels = document.querySelectorAll(
        ".govuk-summary-list__key, .govuk-table__header, .govuk-label, .govuk-fieldset__legend");
    for (const label of labels) {
        const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            if (node.parentElement.closest(".govuk-visually-hidden")) continue;
            for (const word of node.data.matchAll(/[^\\s-]+/g)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (lines.size > 1) broken.push(word[0]);
            }
        }
    }
    return broken;
}"""


def broken_words(page):
    """Say which words of the page's labels are broken across lines; None if none is."""
    broken = page.evaluate(BROKEN_WORDS)
    return f"{page.url} breaks labels mid-word: {broken}" if broken else None


ROLES = ("sso", "neighbourhood", "sergeant", "manager", "headteacher", "dsl", "partner")
ROLES += ("coordinator",)


@pytest.mark.parametrize("who", ROLES)
def test_no_page_is_wider_than_a_320px_phone(browser, live_server, who):
    world = _world()
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        viewport={"width": WIDTH, "height": 640},
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, world.users[who])
        home = urlsplit(page.url).path
        to_visit = [home]
        to_visit += _same_site_links(page, "main a[href], .govuk-service-navigation a[href]")
        to_visit += _daily_pages(world, who)
        visited, problems = set(), []
        while to_visit:
            path = to_visit.pop(0)
            if path in visited:
                continue
            visited.add(path)
            response = page.goto(path)
            if response.status in (403, 404):
                continue  # a link the rules hide from this person is tested elsewhere
            assert response.status == 200, f"{path} gave {response.status} to {who}"
            problems.append(too_wide(page))
            problems.append(broken_words(page))
            try:
                assert_accessible(page)
            except AssertionError as error:
                problems.append(str(error))
            if urlsplit(page.url).path.startswith("/dashboards/"):
                # Each dashboard's sections, as its sub-navigation offers them.
                to_visit += _same_site_links(page, ".moj-sub-navigation a[href]")
        assert len(visited) > 2
        problems = [problem for problem in problems if problem]
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.parametrize("width", [320, 768, 1024])
def test_the_school_pages_labels_are_whole_words(browser, live_server, width):
    """The school page's narrow column stacks each label above its value: "Local authority"
    is never broken mid-word, at any width."""
    world = _world()
    school = world.schools["a1"]
    school.la_name = "Bournemouth, Christchurch and Poole"
    school.save()
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    try:
        sign_in(page, world.neighbourhood)
        page.goto(school.get_absolute_url())
        assert "Local authority" in page.content()
        assert broken_words(page) is None
        assert too_wide(page, width) is None
    finally:
        context.close()


def test_on_a_phone_a_list_shows_its_rows_and_keeps_the_filter_behind_a_button(
    browser, live_server
):
    """With scripts on, MOJ's filter panel is fixed over the page on a small screen; its
    show/hide button must start, or the panel covers the list it filters. On a wide screen
    the panel stays open beside the list."""
    world = _world()
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": WIDTH, "height": 640}
    )
    page = context.new_page()
    try:
        sign_in(page, world.manager)  # one sign-in: a TOTP code is taken once
        for url_name in (
            "schools:list",
            "needs_assessment:assessment_table",
            "referrals:case_list",
        ):
            page.set_viewport_size({"width": WIDTH, "height": 640})
            page.goto(reverse(url_name))
            panel = page.locator(".moj-filter-layout__filter")
            show = page.get_by_role("button", name="Show filter")
            expect(show).to_be_visible()
            expect(panel).to_be_hidden()
            show.click()
            expect(panel).to_be_visible()
            assert_accessible(page)
            page.locator(".moj-filter__close").click()
            expect(panel).to_be_hidden()
            page.set_viewport_size({"width": 1280, "height": 800})
            expect(panel).to_be_visible()
        page.set_viewport_size({"width": WIDTH, "height": 640})
        page.goto(reverse("schools:list"))
        expect(page.get_by_role("link", name="Alder Academy").first).to_be_visible()
        # Opened on a wide screen, the filter is open from the start.
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(reverse("schools:list"))
        expect(page.locator(".moj-filter-layout__filter")).to_be_visible()
        expect(page.get_by_label("Name, URN or postcode")).to_be_visible()
    finally:
        context.close()
