"""Filter pieces shared by every app's filtersets."""

from __future__ import annotations

import django_filters
from django.forms.utils import pretty_name
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _


def _descending(fmt, label) -> str:
    return str(fmt) % str(label)


_descending_lazy = lazy(_descending, str)


class LazyOrderingFilter(django_filters.OrderingFilter):
    """``OrderingFilter`` whose "(descending)" labels stay lazy.

    django-filter formats the descending labels when the filterset class is created, which
    freezes them in whatever language is active at import time (so the OpenAPI schema and
    the pages depended on test order). Here they are translated when shown.
    """

    def build_choices(self, fields, labels):
        ascending = [
            (param, labels.get(field, _(pretty_name(param)))) for field, param in fields.items()
        ]
        descending = [
            (f"-{param}", labels.get(f"-{param}", _descending_lazy(self.descending_fmt, label)))
            for param, label in ascending
        ]
        return [val for pair in zip(ascending, descending, strict=True) for val in pair]
