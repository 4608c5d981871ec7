"""SVG charts drawn on the server, from numbers alone: no query, no request.

Each function takes rows (dashboard.Row, or anything with the same attributes)
and returns markup safe to put in a template, or "" when there is nothing to
draw. The page shows a table of the same numbers beneath each chart.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Okabe and Ito's palette, told apart with the commoner colour-vision
# deficiencies; every bar also carries its number and, where there are several
# series, the series' name, so colour is never the only cue.
PALETTE = ("#0072B2", "#E69F00", "#009E73")
BAR_COLOUR = PALETTE[0]

# Drawing. Sizes are in pixels at the 12px font the charts use; a character is
# taken as 7px wide, enough to leave room for labels without measuring text.

FONT_SIZE = 12
CHARACTER = 7
BAR = 14
BAR_GAP = 3
GROUP_GAP = 12
PLOT_WIDTH = 360
LEGEND_HEIGHT = 28


def _svg(width, height, labelled_by, parts):
    # Every part is built by format_html, which escapes what it inserts.
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="dashboard-chart" role="img" '
        'aria-labelledby="{}" width="{}" height="{}" viewBox="0 0 {} {}" font-size="{}">'
        "{}</svg>",
        labelled_by,
        width,
        height,
        width,
        height,
        FONT_SIZE,
        mark_safe("".join(parts)),
    )


def _bar_text(row, index, value, series):
    text = f"{value} {series[index][0].lower()}" if len(series) > 1 else str(value)
    if row.share is not None:
        text += f" ({row.share}%)"
    if row.note and index == 0:
        text += f" – {row.note}"
    return text


def bar_chart(rows, labelled_by, series=(("Count", BAR_COLOUR),)):
    """Horizontal bars: a group per row, a bar per series, the number at each bar's end.

    A row's note (say "No offer to lead") follows its first bar, in bold.
    """
    if not rows:
        return ""
    largest = max((value for row in rows for value in row.values), default=0) or 1
    texts = [
        [_bar_text(row, i, value, series) for i, value in enumerate(row.values)] for row in rows
    ]
    label_width = min(max(len(row.label) for row in rows) * CHARACTER + 16, 240)
    text_width = max(len(text) for line in texts for text in line) * CHARACTER + 12
    width = label_width + PLOT_WIDTH + text_width
    group = len(series) * BAR + (len(series) - 1) * BAR_GAP
    top = LEGEND_HEIGHT if len(series) > 1 else 4
    height = top + len(rows) * (group + GROUP_GAP)

    parts = []
    if len(series) > 1:
        x = label_width
        for name, colour in series:
            parts.append(
                format_html(
                    '<rect x="{}" y="4" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" dominant-baseline="central" fill="currentColor">'
                    "{}</text>",
                    x,
                    BAR,
                    BAR,
                    colour,
                    x + BAR + 5,
                    4 + BAR / 2,
                    name,
                )
            )
            x += BAR + 5 + len(name) * CHARACTER + 20
    for n, (row, line) in enumerate(zip(rows, texts, strict=True)):
        y = top + n * (group + GROUP_GAP)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" dominant-baseline="central" '
                'fill="currentColor">{}</text>',
                label_width - 8,
                y + group / 2,
                row.label,
            )
        )
        for i, (value, text) in enumerate(zip(row.values, line, strict=True)):
            bar_y = y + i * (BAR + BAR_GAP)
            bar_width = round(value / largest * PLOT_WIDTH, 1)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                    '<text x="{}" y="{}" dominant-baseline="central" fill="currentColor"{}>'
                    "{}</text>",
                    label_width,
                    bar_y,
                    bar_width,
                    BAR,
                    series[i][1],
                    label_width + bar_width + 4,
                    bar_y + BAR / 2,
                    mark_safe(' font-weight="bold"') if row.note and i == 0 else "",
                    text,
                )
            )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor"/>',
            label_width,
            top - 2,
            label_width,
            height - GROUP_GAP + 2,
        )
    )
    return _svg(width, height, labelled_by, parts)


COLUMN_SLOT = 26
COLUMN = 18
COLUMN_HEIGHT = 160


def column_chart(rows, labelled_by):
    """Columns, one per row (a day), each with its number above it; every seventh
    day, and the last if there is room, is named beneath its column."""
    if not rows:
        return ""
    largest = max(row.total for row in rows) or 1
    top, left = FONT_SIZE + 8, 8
    baseline = top + COLUMN_HEIGHT
    width = max(2 * left + len(rows) * COLUMN_SLOT, 120)
    height = baseline + 2 * FONT_SIZE + 8
    parts = []
    for n, row in enumerate(rows):
        x = left + n * COLUMN_SLOT + (COLUMN_SLOT - COLUMN) / 2
        column = round(row.total / largest * COLUMN_HEIGHT, 1)
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle" fill="currentColor">{}</text>',
                x,
                baseline - column,
                COLUMN,
                column,
                BAR_COLOUR,
                x + COLUMN / 2,
                baseline - column - 4,
                row.total,
            )
        )
        if n % 7 == 0 or (n == len(rows) - 1 and n % 7 >= 3):
            parts.append(
                format_html(
                    '<text x="{}" y="{}" fill="currentColor">{} {}</text>',
                    x,
                    baseline + FONT_SIZE + 6,
                    row.key.day,
                    f"{row.key:%b}",
                )
            )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor"/>',
            left,
            baseline,
            width - left,
            baseline,
        )
    )
    return _svg(width, height, labelled_by, parts)
