"""The combining rule at its boundaries, for both shipped frameworks (see tiering.py)."""

import pytest

from needs_assessment.defaults import FIVE_LEVEL, THREE_TIER
from needs_assessment.tiering import LevelRule, compute_level, factor_levels, indicator_level


def _rules(spec):
    return [
        LevelRule(
            level["key"],
            level["rank"],
            tuple(level.get("key_factors", ())),
            level.get("min_factors"),
            level.get("lifted_by_higher", False),
        )
        for level in spec["levels"]
    ]


U, E, C = "universal", "enhanced", "complex"


@pytest.mark.parametrize(
    ("ratings", "tier"),
    [
        ({}, U),
        ({"location": U, "attendance": U, "high_risk": U, "demographics": U}, U),
        # One Enhanced factor that is not location stays Universal; location alone is enough.
        ({"attendance": E}, U),
        ({"demographics": E, "high_risk": U}, U),
        ({"location": E}, E),
        ({"attendance": E, "demographics": E}, E),
        # One Complex factor that is not high-risk issues lifts one step only.
        ({"attendance": C}, E),
        ({"location": C}, E),
        ({"high_risk": E}, U),
        ({"high_risk": E, "attendance": E}, E),
        # High-risk issues rated Complex is enough; otherwise two Complex factors are needed.
        ({"high_risk": C}, C),
        ({"attendance": C, "demographics": C}, C),
        ({"attendance": C, "demographics": E, "location": E}, E),
        ({"location": C, "attendance": C, "high_risk": U, "demographics": U}, C),
    ],
)
def test_three_tier_rule(ratings, tier):
    assert compute_level(_rules(THREE_TIER), ratings) == tier


L1, L2, L3, L4, L5 = "level-1", "level-2", "level-3", "level-4", "level-5"


def _five_level(values):
    """Rate the five-level factors from indicator values as the product does."""
    indicators = {i["key"]: i for i in FIVE_LEVEL["indicators"]}
    ranks = {level["key"]: level["rank"] for level in FIVE_LEVEL["levels"]}
    from_indicators = {}
    for key, value in values.items():
        indicator = indicators[key]
        from_indicators.setdefault(indicator["factor"], []).append(
            indicator_level(indicator["thresholds"], value)
        )
    ratings = factor_levels({}, from_indicators, ranks)
    return compute_level(_rules(FIVE_LEVEL), ratings)


@pytest.mark.parametrize(
    ("values", "level"),
    [
        ({}, L5),
        (
            {
                "truancy_decile": 7,
                "gcse_decile": 4,
                "offending_percent": 2,
                "feel_safe_percent": 85,
            },
            L5,
        ),
        # Offending: above 10% is level 1, above 5% level 2, exactly at the line is not above it.
        ({"offending_percent": 10}, L2),
        ({"offending_percent": "10.01"}, L1),
        ({"offending_percent": "5.01"}, L2),
        # A criterion in the worst decile is level 1 on its own.
        ({"truancy_decile": 10}, L1),
        ({"gcse_decile": 1}, L1),
        ({"feel_safe_percent": 49}, L1),
        # Worst quartile: one criterion level 4, two level 3, three level 2.
        ({"truancy_decile": 8}, L4),
        ({"truancy_decile": 8, "absence_decile": 9}, L3),
        ({"truancy_decile": 8, "absence_decile": 9, "gcse_decile": 3}, L2),
        # A failing school is level 2, special measures level 1 (the guidance's criteria).
        ({"special_measures": 1}, L2),
        ({"special_measures": 2}, L1),
        # Offending above 2% of the roll is level 3; rising offenders and calls level 4.
        ({"offending_percent": "2.01"}, "level-3"),
        ({"offenders_change": 1}, L4),
        ({"calls_change_percent": 5}, L4),
        ({"feel_safe_percent": 80}, L4),
        # Exclusions, a high crime area and turnover are criteria of level 1 too.
        ({"exclusions_decile": 10}, L1),
        ({"area_crime_decile": 10}, L1),
        ({"pupil_turnover_percent": 21}, L1),
        ({"special_measures": 0, "incidents_per_week": 2}, L5),
        ({"incidents_per_week": "2.1"}, L4),
        ({"incidents_per_week": "5.1", "truancy_decile": 1}, L1),
    ],
)
def test_five_level_rule(values, level):
    assert _five_level(values) == level


def test_an_assessors_rating_wins_over_the_indicators():
    ranks = {U: 1, E: 2, C: 3}
    assert factor_levels({"location": U}, {"location": [C]}, ranks) == {"location": U}
    assert factor_levels({"location": None}, {"location": [E, C, None]}, ranks) == {"location": C}
    assert factor_levels({}, {"location": [None]}, ranks) == {"location": None}


def test_indicator_thresholds_are_strict_above_and_below_and_inclusive_at_least():
    thresholds = [
        {"level": "x", "above": 10},
        {"level": "y", "below": 2},
        {"level": "z", "at_least": 8},
    ]
    assert indicator_level(thresholds, 10) == "z"
    assert indicator_level(thresholds, "10.5") == "x"
    assert indicator_level(thresholds, 2) is None
    assert indicator_level(thresholds, "1.99") == "y"
    assert indicator_level(thresholds, None) is None
