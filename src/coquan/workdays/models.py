"""The admin-editable part of the working-day calendar.

The statutory holidays come from the ``holidays`` package (``holidays.VN``: lunar Tết, Hùng
Kings, the 2 September pair, substitute days). What the package cannot know arrives every
year by decision of the Prime Minister or the Ministry of Home Affairs: bridge days off, the
Saturdays worked to make up for them, and new holidays (standards §4.1–4.3). Those are
``CalendarOverride`` rows, changed only through ``coquan.workdays.actions``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coquan.workdays.calendar import MAX_YEAR, MIN_YEAR
from coquan.workdays.choices import OverrideKind
from coquan.workdays.querysets import CalendarOverrideQuerySet


class CalendarOverride(models.Model):
    """One date whose working status differs from the statutory calendar.

    ``day_off`` makes the date a day off (e.g. 24/11 if the Labour Code is amended, or a
    bridge day granted by the Prime Minister); ``working_day`` makes a Saturday, Sunday or
    holiday a working day (a make-up Saturday, ngày làm bù). At most one override per date
    (database constraint). Created, edited and deleted only by deployment administrators
    through ``workdays.actions``, each change audited; the calendar cache is invalidated when
    the change commits, so deadlines computed afterwards use it at once.
    """

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=OverrideKind.choices)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("Shown on the calendar, in Vietnamese.")
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("The decision or announcement it comes from.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CalendarOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date"], name="workdays_override_unique_date"),
            models.CheckConstraint(
                condition=Q(kind__in=OverrideKind.values), name="workdays_override_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="workdays_override_name_not_empty"),
            models.CheckConstraint(
                condition=Q(date__gte=dt.date(MIN_YEAR, 1, 1))
                & Q(date__lte=dt.date(MAX_YEAR, 12, 31)),
                name="workdays_override_date_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    @property
    def makes_working(self) -> bool:
        return self.kind == OverrideKind.WORKING_DAY

    def snapshot(self) -> dict:
        """The audited content of the override (before/after of an audit entry)."""
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "name": self.name,
            "note": self.note,
        }


class CalendarVersion(models.Model):
    """A token replaced, in the same transaction, by every override change (one row, id=1).

    Every process caches the calendar it built from the overrides together with the token it
    read; reading the token back is a single primary-key lookup, so a change committed by any
    process on any host is seen by the next calculation everywhere (no stale cache). The
    token is random rather than a counter so that a rolled-back change can never leave a
    cache keyed by a value that a later, different change reuses.
    """

    token = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar version")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="workdays_version_single_row")
        ]

    def __str__(self) -> str:
        return f"calendar {self.token or 'initial'}"
