"""Every figure of every dashboard links to a list that shows the same count to the same reader."""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role, User
from reporting.sections import SECTIONS
from schools.models import NamedContact

pytestmark = pytest.mark.django_db

# Cells that are not a count of records a list could show: sums of pupils, averages and
# shares.
NOT_COUNTS = {
    ("delivered_by_topic", "Pupils"),
    ("delivered_by_provider", "Pupils"),
    ("reached_by_tier", "Share reached"),
    ("evaluations", "Average usefulness (1 to 5)"),
    ("evaluations", "Suitable for the age group"),
    ("evaluations", "Confidence before"),
    ("evaluations", "Confidence after"),
}
COUNT = re.compile(r"^(\d+)( \(\d+%\))?$")


class Figures(HTMLParser):
    """Collect (table key, column, text, link) for every number cell of a dashboard's tables."""

    def __init__(self):
        super().__init__()
        self.cells, self.table, self.columns = [], None, []
        self.cell = None  # [text, href] while inside a <td>
        self.header = None
        self.column = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and (attrs.get("aria-labelledby") or "").startswith("table-"):
            self.table, self.columns = attrs["aria-labelledby"][len("table-") :], []
        elif tag == "tr":
            self.column = 0
        elif tag == "th" and attrs.get("scope") == "col":
            self.header = []
        elif tag == "th":
            self.column += 1
        elif tag == "td":
            self.cell = [[], ""]
        elif tag == "a" and self.cell is not None:
            self.cell[1] = attrs["href"]

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[0].append(data)
        elif self.header is not None:
            self.header.append(data)

    def handle_endtag(self, tag):
        if tag == "th" and self.header is not None:
            self.columns.append("".join(self.header).strip())
            self.header = None
        elif tag == "td" and self.cell is not None:
            column = self.columns[self.column] if self.column < len(self.columns) else ""
            self.cells.append((self.table, column, "".join(self.cell[0]).strip(), self.cell[1]))
            self.cell = None
            self.column += 1


def listed(client, url):
    """The count a list page states (its role="status" line)."""
    response = client.get(url)
    assert response.status_code == 200, url
    found = re.search(r'role="status">\s*(\d+) ', response.content.decode())
    assert found, f"{url} states no count"
    return int(found.group(1))


