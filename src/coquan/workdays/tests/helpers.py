"""Shared helpers of the workdays tests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware datetime in Asia/Ho_Chi_Minh."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)
