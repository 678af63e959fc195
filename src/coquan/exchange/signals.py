"""Statuses 04, 05 and 06 from the receiving agency's handling of an electronic document.

The documents actions save the incoming document with its new ``status`` inside their
transaction (``assign`` → assigned, ``start_handling`` → in progress, ``complete`` → done);
this ``post_save`` receiver builds the matching status package for the sender in that same
transaction (status 03 is built by ``actions.register_package``). Only documents that came
by exchange (``edxml_document_id`` and a registered package) report, each code once and
never backwards (a reopened document does not send 05 again after 06). The status names
the person whose action saved the document (``core.actions.current_actor``) in its
``StaffInfo``: the leader who assigned, the officer who started or completed it.
"""

from __future__ import annotations

from django.db.models.signals import post_save

from coquan.exchange.edxml.codes import STATUS_ASSIGNED, STATUS_DONE, STATUS_PROCESSING

CODES = {"assigned": STATUS_ASSIGNED, "in_progress": STATUS_PROCESSING, "done": STATUS_DONE}


def incoming_changed(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or not instance.edxml_document_id:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    code = CODES.get(instance.status)
    if code is None:
        return
    from coquan.core.actions import current_actor
    from coquan.exchange.actions import report_progress

    report_progress(document=instance, code=code, actor=current_actor())


def connect() -> None:
    from coquan.documents.models import IncomingDocument

    post_save.connect(
        incoming_changed, sender=IncomingDocument, dispatch_uid="exchange-incoming-status"
    )
