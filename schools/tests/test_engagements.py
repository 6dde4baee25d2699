"""The engagement log: logging, correcting, counting per term, and the force's term dates."""

import datetime
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from schools import services
from schools.models import Engagement, School, Term
from schools.tests.factories import NamedContactFactory, SchoolFactory
from tests.matrix import ANONYMOUS, DENIED, HIDDEN, LOGIN, OK, REDIRECT, Row, check, rows_for

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("schools:engagement_create")
OFFICERS = ("sso", "neighbourhood", "sergeant")
TERM_MANAGERS = ("manager", "admin", "other_force_admin")


def _form_data(**overrides):
    """What the page posts; `occurred_on` may be a date or the (day, month, year) typed."""
    occurred_on = overrides.pop("occurred_on", timezone.localdate())
    if isinstance(occurred_on, datetime.date):
        occurred_on = (occurred_on.day, occurred_on.month, occurred_on.year)
    data = {
        **{f"occurred_on_{index}": str(part) for index, part in enumerate(occurred_on)},
        "kind": "visit",
        "purpose": "educator",
        "duration_minutes": "45",
        "with_whom": "DSL and head of year",
        "summary": "Met the DSL about lunchtime arguments at the bus stop.",
        "follow_up": "",
    }
    data.update(overrides)
    return data


def _term_data(data):
    """What the term page posts: each date ("2027-09-02", "" or typed boxes) as three boxes."""
    posted = {"name": data["name"]}
    for name in ("starts_on", "ends_on"):
        value = data[name]
        if isinstance(value, str):
            value = value.split("-")[::-1] if value else ("", "", "")
        posted.update({f"{name}_{index}": part for index, part in enumerate(value)})
    return posted


def _log(officer, school, **overrides):
    """Log an engagement through the service, as the page does."""
    fields = {
        "occurred_on": timezone.localdate(),
        "kind": "visit",
        "purpose": "educator",
        "duration_minutes": 30,
        "summary": "Walked the site with the head.",
    }
    fields.update(overrides)
    return services.engagement_log(officer=officer, school=school, **fields)


def _engagement_on(school, officer, day):
    """Record an engagement on any day, past or future, bypassing the form."""
    return Engagement.objects.create(
        school=school,
        officer=officer,
        occurred_on=day,
        kind=Engagement.Kind.PATROL,
        purpose=Engagement.Purpose.EDUCATOR,
        duration_minutes=20,
        summary="Patrol at home time.",
    )


def _errors(response):
    """Return the error summary's messages."""
    html = response.content.decode()
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert summary, "the page shows a GOV.UK error summary"
    return [re.sub(r"\s+", " ", m).strip() for m in re.findall(r"<a [^>]*>(.*?)</a>", summary[1])]


# Logging


def test_officer_logs_an_engagement_from_the_school_page(client, world):
    school = world.schools["a1"]
    client.force_login(world.sso)
    url = f"{CREATE_URL}?school={school.pk}"

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert school.name in html
    assert 'name="school"' not in html, "the school comes from the school page"
    today = timezone.localdate()
    assert f'name="occurred_on_0" value="{today.day}"' in html, "the date defaults to today"
    assert f'name="occurred_on_2" value="{today.year}"' in html
    assert 'class="govuk-date-input"' in html and 'type="date"' not in html
    assert "Save engagement" in html

    response = client.post(url, _form_data(follow_up="Return for Year 9 assembly next week."))
    assert response.status_code == 302
    assert response["Location"] == reverse("schools:detail", args=[school.pk])
    engagement = Engagement.objects.get()
    assert engagement.school == school and engagement.officer == world.sso
    assert engagement.kind == "visit" and engagement.purpose == "educator"
    assert engagement.duration_minutes == 45
    assert engagement.follow_up == "Return for Year 9 assembly next week."
    entry = AuditEntry.objects.get(action="schools.engagement.logged")
    assert entry.actor == world.sso and entry.target_id == str(engagement.pk)
    assert entry.changes["school"] == school.pk
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"Engagement at {school.name} saved."]


