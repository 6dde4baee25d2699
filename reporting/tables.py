"""A dashboard figure as a table: shown on the page, drawn as a chart, exported as CSV.

Every figure is a table first, so a screen-reader user and the CSV get the same numbers
as the chart. A cell may link to the filtered list behind its number.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlencode

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class Cell:
    value: object
    url: str = ""

    def __str__(self):
        return "" if self.value is None else str(self.value)


def link(value, url_name, **query):
    """A cell linking to a list, with the list's filters in the query string (a list or tuple
    of values is repeated: team=1&team=2)."""
    query = {k: v for k, v in query.items() if v not in (None, "", (), [])}
    url = _reversed(get_urlconf(), get_script_prefix(), url_name)
    return Cell(value, f"{url}?{urlencode(query, doseq=True)}" if query else url)


@lru_cache(maxsize=256)
def _reversed(urlconf, prefix, url_name):
    """reverse() of an argument-free URL name, once per URL configuration and script prefix:
    a dashboard links hundreds of cells to a handful of lists (900 reverses on the engagement
    dashboard before), and these URLs do not change while the process runs."""
    return reverse(url_name, urlconf=urlconf)


@receiver(setting_changed)
def _forget_reversed(*, setting, **kwargs):
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _reversed.cache_clear()


def plain(value):
    return value.value if isinstance(value, Cell) else value


# The GOV.UK Design System colour behind each tag colour name (govuk-tag--<name>).
TAG_HEX = {
    "red": "#d4351c",
    "orange": "#f47738",
    "yellow": "#ffdd00",
    "green": "#00703c",
    "turquoise": "#28a197",
    "blue": "#1d70b8",
    "light-blue": "#5694ca",
    "purple": "#4c2c92",
    "pink": "#d53880",
    "grey": "#505a5f",
}


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart: str = ""  # "", "bar", "stacked", "doughnut"
    chart_columns: tuple = (1,)  # the numeric columns drawn; labels come from column 0
    note: str = ""
    empty: str = "Nothing to count yet."
    footer: list | None = None
    # GOV.UK tag colour names ("red", "green"...) that give a chart its meaning: one per row
    # for "bar" and "doughnut", one per dataset for "stacked". The names are the same ones
    # the tags use (referrals.models.RISK_COLOURS, a tier's colour), so a colour means one
    # thing across charts, tags and the case page.
    colours: list[str] | None = None

    def chart_data(self) -> dict | None:
        if not self.chart or not self.rows:
            return None
        numbers = []
        for index in self.chart_columns:
            numbers.append(
                {
                    "label": self.columns[index],
                    "data": [_number(plain(row[index])) for row in self.rows],
                }
            )
        if self.colours:
            hexes = [TAG_HEX.get(name, TAG_HEX["grey"]) for name in self.colours]
            if self.chart == "stacked":
                for dataset, colour in zip(numbers, hexes, strict=False):
                    dataset["colour"] = colour
            else:
                numbers[0]["colour"] = hexes[: len(self.rows)]
        return {
            "type": self.chart,
            "labels": [str(plain(row[0])) for row in self.rows],
            "datasets": numbers,
        }

    def csv_rows(self):
        yield self.columns
        for row in self.rows:
            yield [_csv_value(plain(cell)) for cell in row]
        if self.footer:
            yield [_csv_value(plain(cell)) for cell in self.footer]


def _number(value):
    if isinstance(value, Share):
        return value.count
    return value if isinstance(value, int | float) else 0


def _csv_value(value):
    if value is None:
        return ""
    return str(value)


@dataclass(frozen=True)
class Share:
    """A count with its share of a total, shown as "74 (73%)"."""

    count: int
    percent: int

    def __str__(self):
        return f"{self.count} ({self.percent}%)"


def shares(counts: list[int]) -> list[Share]:
    """Return each count with a whole-number percentage; the percentages add up to 100.

    Largest remainder: round every share down, then give the points left over to the
    shares that lost the most in rounding.
    """
    total = sum(counts)
    if not total:
        return [Share(count, 0) for count in counts]
    exact = [count * 100 / total for count in counts]
    floors = [int(value) for value in exact]
    left = 100 - sum(floors)
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - floors[i], reverse=True)
    for index in by_remainder[:left]:
        floors[index] += 1
    return [Share(count, percent) for count, percent in zip(counts, floors, strict=True)]
