"""Bar charts drawn as SVG for the PDF report (WeasyPrint runs no JavaScript)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

COLOURS = ["#00703c", "#ffdd00", "#d4351c", "#1d70b8", "#505a5f", "#912b88", "#f47738", "#28a197"]
LABEL_WIDTH = 210
BAR_WIDTH = 380
ROW_HEIGHT = 18


def _colour(chart, dataset, row, index):
    given = dataset.get("colour")
    if isinstance(given, list) and row < len(given):
        return given[row]
    if isinstance(given, str):
        return given
    return COLOURS[(row if chart["type"] == "doughnut" else index) % len(COLOURS)]


def bar_chart(chart: dict | None, *, max_rows: int = 20) -> str:
    """Return an SVG of horizontal (stacked) bars for a Table.chart_data(), or ""."""
    if not chart or not chart["labels"]:
        return ""
    labels = chart["labels"][:max_rows]
    datasets = chart["datasets"]
    totals = [sum(d["data"][i] for d in datasets) for i in range(len(labels))]
    largest = max(totals) or 1
    legend_height = ROW_HEIGHT if len(datasets) > 1 or chart["type"] == "doughnut" else 0
    height = legend_height + ROW_HEIGHT * len(labels) + 4
    width = LABEL_WIDTH + BAR_WIDTH + 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    if len(datasets) > 1:
        x = 0
        for index, dataset in enumerate(datasets):
            colour = dataset.get("colour") or COLOURS[index % len(COLOURS)]
            parts.append(f'<rect x="{x}" y="3" width="10" height="10" fill="{colour}"/>')
            parts.append(
                f'<text x="{x + 14}" y="12" font-size="9">{escape(dataset["label"])}</text>'
            )
            x += 22 + 6 * len(dataset["label"])
    for row, label in enumerate(labels):
        y = legend_height + row * ROW_HEIGHT
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 12}" font-size="9" text-anchor="end">'
            f"{escape(str(label)[:40])}</text>"
        )
        x = LABEL_WIDTH
        for index, dataset in enumerate(datasets):
            value = dataset["data"][row]
            width_of = BAR_WIDTH * value / largest
            colour = _colour(chart, dataset, row, index)
            if width_of:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{width_of:.1f}" height="{ROW_HEIGHT - 6}" '
                    f'fill="{colour}"/>'
                )
            x += width_of
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 12}" font-size="9">{totals[row]}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
