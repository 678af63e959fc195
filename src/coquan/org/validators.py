"""Validators for QCVN 102 identifiers (standards §1.2)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# V1V2V3.Z1Z2.Y1Y2.MX1X2 — 13 characters, level-1 part is one capital letter and two digits.
ORGAN_ID_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")


def validate_organ_id(value: str) -> None:
    if not isinstance(value, str) or not ORGAN_ID_RE.match(value):
        raise ValidationError(
            _(
                "Invalid agency identifier %(value)s: it must have the form NNN.NN.NN.LNN "
                "(for example 000.00.00.H49)."
            ),
            code="invalid_organ_id",
            params={"value": value},
        )
