"""Actions on documents: every state change of the documents app happens here.

Each action takes the acting person first and keyword-only arguments, checks permission
(``permissions.DocumentAccess`` for incoming documents, ``outgoing_permissions
.OutgoingAccess`` for outgoing ones), runs in one transaction, refuses illegal status
changes through the workflow modules, writes the legal trail (``HandlingStep`` /
``OutgoingStep`` rows) and exactly one audit entry (``core.actions``). Actions that store
files run inside ``files.delete_on_rollback`` so a failure leaves no file behind.

Web views, the API and the exchange app call the same functions.
"""

from coquan.documents.actions.chain import (
    approve,
    check_form,
    give_opinion,
    reject,
    request_opinions,
    review,
)
from coquan.documents.actions.common import DuplicateDocument, stores_files
from coquan.documents.actions.delivery import record_delivery_state, requeue_delivery  # noqa: F401
from coquan.documents.actions.drafting import create_draft, submit, update_draft, withdraw
from coquan.documents.actions.handling import (
    add_attachment,
    add_opinion,
    complete,
    refuse,
    reopen,
    return_document,
    start_handling,
)
from coquan.documents.actions.issuing import issue, recall, sign
from coquan.documents.actions.keys import generate_signing_key
from coquan.documents.actions.received_recall import *  # noqa: F403 (its __all__)
from coquan.documents.actions.register import find_duplicates, register_incoming
from coquan.documents.actions.revising import create_revision
from coquan.documents.actions.routing import assign, present
from coquan.documents.actions.series import save_series
from coquan.documents.actions.types import save_document_type

__all__ = [
    "DuplicateDocument",
    "add_attachment",
    "add_opinion",
    "approve",
    "assign",
    "check_form",
    "complete",
    "create_draft",
    "create_revision",
    "find_duplicates",
    "generate_signing_key",
    "give_opinion",
    "issue",
    "present",
    "recall",
    "refuse",
    "register_incoming",
    "reject",
    "reopen",
    "request_opinions",
    "return_document",
    "review",
    "save_document_type",
    "save_series",
    "sign",
    "start_handling",
    "stores_files",
    "submit",
    "update_draft",
    "withdraw",
]
