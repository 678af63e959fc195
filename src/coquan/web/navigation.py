"""The navigation menu as data: each item says who may see it.

``roles`` empty means every signed-in member; ``superuser`` items are for deployment
administrators; ``setting`` items appear only when that Django setting is true (a mode of
the deployment, e.g. ``COQUAN_EXCHANGE_HUB``). Items whose URL is not installed are left
out, so an app adds its item here and it appears when its URLs exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    roles: tuple[str, ...] = ()
    superuser: bool = False
    group: str = "main"
    setting: str = ""


# Sidebar sections in display order; the main section has no heading of its own.
NAV_GROUPS: list[tuple[str, str]] = [
    ("main", _("Work")),
    ("admin", pgettext_lazy("navigation", "Administration")),
    ("help", _("Help")),
]

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Dashboard"), "web:dashboard", "bi-speedometer2"),
    NavItem(_("Incoming documents"), "documents:incoming_list", "bi-inbox"),
    NavItem(
        _("Register incoming"), "documents:incoming_create", "bi-plus-square", roles=("clerk",)
    ),
    NavItem(_("Outgoing documents"), "documents:outgoing_list", "bi-send"),
    NavItem(
        _("New draft"),
        "documents:draft_create",
        "bi-file-earmark-plus",
        roles=("officer", "unit_leader", "leader"),
    ),
    NavItem(_("Working-day calendar"), "workdays:calendar", "bi-calendar3"),
    NavItem(_("Sector registry"), "registry:home", "bi-database"),
    NavItem(_("One-stop desk"), "onestop:desk", "bi-person-vcard", roles=("desk_officer",)),
    NavItem(_("Dossiers"), "onestop:dossier_list", "bi-folder2-open"),
    NavItem(_("Procedure catalogue"), "onestop:procedure_list", "bi-list-check"),
    NavItem(
        _("One-stop report"), "onestop:report", "bi-bar-chart", roles=("leader", "desk_officer")
    ),
    NavItem(
        _("Electronic exchange"), "exchange:home", "bi-arrow-left-right", roles=("clerk", "admin")
    ),
    NavItem(_("Units"), "org:unit_list", "bi-diagram-3", roles=("admin",), group="admin"),
    NavItem(_("Staff"), "org:member_list", "bi-people", roles=("admin",), group="admin"),
    NavItem(_("Import org tree"), "org:import", "bi-upload", roles=("admin",), group="admin"),
    NavItem(
        _("Audit log"), "audit:entry_list", "bi-journal-check", roles=("admin",), group="admin"
    ),
    NavItem(
        _("Numbering series"),
        "documents:series_list",
        "bi-journal-text",
        roles=("admin",),
        group="admin",
    ),
    NavItem(
        _("Role settings"),
        "accounts:second_factor_policy",
        "bi-shield-lock",
        superuser=True,
        group="admin",
    ),
    NavItem(_("Agencies"), "org:agency_list", "bi-buildings", superuser=True, group="admin"),
    NavItem(
        _("Hub traffic"),
        "exchange:hub_traffic",
        "bi-diagram-3-fill",
        superuser=True,
        group="admin",
        setting="COQUAN_EXCHANGE_HUB",
    ),
    NavItem(_("API documentation"), "api-docs", "bi-code-square", group="help"),
]
