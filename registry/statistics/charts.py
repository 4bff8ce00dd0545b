"""Server-side chart geometry for inline SVG: no script, no CDN, and the table is always next to the chart."""

from dataclasses import dataclass

BAR_HEIGHT = 22
BAR_GAP = 6
LABEL_WIDTH = 170
BAR_AREA = 300
VALUE_WIDTH = 60
#: Bar charts show at most this many rows (the largest, when the rows are ranked); the table has them all.
MAX_BARS = 20

LINE_WIDTH = 520
LINE_HEIGHT = 180
LINE_PAD_LEFT = 40
LINE_PAD_BOTTOM = 30
LINE_PAD_TOP = 10
#: Colour-blind-safe palette (Okabe–Ito); series also differ by dash pattern.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2"]


@dataclass
class Bar:
    label: str
    value: float
    y: int
    width: float
    text_y: int


def bar_chart(figure):
    rows = figure.rows[:MAX_BARS]
    peak = max((row[figure.value_column] or 0 for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        value = row[figure.value_column] or 0
        y = index * (BAR_HEIGHT + BAR_GAP)
        bars.append(Bar(str(row[0]), value, y, round(BAR_AREA * value / peak, 1), y + BAR_HEIGHT // 2 + 5))
    return {
        "kind": "bar",
        "bars": bars,
        "width": LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
        "height": max(len(rows), 1) * (BAR_HEIGHT + BAR_GAP),
        "label_width": LABEL_WIDTH,
        "value_x": LABEL_WIDTH + BAR_AREA + 6,
        "bar_height": BAR_HEIGHT,
        "colour": COLOURS[0],
        "truncated": len(figure.rows) > MAX_BARS,
        "shown": MAX_BARS,
    }


def line_chart(figure):
    rows = figure.rows
    series_count = len(figure.columns) - 1
    peak = max((value for row in rows for value in row[1:]), default=0) or 1
    plot_width = LINE_WIDTH - LINE_PAD_LEFT - 10
    plot_height = LINE_HEIGHT - LINE_PAD_TOP - LINE_PAD_BOTTOM
    step = plot_width / max(len(rows) - 1, 1)

    def x(index):
        return round(LINE_PAD_LEFT + index * step, 1)

    def y(value):
        return round(LINE_PAD_TOP + plot_height * (1 - value / peak), 1)

    series = []
    for column in range(series_count):
        points = [(x(index), y(row[column + 1])) for index, row in enumerate(rows)]
        series.append(
            {
                "name": str(figure.columns[column + 1]),
                "points": " ".join(f"{px},{py}" for px, py in points),
                "dots": points,
                "colour": COLOURS[column % len(COLOURS)],
                "dash": DASHES[column % len(DASHES)],
            }
        )
    labels = [{"x": x(index), "text": str(row[0])[2:]} for index, row in enumerate(rows)]
    return {
        "kind": "line",
        "series": series,
        "labels": labels,
        "width": LINE_WIDTH,
        "height": LINE_HEIGHT,
        "axis_y": LINE_HEIGHT - LINE_PAD_BOTTOM,
        "axis_x": LINE_PAD_LEFT,
        "label_y": LINE_HEIGHT - LINE_PAD_BOTTOM + 16,
        "peak": peak,
        "peak_y": LINE_PAD_TOP + 4,
    }


def chart_for(figure):
    """Geometry for the figure's chart, or ``None`` when it is shown as a table only."""
    if not figure.rows:
        return None
    if figure.chart == "line":
        return line_chart(figure)
    if figure.chart == "bar":
        return bar_chart(figure)
    return None
