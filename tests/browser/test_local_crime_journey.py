"""A prevention manager loads the real Dorset month and sees it near a school and on the map."""

import pytest
from pyproj import Transformer

from conftest import build_world
from localcrime.models import StreetCrime
from localcrime.tests.support import DORSET_FEB_2021

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_manager_loads_the_dorset_month_and_sees_it_near_a_school(page, live_server):
    world = build_world()
    school = world.schools["a1"]
    # Alder Academy placed in central Bournemouth, by the grid as GIAS would give it.
    school.easting, school.northing, school.lsoa_code = 408_900, 91_300, "E01015301"
    school.longitude, school.latitude = Transformer.from_crs(
        "EPSG:27700", "EPSG:4326", always_xy=True
    ).transform(school.easting, school.northing)
    school.save()
    sign_in(page, world.manager)

    page.goto("/local-crime/import/")
    assert page.get_by_text("No months have been loaded yet.").is_visible()
    assert_accessible(page)
    page.get_by_label("Street-level crime files").set_input_files(str(DORSET_FEB_2021))
    page.get_by_role("button", name="Upload and check").click()

    page.get_by_role("heading", name="Check the import").wait_for()
    assert page.get_by_role("rowheader", name="2021-02").is_visible()
    assert "1,614" in page.content()
    assert StreetCrime.objects.count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and import").click()

    page.get_by_role("heading", name="These files have been imported").wait_for()
    assert_accessible(page)
    assert StreetCrime.objects.filter(force=world.forces["a"]).count() == 1614

    page.goto(school.get_absolute_url())
    panel = page.get_by_role("heading", name="Local crime and anti-social behaviour")
    assert panel.is_visible()
    table = page.get_by_role("table", name="Crimes and ASB within 500 metres")
    assert table.get_by_role("rowheader", name="Violence and sexual offences").is_visible()
    page.locator("canvas[data-local-crime-chart]").wait_for()
    assert_accessible(page)

    total = table.locator("tfoot td").first.inner_text()
    assert int(total) > 0
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.get_by_role("link", name="Local crime").first.click()
    page.get_by_role("heading", name="Local crime near schools").wait_for()
    page.locator(".leaflet-interactive").first.wait_for()
    assert page.get_by_role(
        "table", name="1 school by all crime and asb within 500 metres"
    ).is_visible()
    assert_accessible(page)
    # No tile server is set: the map fetches nothing from anywhere but the product.
    assert requested and all(
        url.startswith(live_server.url) or url.startswith("data:") for url in requested
    ), requested
    page.get_by_label("Crime type").select_option("Drugs")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_role("table", name="1 school by drugs within 500 metres").is_visible()
    assert_accessible(page)

    # On a 320 px phone neither the school's figures nor the map scroll sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    for url in (school.get_absolute_url(), "/local-crime/"):
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{url} is {width} px wide"