def test_without_a_school_the_officers_own_schools_come_first(client, world):
    closed = SchoolFactory(force=world.forces["a"], name="Closed Academy", status="closed")
    SchoolFactory(force=world.forces["a"], name="Elm Academy")
    NamedContactFactory(
        school=world.schools["a2"], officer=world.sergeant, deputy=world.neighbourhood
    )
    client.force_login(world.neighbourhood)

    html = client.get(CREATE_URL).content.decode()

    groups = dict(re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', html, re.S))
    assert list(groups) == ["Your schools", "All schools"]
    # Named contact of Alder, deputy for Birch; nothing of force B, nothing closed.
    assert "Alder Academy" in groups["Your schools"] and "Birch Primary" in groups["Your schools"]
    assert "Alder Academy" not in groups["All schools"] and "Elm Academy" in groups["All schools"]
    assert "Cedar School" not in html and closed.name not in html


def test_an_officer_with_no_schools_of_their_own_sees_all_the_force_schools(client, world):
    client.force_login(world.sso)
    html = client.get(CREATE_URL).content.decode()
    assert "Your schools" not in html
    assert "Alder Academy" in html and "Birch Primary" in html


def test_logging_with_the_school_chosen_in_the_select(client, world):
    client.force_login(world.sergeant)
    school = world.schools["a2"]
    response = client.post(CREATE_URL, _form_data(school=school.pk))
    assert response.status_code == 302
    assert Engagement.objects.get().school == school


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"duration_minutes": "0"}, "The duration must be at least 1 minute"),
        ({"duration_minutes": "2000"}, "The duration must be 1,440 minutes (24 hours) or less"),
        ({"duration_minutes": "half an hour"}, "Enter the duration as a whole number of minutes"),
        ({"duration_minutes": ""}, "Enter how long it took, in minutes"),
        ({"occurred_on": ("", "", "")}, "Enter the date of the engagement"),
        ({"occurred_on": ("30", "2", "2026")}, "Date must be a real date"),
        ({"occurred_on": ("5", "", "2026")}, "Date must include a month"),
        ({"occurred_on": ("5", "13", "2026")}, "Date must be a real date"),
        ({"occurred_on": ("5", "3", "26")}, "Year must include 4 numbers"),
        ({"kind": ""}, "Choose what kind of engagement it was"),
        ({"kind": "raid"}, "Select a valid choice"),
        ({"purpose": ""}, "Choose the role it served: law, educator, advisor or role model"),
        ({"with_whom": "x" * 201}, "With whom must be 200 characters or fewer"),
        ({"summary": "x" * 1001}, "The note must be 1,000 characters or fewer"),
    ],
)
def test_bad_inputs_say_what_is_wrong_and_save_nothing(client, world, overrides, message):
    client.force_login(world.sso)
    data = _form_data(**overrides)
    response = client.post(f"{CREATE_URL}?school={world.schools['a1'].pk}", data)
    assert response.status_code == 200
    assert any(error.startswith(message) for error in _errors(response)), _errors(response)
    assert Engagement.objects.count() == 0
    assert not AuditEntry.objects.filter(action="schools.engagement.logged").exists()
    html = response.content.decode()
    assert "<title>Error: " in html
    # What was typed is kept.
    assert "DSL and head of year" in html or overrides.get("with_whom")


def test_a_future_date_is_refused(client, world):
    client.force_login(world.sso)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        f"{CREATE_URL}?school={world.schools['a1'].pk}", _form_data(occurred_on=tomorrow)
    )
    assert response.status_code == 200
    assert _errors(response) == ["The date of the engagement must be today or in the past"]
    # What was typed stays in the day, month and year boxes.
    html = response.content.decode()
    assert f'name="occurred_on_0" value="{tomorrow.day}"' in html
    assert f'name="occurred_on_2" value="{tomorrow.year}"' in html
    assert not Engagement.objects.exists()