@pytest.fixture
def seeded(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("DEMO_PASSWORD", "a-long-test-demo-password")
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    manager = User.objects.filter(
        role=Role.PREVENTION_MANAGER, organisation__force__slug="dorset"
    ).first()
    # A cover officer who is also another school's named officer: the figures count each
    # school once, under its named officer, and so must the lists (issue 15, item 14).
    contacts = list(NamedContact.objects.current().filter(school__force=manager.force)[:40])
    for contact, other in zip(contacts[::2], contacts[1::2], strict=False):
        if contact.officer_id != other.officer_id:
            contact.deputy = other.officer
            contact.save(update_fields=["deputy"])
    return manager


def test_every_figure_of_every_dashboard_links_to_a_list_of_that_many(client, seeded):
    client.force_login(seeded)
    checked, counts, wrong = {}, 0, []
    for section in SECTIONS:
        page = client.get(reverse("reporting:dashboard", args=[section.key]))
        assert page.status_code == 200
        figures = Figures()
        figures.feed(page.content.decode())
        assert figures.cells, section.key
        for table, column, text, url in figures.cells:
            number = COUNT.match(text)
            if (table, column) in NOT_COUNTS or not number:
                continue  # a label (a tier's name, a direction) or not a count of records
            where = f"{section.key} › {table} › {column}"
            if not url:
                wrong.append(f"{where} ({text}) links to no list")
                continue
            if url not in checked:
                checked[url] = listed(client, url.replace("&amp;", "&"))
            counts += int(number.group(1))
            if checked[url] != int(number.group(1)):
                wrong.append(
                    f"{where}: the figure is {text}, the list at {url} shows {checked[url]}"
                )
    assert not wrong, "\n".join(wrong)
    assert len(checked) > 100 and counts  # the seeded force gave the dashboards something to count
    # The incidents dashboard's figures were among them, some of them not nought (#18.6).
    incidents = [url for url in checked if url.startswith(reverse("incidents:list"))]
    assert len(incidents) > 10 and any(checked[url] for url in incidents)


def school_list_count(client, **query):
    return listed(
        client, reverse("schools:list") + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    )


def test_the_school_list_by_named_contact_leaves_out_schools_the_officer_only_covers(client, world):
    """Issue 15, item 14: a deputy covers; the school is the named officer's, in figure and list."""
    officer, cover = world.users["neighbourhood"], world.users["sso"]
    NamedContact.objects.filter(school=world.schools["a1"]).update(deputy=cover)
    client.force_login(world.manager)
    assert school_list_count(client, contact=officer.pk) == 1
    assert school_list_count(client, contact=cover.pk) == 0


def test_an_agreement_due_for_review_is_not_listed_as_active(client, world):
    """Issue 15, item 5: "Active" and "review due" are separate standings in figure and list."""
    from datetime import timedelta

    from django.utils import timezone

    from agreements import services
    from agreements.models import Agreement
    from schools.tests.factories import NamedContactFactory

    today = timezone.localdate()
    NamedContactFactory(school=world.schools["a2"], officer=world.users["neighbourhood"])
    for school, review_on in [(world.schools["a1"], 30), (world.schools["a2"], -3)]:
        agreement = services.agreement_prepare(school=school, by=world.users["neighbourhood"])
        Agreement.objects.filter(pk=agreement.pk).update(
            state=Agreement.State.ACTIVE,
            active_on=today - timedelta(days=300),
            review_due_on=today + timedelta(days=review_on),
        )
    client.force_login(world.manager)
    assert school_list_count(client, mou="active") == 0
    assert school_list_count(client, mou="review_due") == 1
    assert school_list_count(client, mou="overdue") == 1


def test_a_sergeant_of_two_teams_sees_lists_of_the_same_counts(client, seeded):
    """A sergeant's dashboards count every team they lead; the lists behind them must too."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.models import Team

    sergeant = User.objects.filter(role=Role.SERGEANT, organisation__force=seeded.force).first()
    if not sergeant.authenticator_set.exists():
        TOTP.activate(sergeant, generate_totp_secret())
    teams = list(Team.objects.filter(force=seeded.force).order_by("pk")[:2])
    for team in teams:
        team.sergeant = sergeant
        team.save(update_fields=["sergeant"])
    client.force_login(sergeant)
    checked, wrong = {}, []
    for section in SECTIONS:
        page = client.get(reverse("reporting:dashboard", args=[section.key]))
        if page.status_code == 403:
            continue  # a dashboard the sergeant may not open
        figures = Figures()
        figures.feed(page.content.decode())
        for table, column, text, url in figures.cells:
            number = COUNT.match(text)
            if (table, column) in NOT_COUNTS or not number or not url:
                continue
            if url not in checked:
                response = client.get(url.replace("&amp;", "&"))
                found = re.search(r'role="status">\s*(\d+) ', response.content.decode())
                checked[url] = (
                    int(found.group(1))
                    if response.status_code == 200 and found
                    else (f"HTTP {response.status_code}")
                )
            if checked[url] != int(number.group(1)):
                wrong.append(f"{section.key} › {table} › {column}: {text} vs {checked[url]} {url}")
    assert not wrong, "\n".join(wrong)
    assert checked
    # The links carry every team the sergeant leads, and none leads to a list they may not open.
    led = Team.objects.led_by(sergeant).count()  # the two teams, and the one they belong to
    assert led >= 2 and any(url.count("team=") == led for url in checked)
    assert not any(isinstance(count, str) for count in checked.values())
