"""Scoped querysets of the one-stop shop: every list starts from ``visible_to(user)``.

Dossiers carry personal data (standards §5.2), so they are visible to the receiving
agency's desk officers and leaders, and otherwise only to the people and units they were
handed to (officers and unit leaders of that unit). Each rule is a subquery, so a list costs
the same number of queries whatever the person's memberships.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone

# Roles that see every dossier of their agency.
AGENCY_WIDE_ROLES = ("desk_officer", "leader")
# Roles that see (and handle) the dossiers handed to their unit.
UNIT_ROLES = ("officer", "unit_leader")


def _memberships(user, day: dt.date | None = None):
    from coquan.org.models import Membership

    return Membership.objects.active_on(day or timezone.localdate()).filter(user_id=user.pk)


def agency_ids_with_roles(user, roles) -> models.QuerySet:
    """Subquery: agencies where ``user`` holds one of ``roles`` today."""
    return _memberships(user).filter(roles__code__in=roles).values("agency_id")


def handling_unit_ids(user) -> models.QuerySet:
    """Subquery: units where ``user`` is an officer or unit leader today."""
    return (
        _memberships(user).filter(unit__isnull=False, roles__code__in=UNIT_ROLES).values("unit_id")
    )


def member_agency_ids(user) -> models.QuerySet:
    return _memberships(user).values("agency_id")


class ProcedureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The catalogues of the agencies where the person is a member (every version)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(agency_id__in=member_agency_ids(user))

    def for_agency(self, agency):
        return self.filter(agency=agency)

    def published(self):
        return self.filter(state="published")


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Dossiers ``user`` may see: all of the agencies where they are a desk officer or
        leader; otherwise those handed to them by name or to a unit where they are an
        officer or unit leader (at any time: the hand-over history stays visible)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        from coquan.onestop.models import DossierTransfer

        handed = DossierTransfer.objects.filter(
            Q(to_user_id=user.pk) | Q(to_unit_id__in=handling_unit_ids(user))
        ).values("dossier_id")
        return self.filter(
            Q(agency_id__in=agency_ids_with_roles(user, AGENCY_WIDE_ROLES)) | Q(pk__in=handed)
        )

    def visible_in(self, user, agency):
        """``visible_to(user).for_agency(agency)``: the same rows, with a shorter statement.

        A superuser, desk officer or leader of ``agency`` (roles read once per request,
        ``core.access.roles_in``) sees all of its dossiers: no subquery at all; anyone
        else gets ``visible_to`` for that agency unchanged.
        """
        from coquan.core.access import roles_in

        if not getattr(user, "is_authenticated", False) or agency is None:
            return self.none()
        if user.is_superuser or roles_in(user, agency) & set(AGENCY_WIDE_ROLES):
            return self.filter(agency=agency)
        return self.visible_to(user).for_agency(agency)

    def for_agency(self, agency):
        return self.filter(agency=agency)

    def of_applicant(self, applicant):
        """The dossiers an applicant submitted on the portal: the only ones they see."""
        if applicant is None or applicant.pk is None:
            return self.none()
        return self.filter(applicant_account_id=applicant.pk)

    def for_list(self):
        """What a list row shows, in the same query."""
        return self.select_related(
            "procedure", "current_step", "assignee_unit", "assignee_user", "agency"
        )

    def accepted(self):
        return self.filter(received_at__isnull=False)

    def running(self):
        from coquan.onestop.choices import RUNNING_STATUSES

        return self.filter(status__in=RUNNING_STATUSES)

    def overdue(self, now: dt.datetime):
        """Running dossiers whose appointment has passed."""
        return self.running().filter(due_at__lt=now)

    def assigned_to(self, user):
        """Dossiers waiting at a step for ``user``: by name, or for a unit where the person is
        an officer or unit leader when nobody is named."""
        return self.filter(
            Q(assignee_user_id=user.pk)
            | Q(assignee_user__isnull=True, assignee_unit_id__in=handling_unit_ids(user))
        )