def test_an_impossible_date_keeps_what_was_typed(client, world):
    client.force_login(world.sso)
    response = client.post(
        f"{CREATE_URL}?school={world.schools['a1'].pk}", _form_data(occurred_on=("31", "2", "2026"))
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="occurred_on_0" value="31"' in html
    assert 'name="occurred_on_1" value="2"' in html
    assert not Engagement.objects.exists()


def test_the_common_case_saves_with_the_defaults_and_a_note(client, world):
    """Only the note is typed: date (today), kind, role and duration come filled in."""
    client.force_login(world.sso)
    url = f"{CREATE_URL}?school={world.schools['a1'].pk}"
    page = client.get(url)
    form = page.context["form"]
    defaults = {
        name: form[name].value() for name in ("occurred_on", "kind", "purpose", "duration_minutes")
    }
    data = {**_form_data(), "kind": defaults["kind"], "purpose": defaults["purpose"]}
    data.update(duration_minutes=str(defaults["duration_minutes"]), with_whom="", summary="")
    response = client.post(url, data)
    assert response.status_code == 302
    engagement = Engagement.objects.get()
    assert (engagement.occurred_on, engagement.kind, engagement.purpose) == (
        timezone.localdate(),
        "visit",
        "educator",
    )
    assert engagement.duration_minutes == 30
    assert engagement.summary == ""


def test_a_missing_school_in_the_select_is_an_error(client, world):
    client.force_login(world.sso)
    response = client.post(CREATE_URL, _form_data())
    assert _errors(response) == ["Choose the school"]
    assert not Engagement.objects.exists()


def test_a_school_of_another_force_does_not_exist_for_the_officer(client, world):
    client.force_login(world.sso)
    other = world.schools["b1"]
    assert client.get(f"{CREATE_URL}?school={other.pk}").status_code == 404
    assert client.post(f"{CREATE_URL}?school={other.pk}", _form_data()).status_code == 404
    assert client.post(CREATE_URL, _form_data(school=other.pk)).status_code == 404
    assert client.get(f"{CREATE_URL}?school=abc").status_code == 404
    assert not Engagement.objects.exists()


def test_pupil_names_are_warned_against_but_not_policed(client, world):
    client.force_login(world.sso)
    url = f"{CREATE_URL}?school={world.schools['a1'].pk}"
    assert "Do not write pupils' names" in client.get(url).content.decode()
    response = client.post(url, _form_data(with_whom="Jamie Smith (Year 8)"))
    assert response.status_code == 302
    assert Engagement.objects.get().with_whom == "Jamie Smith (Year 8)"


# Correcting


def test_the_author_corrects_within_24_hours_and_the_audit_keeps_before_and_after(client, world):
    engagement = _log(world.sso, world.schools["a1"], duration_minutes=30)
    Engagement.objects.filter(pk=engagement.pk).update(created=timezone.now() - timedelta(hours=23))
    client.force_login(world.sso)
    url = reverse("schools:engagement_correct", args=[engagement.pk])

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Walked the site with the head." in html and 'value="30"' in html
    assert 'name="school"' not in html and "Save correction" in html

    response = client.post(
        url,
        _form_data(
            duration_minutes="60", summary="Walked the site.", school=world.schools["a2"].pk
        ),
    )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.duration_minutes == 60 and engagement.summary == "Walked the site."
    assert engagement.school == world.schools["a1"], "the school cannot be changed"
    entry = AuditEntry.objects.get(action="schools.engagement.corrected")
    assert entry.actor == world.sso
    assert entry.changes["duration_minutes"] == [30, 60]
    assert entry.changes["summary"] == ["Walked the site with the head.", "Walked the site."]
    assert "school" not in entry.changes


def test_after_24_hours_even_the_author_cannot_correct(client, world):
    engagement = _log(world.sso, world.schools["a1"])
    Engagement.objects.filter(pk=engagement.pk).update(
        created=timezone.now() - timedelta(hours=24, minutes=1)
    )
    client.force_login(world.sso)
    url = reverse("schools:engagement_correct", args=[engagement.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form_data(duration_minutes="60")).status_code == 403
    engagement.refresh_from_db()
    assert engagement.duration_minutes == 30
    assert not AuditEntry.objects.filter(action="schools.engagement.corrected").exists()


def test_the_service_refuses_a_late_correction_too(world):
    engagement = _log(world.sso, world.schools["a1"])
    later = engagement.created + Engagement.CORRECTION_WINDOW + timedelta(seconds=1)
    with pytest.raises(ValidationError):
        services.engagement_correct(
            engagement=engagement, by=world.sso, now=later, duration_minutes=90
        )
    just_in_time = engagement.created + Engagement.CORRECTION_WINDOW
    services.engagement_correct(
        engagement=engagement, by=world.sso, now=just_in_time, duration_minutes=90
    )
    engagement.refresh_from_db()
    assert engagement.duration_minutes == 90


def test_another_officer_cannot_correct(client, world):
    engagement = _log(world.sso, world.schools["a1"])
    url = reverse("schools:engagement_correct", args=[engagement.pk])
    for who, status in (("neighbourhood", 403), ("sergeant", 403), ("other_force_sso", 404)):
        client.force_login(world.users[who])
        assert client.post(url, _form_data(duration_minutes="99")).status_code == status, who
    engagement.refresh_from_db()
    assert engagement.duration_minutes == 30


def test_a_correction_is_checked_like_a_new_entry(client, world):
    engagement = _log(world.sso, world.schools["a1"])
    client.force_login(world.sso)
    url = reverse("schools:engagement_correct", args=[engagement.pk])
    response = client.post(url, _form_data(duration_minutes="0", occurred_on=("", "3", "2026")))
    assert _errors(response) == [
        "Date must include a day",
        "The duration must be at least 1 minute",
    ]
    # The duration waits under "More details", opened when it needs fixing.
    assert '<details class="govuk-details" open>' in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.duration_minutes == 30


# Counting per term


def test_counts_per_term_include_the_first_and_last_days_only(world):
    alder, birch = world.schools["a1"], world.schools["a2"]
    term = Term.objects.create(
        force=world.forces["a"],
        name=Term.Name.AUTUMN,
        starts_on=datetime.date(2025, 9, 3),
        ends_on=datetime.date(2025, 12, 19),
    )
    for day in (
        datetime.date(2025, 9, 2),  # the day before the term
        datetime.date(2025, 9, 3),  # its first day
        datetime.date(2025, 12, 19),  # its last day
        datetime.date(2025, 12, 20),  # the day after
    ):
        _engagement_on(alder, world.sso, day)
    _engagement_on(birch, world.neighbourhood, datetime.date(2025, 10, 1))
    _engagement_on(world.schools["b1"], world.other_force_sso, datetime.date(2025, 10, 1))

    def counts(engagements):
        return Counter(engagements.values_list("school_id", flat=True))

    counts_everywhere = counts(Engagement.objects.in_term(term))
    assert counts_everywhere[alder.pk] == 2 and counts_everywhere[birch.pk] == 1
    assert counts(Engagement.objects.visible_to(world.manager).in_term(term)) == {
        alder.pk: 2,
        birch.pk: 1,
    }


# The partials the school page includes


def _render(template, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(template, context, request=request)


def test_timeline_shows_each_engagement_and_a_correct_link_only_to_its_author(world):
    recent = _log(
        world.sso,
        world.schools["a1"],
        kind="input",
        purpose="role_model",
        duration_minutes=50,
        with_whom="Year 9 assembly",
        summary="Knife crime input.",
        follow_up="Send the slides to the head of year.",
    )
    old = _log(world.neighbourhood, world.schools["a1"], summary="Old <b>visit</b>.")
    Engagement.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=2))
    engagements = Engagement.objects.filter(school=world.schools["a1"]).select_related("officer")

    html = _render("schools/_engagement_timeline.html", world.sso, engagements=engagements)
    assert html.count('class="moj-timeline__item"') == 2
    for text in (
        "Input to a class or assembly",
        "Role Model",
        "50 minutes",
        "Year 9 assembly",
        "Knife crime input.",
        "Send the slides to the head of year.",
        f"by {world.sso.display_name}",
        f'datetime="{timezone.localdate().isoformat()}"',
        "Old &lt;b&gt;visit&lt;/b&gt;.",
    ):
        assert text in html, text
    correct_links = re.findall(r'href="(/schools/engagements/\d+/correct/)"', html)
    assert correct_links == [reverse("schools:engagement_correct", args=[recent.pk])]

    as_author_of_old = _render(
        "schools/_engagement_timeline.html", world.neighbourhood, engagements=engagements
    )
    assert "/correct/" not in as_author_of_old, "the neighbourhood officer's entry is too old"
    empty = _render("schools/_engagement_timeline.html", world.sso, engagements=[])
    assert "No engagements logged yet." in empty


@pytest.mark.parametrize(
    ("count", "promised", "tag"),
    [(3, 1, "Met"), (1, 1, "Met"), (2, 16, "Behind"), (0, 1, "None yet"), (2, None, None)],
)
def test_term_progress(world, count, promised, tag):
    term = Term(
        force=world.forces["a"],
        name=Term.Name.AUTUMN,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 12, 18),
    )
    context = {"term": term, "term_count": count}
    if promised is not None:
        context["promised"] = promised
    html = " ".join(_render("schools/_term_progress.html", world.manager, **context).split())
    assert (
        f"{count} engagement{'s' if count != 1 else ''}</strong> this autumn term 2026/27" in html
    )
    if tag:
        assert f"promised: at least {promised}" in html
        assert f">{tag}</strong>" in html
    else:
        assert "promised" not in html and "govuk-tag" not in html


