"""Fuzz every form and filter the product shows, as every kind of user: whatever is typed
(NUL characters, huge numbers, NaN, unicode, nothing at all) never answers a 500, and a form
that refuses the input shows again what was typed.

The forms are found, not listed: every URL pattern without arguments is opened as each role,
and every <form> on the page is read from its HTML (so GOV.UK date inputs, formsets and
filters are fuzzed under the names the browser would send). Hypothesis draws the values;
the examples are few and derandomised, so the run is short and the same each time."""

from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.matrix import EVERYONE

# Every kind of user of force A; the other school's and other force's people see the same forms.
ROLES = [who for who in EVERYONE if not who.startswith("other_")]
# Pages whose forms end the session or leave the product rather than take input.
SKIPPED_NAMES = {"account_logout", "healthz"}
SKIPPED_PREFIXES = ("/django-admin/", "/benchmarks/")
DOWNLOADS = (".pdf", ".csv", ".ics", "/pdf/", "/csv/", "/download/")

AWKWARD = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1",
    "0",
    "9" * 40,
    "2026-13-45",
    "31/02/2026",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "😀 ünïcödé ‮",
    "x" * 5000,
]
values = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
)


class _Forms(HTMLParser):
    """The page's forms: method, action and the names (and kinds) of their fields."""

    def __init__(self):
        super().__init__()
        self.forms, self._current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
            }
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "select", "textarea"):
            name = attrs.get("name")
            kind = attrs.get("type", "text") if tag == "input" else tag
            if name and name != "csrfmiddlewaretoken" and kind not in ("submit", "file", "hidden"):
                self._current["fields"].setdefault(name, kind)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def _urls():
    """Every named URL that takes no argument, reversed."""
    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner.strip(":"))
            elif isinstance(pattern, URLPattern) and pattern.name:
                if pattern.pattern.converters or pattern.name in SKIPPED_NAMES:
                    continue
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                try:
                    url = reverse(name)
                except Exception:  # noqa: BLE001, S112 - a pattern with a regex argument
                    continue
                if not url.startswith(SKIPPED_PREFIXES) and url not in found:
                    found.append(url)

    walk(get_resolver().url_patterns, "")
    return found


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.paths = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("/") and not href.startswith("//"):
            self.paths.append(urlsplit(href).path)


def _forms_for(client, urls):
    """(page, form) for every form each page shows this user: the pages without arguments,
    and one page of each pattern with arguments that those pages link to (a school, a
    case, an agreement of the test world)."""
    found, queue, routes = [], list(urls), set()
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        links = _Links()
        links.feed(page)
        for path in links.paths:
            try:
                match = resolve(path)
            except Resolver404:
                continue
            wanted = match.kwargs and match.route not in routes and "logout" not in path
            if wanted and not path.startswith(SKIPPED_PREFIXES) and not path.endswith(DOWNLOADS):
                routes.add(match.route)
                queue.append(path)
        parser = _Forms()
        parser.feed(page)
        for form in parser.forms:
            target = urlsplit(form["action"]).path or url
            if not form["fields"] or "logout" in target:
                continue
            found.append((url, target, form))
    return found


def _shown_again(response, sent, kinds) -> list[str]:
    """The typed text values the re-rendered form lost (empty when every one is shown)."""
    body = response.content.decode()
    lost = []
    for name, value in sent.items():
        if kinds[name] not in ("text", "textarea", "email", "tel", "number", "search"):
            continue
        if not value.strip() or not value.isprintable() or len(value) > 1000:
            continue  # whitespace is stripped, control characters refused, huge text cut
        if escape(value) not in body and escape(value.strip()) not in body:
            lost.append(name)
    return lost


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("role", ROLES)
def test_no_form_or_filter_answers_500_and_errors_keep_what_was_typed(client, world, role):
    user = world.users[role]
    client.force_login(user)
    forms = _forms_for(client, _urls())
    assert forms, f"{role} sees no form at all"

    @settings(
        max_examples=3,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def fuzz(data):
        client.force_login(user)
        for page, target, form in forms:
            sent = {name: data.draw(values, label=name) for name in form["fields"]}
            if form["method"] == "post":
                response = client.post(target, sent)
            else:
                response = client.get(target, sent)
            assert response.status_code < 500, (page, target, sent)
            errors = response.status_code == 200 and b"govuk-error-summary" in response.content
            if form["method"] == "post" and errors:
                lost = _shown_again(response, sent, form["fields"])
                assert not lost, (page, target, {name: sent[name] for name in lost})

    fuzz()
