"""Helpers shared by the actions of the documents app (not actions themselves)."""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.documents import files as file_store
from coquan.documents.models import Attachment, HandlingStep, IncomingDocument, SecrecyGrant
from coquan.documents.permissions import DocumentAccess
from coquan.documents.text_extraction import queue_extraction


class DuplicateDocument(ValidationError):
    """The document looks already registered; ``duplicates`` are the earlier documents.

    Decree 30/2020 App. VI: the System warns the clerk about duplicates (same document
    identifier, or same number, notation and issuing body). The clerk may still register
    it by confirming (``confirm_duplicate=True``).
    """

    def __init__(self, duplicates):
        self.duplicates = list(duplicates)
        numbers = ", ".join(str(doc.arrival_number) for doc in self.duplicates)
        super().__init__(
            _(
                "This document seems to be registered already (arrival number %(numbers)s). "
                "Check it, and confirm if it really is a different document."
            ),
            code="duplicate",
            params={"numbers": numbers},
        )


def stores_files(fn):
    """Run the action inside ``files.delete_on_rollback`` (outside its transaction)."""

    @functools.wraps(fn)
    def wrapper(actor, **kwargs):
        with file_store.delete_on_rollback():
            return fn(actor, **kwargs)

    return wrapper


def lock(document) -> IncomingDocument:
    """The document's row, locked for the rest of the transaction (fresh status)."""
    return IncomingDocument.objects.select_for_update().get(pk=document.pk)


def add_step(document, actor, kind, **fields) -> HandlingStep:
    """Write one row of the document's handling trail, in its current assignment round."""
    return HandlingStep.objects.create(
        document=document, actor=actor, kind=kind, round=document.assignment_round, **fields
    )


def grant(document, user, granted_by) -> None:
    """Give ``user`` access to a secret document (idempotent)."""
    if document.is_secret and user is not None:
        SecrecyGrant.objects.get_or_create(
            document=document, user=user, defaults={"granted_by": granted_by}
        )


def store_files(document, uploads, actor, *, step=None) -> list[Attachment]:
    """Check and store ``uploads`` as attachments of ``document`` (of ``step`` if given)."""
    stored = []
    for upload in uploads:
        file_type = file_store.check_upload(upload)
        fields = file_store.store(upload, agency_id=document.agency_id, file_type=file_type)
        attachment = Attachment.objects.create(
            document=document, step=step, uploaded_by=actor, **fields
        )
        queue_extraction(attachment)
        stored.append(attachment)
    return stored


def check_files(uploads) -> list[str]:
    """The messages of every upload that is refused (empty, too large, not allowed)."""
    errors = []
    for upload in uploads:
        try:
            file_store.check_upload(upload)
        except ValidationError as exc:
            errors.extend(exc.messages)
    return errors


def is_active_member(user, agency, unit=None) -> bool:
    """Whether ``user`` has an active membership in ``agency`` (and in ``unit``, if given)."""
    from coquan.org.models import Membership

    if user is None:
        return False
    memberships = Membership.objects.active_on(timezone.localdate()).filter(
        user_id=user.pk, agency_id=agency.pk
    )
    if unit is not None:
        memberships = memberships.filter(unit_id=unit.pk)
    return memberships.exists()


def permission(step: str):
    """The permission check of an action taking ``step`` on ``document``."""

    def check(actor, *, document, **_kwargs):
        DocumentAccess(actor, document).require(step)

    return check
