"""Uniform API error format.

Every error body is ``{"error": {"code": ..., "message": ..., "details": ...}}`` where
``details`` maps field names to lists of messages for validation errors.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _django_validation_details(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [
                str(m) for e in errs for m in e.messages
            ]
            for field, errs in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc, context):
    if isinstance(exc, DjangoPermissionDenied | exceptions.PermissionDenied) and context.get(
        "request"
    ):
        # DRF handles refusals inside the view, so the audit middleware never sees them.
        from coquan.audit.services import record_permission_denied

        record_permission_denied(context["request"], str(exc))
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_details(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = {
            "code": "invalid",
            "message": _("The request contains invalid data."),
            "details": details,
        }
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {
            "code": codes if isinstance(codes, str) else "error",
            "message": str(exc.detail) if hasattr(exc, "detail") else str(exc),
            "details": {},
        }
    response.data = {"error": body}
    return response


def error_response(code: str, message: str, http_status=status.HTTP_400_BAD_REQUEST, details=None):
    return Response(
        {"error": {"code": code, "message": message, "details": details or {}}}, status=http_status
    )
