"""What a run measured, in the order measured, and how each figure is written and judged.

Every measuring module adds its rows (part, figure, value, goal, verdict) and
the lines printed under the table to one Figures; bench/report.py prints it.
"""


class Figures:
    def __init__(self):
        self.rows = []  # (part, figure, value, goal, verdict)
        self.details = []  # lines printed under the table

    def add(self, part, figure, value, goal="", met=""):
        self.rows.append((part, figure, value, goal, met))


def ratio(value, baseline):
    return value / baseline if value and baseline else None


def fmt(value, digits=2, unit=""):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{unit}"
    return f"{value:,}{unit}"


def verdict(value, goal, at_least):
    if value is None:
        return "n/a"
    return "met" if (value >= goal if at_least else value <= goal) else "MISSED"
