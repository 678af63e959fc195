"""Scoped querysets for the org app: every list starts from ``visible_to(user)``."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone


def _active_on(prefix_from: str, prefix_to: str, day: dt.date) -> Q:
    return Q(**{f"{prefix_from}__lte": day}) & (
        Q(**{f"{prefix_to}__isnull": True}) | Q(**{f"{prefix_to}__gte": day})
    )


def member_agency_ids(user, day: dt.date | None = None):
    """Subquery of the agency ids where ``user`` has an active membership today."""
    from coquan.org.models import Membership

    day = day or timezone.localdate()
    return (
        Membership.objects.filter(user_id=user.pk)
        .filter(_active_on("start_date", "end_date", day))
        .values("agency_id")
    )


class AgencyQuerySet(models.QuerySet):
    def active_on(self, day: dt.date | None = None):
        return self.filter(_active_on("valid_from", "valid_to", day or timezone.localdate()))

    def visible_to(self, user):
        """Agencies a person can see in the directory: all of the deployment for members.

        The agency directory (names, identifiers, contact data) is public information inside a
        deployment: it is what edXML ``To`` lists are built from. Anonymous users see none.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(Q(pk__in=member_agency_ids(user)) | Q(valid_to__isnull=True))

    def member_of(self, user):
        """Agencies where ``user`` has an active membership."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(pk__in=member_agency_ids(user))


class UnitQuerySet(models.QuerySet):
    def active_on(self, day: dt.date | None = None):
        return self.filter(_active_on("valid_from", "valid_to", day or timezone.localdate()))

    def for_agency(self, agency):
        return self.filter(agency=agency)

    def visible_to(self, user):
        """Units of the agencies where the person is an active member."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(agency_id__in=member_agency_ids(user))


class PositionQuerySet(models.QuerySet):
    def for_agency(self, agency):
        return self.filter(agency=agency)

    def visible_to(self, user):
        """Positions of the agencies where the person is an active member."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(agency_id__in=member_agency_ids(user))


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: dt.date | None = None):
        return self.filter(_active_on("start_date", "end_date", day or timezone.localdate()))

    def for_agency(self, agency):
        return self.filter(agency=agency)

    def with_role(self, role: str):
        return self.filter(roles__code=role)

    def visible_to(self, user):
        """Memberships (the staff directory) of the agencies where the person is a member."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(agency_id__in=member_agency_ids(user))
