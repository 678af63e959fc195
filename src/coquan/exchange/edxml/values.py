"""Reading and writing the scalar values of an edXML package.

A value that does not read as its type is kept as the text found, so that parsing never
fails on a field: ``validate`` reports it instead (with every other problem at once).

Dates: the standard writes ``yyyy/MM/dd``; real packages also carry ``dd/MM/yyyy``
(interop sample ``hub-sample-new.edxml``), so both are read and ``yyyy/MM/dd`` is written.
Timestamps are ``yyyy/MM/dd HH:mm:ss`` local time without a zone (standards §1.3).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

DateValue = dt.date | str | None
TimestampValue = dt.datetime | str | None
IntValue = int | str | None
BoolValue = bool | str | None

_YMD = re.compile(r"^(\d{4})/(\d{2})/(\d{2})$")
_DMY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_YMD_TIME = re.compile(r"^(\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2})$")
_DMY_TIME = re.compile(r"^(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2}):(\d{2})$")
_INT = re.compile(r"^[+-]?\d{1,18}$")


def read_date(text: str | None) -> DateValue:
    """A ``date`` from ``yyyy/MM/dd`` or ``dd/MM/yyyy``; None when empty; else the text."""
    text = (text or "").strip()
    if not text:
        return None
    match = _YMD.match(text)
    if match:
        year, month, day = match.groups()
    else:
        match = _DMY.match(text)
        if not match:
            return text
        day, month, year = match.groups()
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return text


def write_date(value: DateValue) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"
    return str(value)


def read_timestamp(text: str | None) -> TimestampValue:
    """A naive local ``datetime`` from ``yyyy/MM/dd HH:mm:ss`` (or ``dd/MM/yyyy HH:mm:ss``)."""
    text = (text or "").strip()
    if not text:
        return None
    match = _YMD_TIME.match(text)
    if match:
        year, month, day, hour, minute, second = match.groups()
    else:
        match = _DMY_TIME.match(text)
        if not match:
            return text
        day, month, year, hour, minute, second = match.groups()
    try:
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError:
        return text


def write_timestamp(value: TimestampValue) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value).replace(tzinfo=None)
        return (
            f"{value.year:04d}/{value.month:02d}/{value.day:02d} "
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
        )
    return str(value)


def read_int(text: str | None) -> IntValue:
    text = (text or "").strip()
    if not text:
        return None
    if _INT.match(text):
        return int(text)
    return text


def write_int(value: IntValue) -> str:
    return "" if value is None else str(value)


def read_bool(text: str | None) -> BoolValue:
    text = (text or "").strip()
    if not text:
        return None
    lowered = text.lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    return text


def write_bool(value: BoolValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def text_length(value: str) -> int:
    """Length in characters as a database column counts them (NFC: "ệ" is one)."""
    return len(unicodedata.normalize("NFC", value or ""))
