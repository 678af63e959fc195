"""The directory, peer nodes and the outbox in Django's admin site (superusers)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from coquan.exchange.models import OutboxMessage, PeerNode, Route


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = ("organ_id", "name", "transport", "endpoint", "active", "updated_at")
    list_filter = ("transport", "active")
    search_fields = ("organ_id", "name", "endpoint")
    change_list_template = "exchange/admin/route_changelist.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="exchange_route_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Import the directory from a CSV file (organ_id,name,transport,endpoint,token)."""
        from coquan.exchange.directory import import_directory

        if request.method == "POST" and request.FILES.get("file"):
            text = request.FILES["file"].read(5_000_000).decode("utf-8", "replace")
            try:
                result = import_directory(request.user, text=text)
            except ValidationError as exc:
                for message in exc.messages[:50]:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("Directory imported: %(created)s new, %(updated)s updated") % result,
                )
                return redirect("admin:exchange_route_changelist")
        return render(
            request,
            "exchange/admin/route_import.html",
            {**self.admin_site.each_context(request), "title": _("Import the directory")},
        )


@admin.register(PeerNode)
class PeerNodeAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "created_at")
    readonly_fields = ("token_sha256",)
    fields = ("name", "sender_organ_ids", "active", "token_sha256")

    def has_add_permission(self, request):
        return False  # created with ``coquan exchange_node`` (the token is shown once)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The traffic: every outgoing message with its state and attempts (read-only)."""

    list_display = (
        "created_at",
        "kind",
        "document_id",
        "sender_organ_id",
        "organ_id",
        "state",
        "attempts",
        "transport",
        "delivered_at",
    )
    list_filter = ("state", "kind", "transport", "source_node")
    search_fields = ("document_id", "organ_id")
    exclude = ("content",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in OutboxMessage._meta.fields if f.name != "content"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