def test_term_progress_between_terms(world):
    html = _render("schools/_term_progress.html", world.manager, term=None, term_count=0)
    assert "between terms" in html


# Term dates


def test_the_term_list_creates_the_default_terms_for_a_force_with_none(client, world):
    assert not Term.objects.filter(force=world.forces["a"]).exists()
    client.force_login(world.manager)
    html = client.get(reverse("schools:term_list")).content.decode()
    terms = Term.objects.filter(force=world.forces["a"])
    assert terms.count() == 3
    today = timezone.localdate()
    assert terms.containing(today).exists()
    for term in terms:
        assert term.get_name_display() in html and term.academic_year in html
        assert reverse("schools:term_edit", args=[term.pk]) in html
    assert "Current" in html
    assert not Term.objects.filter(force=world.forces["b"]).exists()


def test_a_manager_adds_a_term_and_it_is_audited(client, world):
    client.force_login(world.manager)
    response = client.post(
        reverse("schools:term_create"),
        _term_data({"name": "autumn", "starts_on": "2027-09-02", "ends_on": "2027-12-17"}),
    )
    assert response.status_code == 302
    term = Term.objects.get(force=world.forces["a"])
    assert (term.name, term.academic_year, term.weeks) == ("autumn", "2027/28", 16)
    assert AuditEntry.objects.get(action="schools.term.added").actor == world.manager


