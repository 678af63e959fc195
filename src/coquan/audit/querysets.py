"""Scoping for the audit log, and the guards that keep it append-only through the ORM."""

from __future__ import annotations

from django.db import models


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete audit entries through the ORM."""


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Entries of the agencies the person administers (role ``admin``); all for superusers.

        Entries without an agency (sign-ins, deployment-level events) are for superusers only.
        """
        from coquan.core.access import agencies_with_role

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(agency_id__in=agencies_with_role(user, "admin"))

    def for_agency(self, agency):
        return self.filter(agency_id=getattr(agency, "pk", agency))

    def with_related(self):
        """The bundle the lists and pages show (actor and agency in the same query)."""
        return self.select_related("actor", "agency")

    def matching_action(self, code: str):
        """Entries with action ``code``; a code ending with ``.`` matches every code under it."""
        if code.endswith("."):
            return self.filter(action__startswith=code)
        return self.filter(action=code)

    # --- append-only guards -------------------------------------------------------------
    def delete(self):
        raise AppendOnlyError("Audit entries are append-only.")

    delete.queryset_only = True

    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries are append-only.")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are written only by coquan.audit.services.append.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are append-only.")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are append-only.")
