"""Role labels as the product writes them mid-sentence."""

import pytest

from accounts.models import Role, in_sentence


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.SAFER_SCHOOLS_OFFICER, "Safer Schools officer"),
        (Role.NEIGHBOURHOOD_OFFICER, "neighbourhood officer or PCSO"),
        (Role.SERGEANT, "sergeant"),
    ],
)
def test_role_labels_mid_sentence_keep_acronyms_and_the_programme_name(role, expected):
    assert in_sentence(role.label) == expected
