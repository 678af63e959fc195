"""Every state change of the one-stop shop (DESIGN.md §4): catalogue, reception,
processing. Web views, API views and commands call these functions."""

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
    "approve",
    "create_procedure",
    "extend",
    "forward",
    "import_catalogue",
    "new_version",
    "publish_procedure",
    "refuse_reception",
    "request_completion",
    "request_supplement",
    "resubmit",
    "return_result",
    "return_to_previous",
    "stop",
    "update_procedure",
]
