"""Scoped querysets of the registry: every list starts from ``visible_to(user)``.

A register belongs to the agency that keeps it (the Department of Information and
Communications in the seed). Its rows are visible to every active member of that agency and
to deployment administrators; anonymous people see nothing here — the only public view is
``LicenceQuerySet.public()``, which the public register page narrows to harmless columns.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone


def member_agencies_subquery(user):
    """Subquery of the agencies where ``user`` has an active membership."""
    from coquan.org.models import Agency

    return Agency.objects.member_of(user).values("pk")


class RegistryQuerySet(models.QuerySet):
    """Rows that carry an ``agency`` (the tenant)."""

    def for_agency(self, agency):
        return self.filter(agency=agency)

    def visible_to(self, user):
        """Rows of the agencies where ``user`` is an active member (all for superusers)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(agency_id__in=member_agencies_subquery(user))


class LicenceQuerySet(RegistryQuerySet):
    def public(self):
        """Licences in force, for the public register (the page shows no personal data)."""
        from coquan.registry.choices import LicenceStatus

        return self.filter(status=LicenceStatus.VALID)

    def expiring_within(self, days: int, today: dt.date | None = None):
        """Valid licences whose expiry date falls in the next ``days`` days."""
        from coquan.registry.choices import LicenceStatus

        today = today or timezone.localdate()
        return self.filter(
            status=LicenceStatus.VALID,
            expiry_date__gte=today,
            expiry_date__lte=today + dt.timedelta(days=days),
        )

    def overdue_for_expiry(self, today: dt.date | None = None):
        """Valid or suspended licences whose expiry date has passed: to be marked expired."""
        from coquan.registry.choices import LicenceStatus

        return self.filter(
            status__in=(LicenceStatus.VALID, LicenceStatus.SUSPENDED),
            expiry_date__lt=today or timezone.localdate(),
        )


class IndicatorQuerySet(models.QuerySet):
    """Indicator definitions are shared reference data: readable by every signed-in person."""

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.all()

    def active(self):
        return self.filter(is_active=True)


class LicenceTypeQuerySet(IndicatorQuerySet):
    """Licence types are shared reference data, like indicator definitions."""
