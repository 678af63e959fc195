"""Every state change of the one-stop shop (DESIGN.md §4): catalogue, reception,
processing. Web views, API views and commands call these functions."""

from coquan.onestop.actions.evaluation import rate_dossier
from coquan.onestop.actions.fees import record_payment, request_fees
from coquan.onestop.actions.portal import (
    accept_online,
    answer_request,
    refuse_online,
    register_applicant,
    return_online,
    submit_online,
    withdraw,
)
from coquan.onestop.actions.procedures import (
    create_procedure,
    import_catalogue,
    new_version,
    publish_procedure,
    update_procedure,
)
from coquan.onestop.actions.processing import (
    approve,
    extend,
    forward,
    request_supplement,
    resubmit,
    return_result,
    return_to_previous,
    stop,
)
from coquan.onestop.actions.reception import accept_dossier, refuse_reception, request_completion

__all__ = [
    "accept_dossier",
    "accept_online",
    "answer_request",
    "approve",
    "create_procedure",
    "extend",
    "forward",
    "import_catalogue",
    "new_version",
    "publish_procedure",
    "rate_dossier",
    "record_payment",
    "refuse_online",
    "refuse_reception",
    "register_applicant",
    "request_completion",
    "request_fees",
    "request_supplement",
    "resubmit",
    "return_online",
    "return_result",
    "return_to_previous",
    "stop",
    "submit_online",
    "update_procedure",
    "withdraw",
]
