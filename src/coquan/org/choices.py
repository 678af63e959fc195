from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    DEPARTMENT = "department", _("Provincial department")
    DISTRICT = "district", _("District (before 07/2025)")
    COMMUNE = "commune", _("Commune")
    OTHER = "other", _("Other")


class RoleCode(models.TextChoices):
    """The fixed roles of DESIGN.md §5 / GLOSSARY.md."""

    ADMIN = "admin", _("Agency administrator")
    CLERK = "clerk", _("Clerk")
    LEADER = "leader", _("Leader")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    OFFICER = "officer", _("Officer")
    DESK_OFFICER = "desk_officer", _("One-stop desk officer")
