"""Template helpers of the accounts pages."""

from __future__ import annotations

import datetime as dt
import math

from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def retry_time(cooloff: dt.timedelta | None):
    """When a locked-out person may try again: now plus the cool-off period.

    django-axes restarts the cool-off at every attempt made during a lockout, so the
    moment the page is shown is the right starting point.
    """
    if not cooloff:
        return None
    return timezone.localtime(timezone.now() + cooloff)


@register.filter
def minutes(delta: dt.timedelta | None) -> int:
    """A duration in whole minutes, rounded up."""
    if not delta:
        return 0
    return max(1, math.ceil(delta.total_seconds() / 60))