def test_editing_a_term_keeps_its_own_dates_free_and_is_audited(client, world):
    term = Term.objects.create(
        force=world.forces["a"],
        name="spring",
        starts_on=datetime.date(2027, 1, 4),
        ends_on=datetime.date(2027, 3, 26),
    )
    client.force_login(world.admin)
    response = client.post(
        reverse("schools:term_edit", args=[term.pk]),
        _term_data({"name": "spring", "starts_on": "2027-01-05", "ends_on": "2027-03-26"}),
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.starts_on == datetime.date(2027, 1, 5)
    entry = AuditEntry.objects.get(action="schools.term.changed")
    assert entry.changes == {"starts_on": ["2027-01-04", "2027-01-05"]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            _term_data({"name": "summer", "starts_on": "2027-03-20", "ends_on": "2027-07-21"}),
            "These dates overlap the spring term 2026/27 (4 January 2027 to 26 March 2027). "
            "Terms cannot overlap",
        ),
        (
            _term_data({"name": "summer", "starts_on": "2027-01-04", "ends_on": "2027-02-01"}),
            "These dates overlap the spring term 2026/27",
        ),
        (
            _term_data({"name": "summer", "starts_on": "2027-07-21", "ends_on": "2027-04-12"}),
            "The last day must be after the first day",
        ),
        (
            _term_data({"name": "summer", "starts_on": "2027-04-12", "ends_on": "2027-04-12"}),
            "The last day must be after the first day",
        ),
        (
            _term_data({"name": "", "starts_on": "", "ends_on": ""}),
            "Choose autumn, spring or summer",
        ),
        (
            _term_data({"name": "summer", "starts_on": ("12", "April", "2027"), "ends_on": ""}),
            "First day must be a real date",
        ),
    ],
)
def test_bad_terms_are_refused(client, world, data, message):
    Term.objects.create(
        force=world.forces["a"],
        name="spring",
        starts_on=datetime.date(2027, 1, 4),
        ends_on=datetime.date(2027, 3, 26),
    )
    # Another force's terms do not clash.
    Term.objects.create(
        force=world.forces["b"],
        name="summer",
        starts_on=datetime.date(2027, 4, 12),
        ends_on=datetime.date(2027, 7, 21),
    )
    client.force_login(world.manager)
    response = client.post(reverse("schools:term_create"), data)
    assert response.status_code == 200
    assert any(error.startswith(message) for error in _errors(response)), _errors(response)
    assert Term.objects.filter(force=world.forces["a"]).count() == 1


def test_a_term_of_another_force_does_not_clash(client, world):
    Term.objects.create(
        force=world.forces["b"],
        name="summer",
        starts_on=datetime.date(2027, 4, 12),
        ends_on=datetime.date(2027, 7, 21),
    )
    client.force_login(world.manager)
    response = client.post(
        reverse("schools:term_create"),
        _term_data({"name": "summer", "starts_on": "2027-04-12", "ends_on": "2027-07-21"}),
    )
    assert response.status_code == 302


