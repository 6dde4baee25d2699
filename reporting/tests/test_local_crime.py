"""The tiers dashboard's local-crime figures, each linked to a list of the same count."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from localcrime.figures import refresh_figures
from localcrime.models import CrimeType, LoadedMonth
from localcrime.tests.factories import StreetCrimeFactory
from localcrime.tests.support import lon_lat
from needs_assessment.models import Framework
from needs_assessment.tests.factories import ApprovedAssessmentFactory
from schools.tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

MONTHS = [datetime.date(2020, m, 1) for m in range(9, 13)] + [
    datetime.date(2021, 1, 1),
    datetime.date(2021, 2, 1),
]


def _placed(force, n, name, per_month):
    easting, northing = 408_900 + 3000 * n, 96_400
    lon, lat = lon_lat(easting, northing)
    school = SchoolFactory(
        force=force, name=name, easting=easting, northing=northing, longitude=lon, latitude=lat
    )
    for month in MONTHS:
        LoadedMonth.objects.get_or_create(
            force=force, month=month, defaults={"loaded_at": timezone.now()}
        )
        for _ in range(per_month):
            StreetCrimeFactory(
                force=force,
                month=month,
                crime_type=CrimeType.ASB,
                easting=school.easting,
                northing=school.northing,
            )
    return school


def _href(page, pattern):
    """Return (number, url) of the dashboard link whose URL matches."""
    for url, number in re.findall(r'<a class="govuk-link" href="([^"]+)">([\d,]+)</a>', page):
        url = html.unescape(url)
        if re.search(pattern, url):
            return int(number.replace(",", "")), url
    raise AssertionError(f"No link matching {pattern}")


def test_schools_above_their_tiers_band_and_crime_by_area_link_to_lists(client, world):
    force = world.forces["a"]
    framework = Framework.objects.chosen_for(force)
    top = framework.levels.order_by("-rank").first()
    indicator = framework.indicators.get(key="local_crime_per_week")
    indicator.thresholds = [{"level": top.key, "above": 3}]
    indicator.save()
    busy = _placed(force, 0, "Busy Academy", per_month=20)
    quiet = _placed(force, 1, "Quiet Primary", per_month=1)
    lowest = framework.levels.order_by("rank").first().key
    ApprovedAssessmentFactory(school=busy, level=lowest)
    ApprovedAssessmentFactory(school=quiet, level=lowest)
    refresh_figures(force.pk)
    client.force_login(world.manager)

    page = client.get(reverse("reporting:dashboard", args=["tiers"])).content.decode()

    assert "Schools whose local crime puts them above their tier&#x27;s band" in page
    count, url = _href(page, r"local_crime=above_band$")
    assert count == 1
    listed = client.get(url).content.decode()
    assert "Busy Academy" in listed and "Quiet Primary" not in listed
    assert "Crime near schools by local authority" in page
    count, url = _href(page, r"/local-crime/\?la=838")
    assert count == 2
    # 20 and 1 a month at the two schools over the six months loaded: 126 near them.
    row = page[page.index('/local-crime/?la=838">2</a>') :]
    assert re.match(r'\S+">2</a></td>\s*<td[^>]*>\s*126\s*</td>', row), repr(row[:300])
    map_page = client.get(url).content.decode()
    assert "2 schools by all crime and asb" in map_page.lower()
    assert "Busy Academy" in map_page and "Quiet Primary" in map_page


def test_the_local_crime_figures_cost_the_same_queries_at_any_number_of_schools(
    client, world, count_queries
):
    force = world.forces["a"]
    lowest = Framework.objects.chosen_for(force).levels.order_by("rank").first().key
    # The shipped thresholds on local_crime_per_week rate location: every figure is worked out.
    ApprovedAssessmentFactory(school=_placed(force, 0, "Busy Academy", per_month=40), level=lowest)
    refresh_figures(force.pk)
    client.force_login(world.manager)
    url = reverse("reporting:dashboard", args=["tiers"])
    count_queries(client, url)  # warms per-process caches
    few = count_queries(client, url)
    page = client.get(url).content.decode()
    assert _href(page, r"local_crime=above_band$")[0] == 1
    for n in range(1, 8):
        school = _placed(force, n, f"School {n}", per_month=n)
        ApprovedAssessmentFactory(school=school, level=lowest)
    refresh_figures(force.pk)
    assert count_queries(client, url) == few
    # 11 before any crime is loaded (within benchmarks.pages.MAX_QUERIES, 12); loaded crime
    # adds the schools with their tiers, the crime near them, and the crime by area.
    assert few <= 14
