"""The dashboard's charts are pure functions: given numbers, the SVG says so.

No database: each test builds rows by hand and reads the markup back."""

import datetime
import re

from participants.charts import (
    BAR,
    BAR_COLOUR,
    COLUMN_HEIGHT,
    PALETTE,
    PLOT_WIDTH,
    bar_chart,
    column_chart,
)
from participants.dashboard import Row

TWO_SERIES = [("Lead", PALETTE[0]), ("Develop", PALETTE[1])]


def rects(svg):
    """(x, y, width, height, fill) of every <rect>, in order."""
    return [
        (float(x), float(y), float(width), float(height), fill)
        for x, y, width, height, fill in re.findall(
            r'<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)" fill="([^"]+)"/>',
            svg,
        )
    ]


def texts(svg):
    return re.findall(r"<text [^>]*>([^<]*)</text>", svg)


def test_no_rows_draw_nothing():
    assert bar_chart([], "chart") == ""
    assert column_chart([], "chart") == ""


def test_a_bar_chart_is_an_image_named_by_its_heading():
    svg = bar_chart([Row(key="a", label="Policing", values=(3,))], "dashboard-sectors")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="dashboard-chart"')
    assert 'role="img" aria-labelledby="dashboard-sectors"' in svg
    width, height = re.search(r'width="(\d+)" height="(\d+)" viewBox="0 0 \1 \2"', svg).groups()
    assert int(width) > PLOT_WIDTH and int(height) > BAR


def test_the_largest_value_fills_the_plot_and_the_others_are_in_proportion():
    rows = [
        Row(key="a", label="Policing", values=(4,)),
        Row(key="b", label="Government", values=(1,)),
        Row(key="c", label="Private", values=(0,)),
    ]
    bars = rects(bar_chart(rows, "chart"))
    assert [width for _, _, width, _, _ in bars] == [PLOT_WIDTH, PLOT_WIDTH / 4, 0]
    assert {fill for *_, fill in bars} == {BAR_COLOUR}
    assert [y for _, y, _, _, _ in bars] == sorted(y for _, y, _, _, _ in bars)


def test_each_bar_says_its_number_and_share_and_each_row_its_label():
    rows = [
        Row(key="a", label="Policing", values=(3,), share=75),
        Row(key="b", label="Government", values=(1,), share=25),
    ]
    assert texts(bar_chart(rows, "chart")) == ["Policing", "3 (75%)", "Government", "1 (25%)"]


def test_several_series_have_a_legend_a_colour_each_and_name_each_bar():
    rows = [Row(key="p", label="P1", values=(2, 5))]
    svg = bar_chart(rows, "chart", TWO_SERIES)
    legend, bars = rects(svg)[:2], rects(svg)[2:]
    assert [fill for *_, fill in legend] == [PALETTE[0], PALETTE[1]]
    assert [fill for *_, fill in bars] == [PALETTE[0], PALETTE[1]]
    assert texts(svg) == ["Lead", "Develop", "P1", "2 lead", "5 develop"]


def test_a_rows_note_follows_its_first_bar_in_bold():
    rows = [Row(key="p", label="P1", values=(0, 2), note="No offer to lead")]
    svg = bar_chart(rows, "chart", TWO_SERIES)
    assert "0 lead – No offer to lead" in texts(svg)
    assert re.search(r'font-weight="bold">0 lead – No offer to lead</text>', svg)
    assert svg.count('font-weight="bold"') == 1


def test_all_zeroes_draw_empty_bars_not_an_error():
    bars = rects(bar_chart([Row(key="a", label="None yet", values=(0,))], "chart"))
    assert [width for _, _, width, _, _ in bars] == [0]


def test_labels_are_escaped():
    svg = bar_chart([Row(key="a", label="<script>alert(1)</script>", values=(1,))], "chart")
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


def days(counts, first=datetime.date(2026, 3, 2)):
    return [
        Row(key=first + datetime.timedelta(days=n), label="", values=(count,))
        for n, count in enumerate(counts)
    ]


def test_a_column_a_day_in_proportion_with_its_number_above():
    svg = column_chart(days([2, 4, 0]), "dashboard-days")
    assert 'aria-labelledby="dashboard-days"' in svg
    columns = rects(svg)
    assert [height for _, _, _, height, _ in columns] == [COLUMN_HEIGHT / 2, COLUMN_HEIGHT, 0]
    # Every column stands on one baseline.
    assert len({y + height for _, y, _, height, _ in columns}) == 1
    # Each column has its number above it (the day names are the texts with a space).
    assert [text for text in texts(svg) if " " not in text] == ["2", "4", "0"]


def test_every_seventh_day_is_named_and_the_last_if_there_is_room():
    svg = column_chart(days([1] * 11), "chart")
    named = [text for text in texts(svg) if " " in text]
    assert named == ["2 Mar", "9 Mar", "12 Mar"]
    svg = column_chart(days([1] * 9), "chart")
    assert [text for text in texts(svg) if " " in text] == ["2 Mar", "9 Mar"]
