"""A colour on a chart means what it means on a tag: High risk is red everywhere."""

import re
from types import SimpleNamespace

import pytest

from referrals.models import RISK_COLOURS, RiskLevel
from reporting.figures.referrals import open_by_risk, open_by_team_and_officer
from reporting.svg import bar_chart
from reporting.tables import TAG_HEX, link

ROWS = [
    {
        "team_id": 1,
        "team__name": "North",
        RiskLevel.HIGH: 3,
        RiskLevel.MEDIUM: 2,
        RiskLevel.LOW: 1,
        "total": 6,
    }
]


def _fills(svg):
    return re.findall(r'<rect x="[\d.]+" y="(\d+)" width="[\d.]+" height="\d+" fill="(#\w+)"', svg)


def test_the_risk_chart_draws_high_red_and_low_green_as_the_case_tags_do():
    scope = SimpleNamespace(
        team_ids=[1, 2],
        la="",
        is_past=False,
        standing_link=link,
        list_query=lambda: {"team": ["1", "2"]},
    )
    chart = open_by_risk(scope, ROWS).chart_data()
    labels = chart["labels"]
    colours = dict(zip(labels, chart["datasets"][0]["colour"], strict=True))
    assert colours["High"] == TAG_HEX[RISK_COLOURS[RiskLevel.HIGH]] == TAG_HEX["red"]
    assert colours["Low"] == TAG_HEX[RISK_COLOURS[RiskLevel.LOW]] == TAG_HEX["green"]
    assert colours["Medium"] == TAG_HEX[RISK_COLOURS[RiskLevel.MEDIUM]]
    # The PDF's SVG uses the same colours, row by row (High first).
    fills = [fill for _, fill in _fills(bar_chart(chart))]
    assert fills == [TAG_HEX["red"], TAG_HEX["orange"], TAG_HEX["green"]]


@pytest.mark.django_db
def test_the_stacked_risk_charts_colour_each_risk_the_same_way():
    scope = SimpleNamespace(
        force_id=0,
        team_ids=[1],
        la="",
        is_past=False,
        standing_link=link,
        list_query=lambda: {"team": ["1"]},
    )
    by_team = open_by_team_and_officer(scope, ROWS)[0]
    datasets = by_team.chart_data()["datasets"]
    assert [d["label"] for d in datasets] == ["High", "Medium", "Low"]
    assert [d["colour"] for d in datasets] == [TAG_HEX["red"], TAG_HEX["orange"], TAG_HEX["green"]]
