"""Whatever is typed into the operational records' forms (awkward values, huge numbers,
nothing at all), no page answers a 500, and nothing dated, signed or filed is saved from it."""

import pytest
from django.urls import reverse

from incidents.records import Arrest, ConsentSignature, PupilSearch

from .factories import PupilSearchFactory, RestorativeResolutionFactory

pytestmark = pytest.mark.django_db

AWKWARD = ["", " ", "NaN", "-1", "9" * 40, "2026-13-45", "<script>x</script>", "x" * 5000]

FIELDS = {
    "search_create": [
        "pupil_name", "year_group", "searched_on_0", "searched_on_1", "searched_on_2",
        "searched_at", "place", "grounds", "object_of_search", "found", "officer",
        "staff_present", "parents_told", "parents_told_by", "parents_told_how",
        "parents_told_on_0", "parents_told_on_1", "parents_told_on_2", "parents_told_at",
        "outcome", "outcome_detail", "police_note",
    ],
    "arrest_create": [
        "person_name", "year_group", "arrested_on_0", "arrested_on_1", "arrested_on_2",
        "arrested_at", "offence", "necessity", "why_not_wait", "protocol_confirmed",
        "head_told", "head_told_at", "police_note",
    ],
    "resolution_create": ["proposed", "police_note"],
    "search_copies": [
        "given_to_pupil_on_0", "given_to_pupil_on_1", "given_to_pupil_on_2",
        "given_to_pupil_at", "filed_with", "filed_on_0", "filed_on_1", "filed_on_2",
    ],
    "consent_add": ["capacity", "signer_name", "typed_name", "agreed", "fingerprint"],
    "resolution_outcome": ["outcome", "outcome_detail"],
}  # fmt: skip


@pytest.mark.parametrize("value", AWKWARD)
@pytest.mark.parametrize("name", sorted(FIELDS))
def test_no_awkward_value_answers_a_500(client, world, incident, name, value):
    search = PupilSearchFactory(incident=incident, recorded_by=world.neighbourhood)
    resolution = RestorativeResolutionFactory(incident=incident, recorded_by=world.neighbourhood)
    target = {"search_copies": search, "consent_add": resolution, "resolution_outcome": resolution}
    url = reverse(f"incidents:{name}", args=[target.get(name, incident).public_id])
    client.force_login(world.neighbourhood)
    response = client.post(url, dict.fromkeys(FIELDS[name], value))
    # Refused and shown again (200), or a proposal that is only odd text (saved: 302).
    assert response.status_code in (200, 302), (name, value, response.status_code)
    if name != "resolution_create":
        assert response.status_code == 200, (name, value)
    # Nothing dated, signed or filed from nonsense.
    assert not Arrest.objects.exists() and not ConsentSignature.objects.exists()
    assert PupilSearch.objects.count() == 1
    search.refresh_from_db()
    assert not search.filed_with
