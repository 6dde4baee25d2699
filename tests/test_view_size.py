"""Views stay thin: a view reads the request, calls a query or a service, and renders.

A view function longer than 40 lines is doing a service's or a query's work; the few that are
longer say why below. Helpers (names starting "_") are not views and are not counted.
"""

import ast
from pathlib import Path

from django.conf import settings

from tests.test_scoping import PROJECT_APPS

MAX_LINES = 40

# view -> why it is longer (each a small state machine its page really is)
LONGER_VIEWS = {
    "agreements/views.py:agreement_prepare": "three buttons (preview, save, send) on one form",
    "agreements/views.py:agreement_sign": "the signing page's confirm, decline and expired states",
    "bookings/views.py:book_check": "check-your-answers: the last place taken, waitlist or booked",
    "bookings/manage_views.py:session_slots": "adds, moves and cancels a session's dates",
    "referrals/referral_views.py:referral_triage": "accept, decline or merge a referral",
    "referrals/case_views.py:young_person_merge": "confirm the two records before a merge",
    "partnership/views.py:review": "the termly review's sign-off by both sides",
}


def _views():
    root = Path(settings.BASE_DIR)
    for app in PROJECT_APPS:
        for path in sorted((root / app).glob("*views*.py")):
            tree = ast.parse(path.read_text())
            for node in tree.body:
                if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                    yield f"{app}/{path.name}:{node.name}", node.end_lineno - node.lineno + 1


def test_no_view_is_longer_than_forty_lines_but_the_documented_few():
    views = dict(_views())
    assert len(views) > 100  # the walk found the project's views
    too_long = {
        name: lines
        for name, lines in views.items()
        if lines > MAX_LINES and name not in LONGER_VIEWS
    }
    assert too_long == {}


def test_every_documented_exception_is_still_a_long_view():
    views = dict(_views())
    stale = [name for name in LONGER_VIEWS if views.get(name, 0) <= MAX_LINES]
    assert stale == []