# Who may open each page


def _only(names, outcome):
    return dict.fromkeys(names, outcome)


def test_permission_rows_for_logging(client, world):
    a1, b1 = world.schools["a1"], world.schools["b1"]
    url = f"{CREATE_URL}?school={a1.pk}"
    check(
        client,
        world,
        rows_for("GET", CREATE_URL, _only(OFFICERS, OK), DENIED)
        + rows_for("GET", url, _only(OFFICERS, OK), DENIED)
        + rows_for("POST", url, _only(OFFICERS, REDIRECT), DENIED, data=_form_data())
        + [
            # Another force's officer: force A's school does not exist for them, and back.
            Row("other_force_sso", "GET", CREATE_URL, OK),
            Row("other_force_sso", "GET", url, HIDDEN),
            Row("other_force_sso", "POST", url, HIDDEN, _form_data()),
            Row("sso", "GET", f"{CREATE_URL}?school={b1.pk}", HIDDEN),
            Row("sso", "POST", CREATE_URL, HIDDEN, _form_data(school=b1.pk)),
        ],
    )
    assert Engagement.objects.count() == len(OFFICERS)
    assert set(Engagement.objects.values_list("school", flat=True)) == {a1.pk}


def test_permission_rows_for_correcting(client, world):
    engagement = _log(world.sso, world.schools["a1"])
    url = reverse("schools:engagement_correct", args=[engagement.pk])
    check(
        client,
        world,
        rows_for("GET", url, {"sso": OK}, DENIED)
        + rows_for("POST", url, {"sso": REDIRECT}, DENIED, data=_form_data())
        + [
            Row("other_force_sso", "GET", url, HIDDEN),
            Row("other_force_sso", "POST", url, HIDDEN, _form_data()),
            Row("sso", "GET", reverse("schools:engagement_correct", args=[99999]), HIDDEN),
        ],
    )


def test_permission_rows_for_terms(client, world):
    term = Term.objects.create(
        force=world.forces["a"],
        name="spring",
        starts_on=datetime.date(2027, 1, 4),
        ends_on=datetime.date(2027, 3, 26),
    )
    edit_url = reverse("schools:term_edit", args=[term.pk])
    # Clear of the default terms the list pages create for the current academic year.
    new_term = _term_data({"name": "autumn", "starts_on": "2030-09-02", "ends_on": "2030-12-18"})
    check(
        client,
        world,
        rows_for("GET", reverse("schools:term_list"), _only(TERM_MANAGERS, OK), DENIED)
        + rows_for("GET", reverse("schools:term_create"), _only(TERM_MANAGERS, OK), DENIED)
        + rows_for(
            "GET",
            edit_url,
            {**_only(TERM_MANAGERS, OK), "other_force_admin": HIDDEN},
            DENIED,
        )
        + rows_for(
            "POST",
            edit_url,
            {"manager": REDIRECT, "admin": REDIRECT, "other_force_admin": HIDDEN},
            DENIED,
            data=_term_data({"name": "spring", "starts_on": "2027-01-04", "ends_on": "2027-03-26"}),
        )
        + [
            Row("other_force_manager", "GET", edit_url, HIDDEN),
            Row("other_force_manager", "GET", reverse("schools:term_list"), OK),
            Row("sso", "POST", reverse("schools:term_create"), DENIED, new_term),
            Row(ANONYMOUS, "POST", reverse("schools:term_create"), LOGIN, new_term),
            Row("manager", "POST", reverse("schools:term_create"), REDIRECT, new_term),
        ],
    )


# Query counts


def test_the_engagement_form_costs_the_same_with_1_or_50_schools(client, world, count_queries):
    force = world.forces["a"]
    School.objects.filter(force=force).exclude(pk=world.schools["a1"].pk).delete()
    client.force_login(world.neighbourhood)
    urls = [CREATE_URL, f"{CREATE_URL}?school={world.schools['a1'].pk}"]
    for url in urls:
        client.get(url)  # warm the session's MFA check and the content types

    few = [count_queries(client, url, cold=False) for url in urls]
    for i in range(49):
        school = SchoolFactory(force=force)
        if i % 2:
            NamedContactFactory(school=school, officer=world.neighbourhood)
    many = [count_queries(client, url, cold=False) for url in urls]
    assert School.objects.filter(force=force).count() == 50
    assert few == many, f"1 school: {few} queries; 50 schools: {many}"
    assert max(many) <= 10
