"""How a digest's values read, shared by the page and the markdown export."""

from __future__ import annotations

import datetime as dt

from analytics.units import DurationUnit, duration_unit

MINUS = "\u2212"  # a real minus sign: the same width as "+" in tables
# Numbers that are a state at the end of the period: in a period still in progress they are the
# state now, which compares fairly with the previous period's end. Every other number sums or
# samples the period so far, and a part of a period does not compare with a whole one.
LEVELS = ("open_issues", "open_prs", "stars_total")
IN_PROGRESS = "in progress"


def period_title(*, period: str, start: dt.date) -> str:
    """The period as people say it: "Week of 2026-05-25" or "May 2026"."""
    return f"Week of {start.isoformat()}" if period == "week" else start.strftime("%B %Y")


def value_text(value, unit: str, *, duration: DurationUnit | None = None) -> str:
    """A number as the digest shows it; a duration ("h": stored in hours) in `duration`'s unit
    (by default the one `duration_unit` picks for this value alone)."""
    if value is None:
        return "—"
    if unit == "h":
        return (duration or duration_unit([value])).text(value)
    return f"{value:,}"


def delta_text(delta, unit: str, *, duration: DurationUnit | None = None) -> str:
    if delta is None:
        return "—"
    if delta == 0:
        return "±0"
    sign = "+" if delta > 0 else MINUS
    return sign + value_text(abs(delta), unit, duration=duration)


def trend(number: dict) -> str:
    """A change read as "better", "worse" or "" (durations improve when they shrink)."""
    delta = number.get("delta")
    if not delta:
        return ""
    up_is_good = not number.get("lower_is_better")
    # Open backlogs are neither: more open items is more work, not progress.
    if number.get("key") in ("open_issues", "open_prs"):
        return ""
    return "better" if (delta > 0) == up_is_good else "worse"


def numbers_rows(numbers: list[dict], *, in_progress: bool = False) -> list[dict]:
    """Each number with its texts and trend, for display. In a period still in progress
    (`in_progress`, a digest not final), a number that sums or samples the period so far gets
    no change ("in progress", no colour): "0 vs 18" after 15 hours of a week is not a drop.
    Levels (`LEVELS`) keep their change, as the state now against the previous period's end."""
    return [_row(number, in_progress=in_progress) for number in numbers]


def _row(number: dict, *, in_progress: bool = False) -> dict:
    """One row in one unit: a duration's current, previous and change all in hours or all in
    days, chosen from the row's own values (`analytics.units`)."""
    unit = number["unit"]
    duration = duration_unit([number["current"], number["previous"]]) if unit == "h" else None
    partial = in_progress and number.get("key") not in LEVELS
    return {
        **number,
        "current_text": value_text(number["current"], unit, duration=duration),
        "previous_text": value_text(number["previous"], unit, duration=duration),
        "delta_text": IN_PROGRESS
        if partial
        else delta_text(number["delta"], unit, duration=duration),
        "trend": "" if partial else trend(number),
        "in_progress": partial,
    }


def waiting_text(days: float) -> str:
    return f"{days:.0f} d" if days >= 1 else f"{days * 24:.0f} h"
