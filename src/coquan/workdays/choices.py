from django.db import models
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    """What an override does to its date (GLOSSARY.md: nghỉ bù / làm bù)."""

    # An extra day off: a substitute day (nghỉ bù), a bridge day the Prime Minister grants,
    # or a new holiday not yet in the ``holidays`` package.
    DAY_OFF = "day_off", _("Extra day off")
    # A make-up working day (ngày làm bù): a Saturday, Sunday or holiday that becomes working.
    WORKING_DAY = "working_day", _("Make-up working day")
