from __future__ import annotations

from django.db import models


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Entries of the agencies the person administers; everything for superusers."""
        from coquan.core.access import agencies_with_role

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(agency_id__in=agencies_with_role(user, "admin"))

    def delete(self):
        raise RuntimeError("Audit entries are append-only.")

    def update(self, **kwargs):
        raise RuntimeError("Audit entries are append-only.")
