"""Scoped querysets for the working-day calendar."""

from __future__ import annotations

from django.db import models


class CalendarOverrideQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Overrides a person may see: the calendar is deployment-wide, so every signed-in
        person sees all of them; anonymous visitors see none."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.all()

    def for_year(self, year: int):
        return self.filter(date__year=year)
