"""Date arithmetic that stays inside the calendar: a date past 9999-12-31 is None, never an exception."""

from __future__ import annotations

import datetime as dt
import re

_INTERVAL = re.compile(r"^(\d+) (day|week|month|year)s?$")


def plus_days(date: dt.date, days: int) -> dt.date | None:
    """`date` moved `days` days on, or None when that is past 9999-12-31."""
    if days > (dt.date.max - date).days:
        return None
    return date + dt.timedelta(days=days)


def plus_interval(date: dt.date, interval: str) -> dt.date | None:
    """`date` plus a review interval such as '90 days', '6 months' or '1 year', or None past 9999-12-31.

    Months and years land on the same day of the month, at most the 28th, so every month has it.
    """
    match = _INTERVAL.match(interval)
    assert match is not None, interval  # the model's pattern guarantees it
    count, unit = int(match.group(1)), match.group(2)
    if unit in ("day", "week"):
        return plus_days(date, count * (7 if unit == "week" else 1))
    years, month = divmod(date.month - 1 + count * (12 if unit == "year" else 1), 12)
    if date.year + years > dt.MAXYEAR:
        return None
    return dt.date(date.year + years, month + 1, min(date.day, 28))

