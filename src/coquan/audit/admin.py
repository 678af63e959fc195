"""The audit log in Django's admin site: readable by superusers, never editable."""

from __future__ import annotations

from django.contrib import admin

from coquan.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: no add, change or delete permission for anyone, superusers included."""

    list_display = (
        "seq",
        "created_at",
        "actor_name",
        "agency",
        "action",
        "object_type",
        "object_id",
    )
    list_filter = ("action",)
    search_fields = ("summary", "actor_name", "object_id", "request_id")
    list_select_related = ("agency",)
    show_full_result_count = False
    ordering = ("-seq",)
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
