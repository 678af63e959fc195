"""Actions on incoming documents: every state change of the documents app happens here.

Each action takes the acting person first and keyword-only arguments, checks permission
(``permissions.DocumentAccess`` / ``permissions.can_register``), runs in one transaction,
refuses illegal status changes through ``workflow``, writes one ``HandlingStep`` row (the
legal trail) and exactly one audit entry (``core.actions``). Actions that store files run
inside ``files.delete_on_rollback`` so a failure leaves no file behind.

Web views, the API and the exchange app (electronic documents parsed from edXML) call the
same functions.
"""

from coquan.documents.actions.common import DuplicateDocument, stores_files
from coquan.documents.actions.handling import (
    add_attachment,
    add_opinion,
    complete,
    refuse,
    reopen,
    return_document,
    start_handling,
)
from coquan.documents.actions.register import find_duplicates, register_incoming
from coquan.documents.actions.routing import assign, present

__all__ = [
    "DuplicateDocument",
    "add_attachment",
    "add_opinion",
    "assign",
    "complete",
    "find_duplicates",
    "present",
    "refuse",
    "register_incoming",
    "reopen",
    "return_document",
    "start_handling",
    "stores_files",
]
