"""State changes of the sector registry: every function is an ``@action`` (DESIGN.md §4).

First argument the acting person, keyword-only arguments, permission checked by the
decorator (``registry.permissions``), one transaction, exactly one audit entry with
before/after snapshots. Domain errors are ``ValidationError`` (messages grouped by the form
and API field names) or ``PermissionDenied``. Web pages, the API, management commands and
tasks call these same functions.
"""

from coquan.registry.actions.indicators import (
    define_indicator,
    import_indicator_values,
    save_annual_plan,
    set_indicator_values,
)
from coquan.registry.actions.inspections import (
    close_inspection,
    plan_inspection,
    record_appraisal,
    record_finding,
    record_violation,
    resolve_violation,
    update_appraisal,
    update_inspection,
)
from coquan.registry.actions.licences import (
    amend_licence,
    expire_licences,
    issue_licence,
    reinstate_licence,
    renew_licence,
    revoke_licence,
    suspend_licence,
)
from coquan.registry.actions.registers import (
    create_bts_station,
    create_internet_agent,
    import_bts_stations,
    import_internet_agents,
    update_bts_station,
    update_internet_agent,
)
from coquan.registry.actions.reminders import release_expiry_reminders, send_expiry_reminders

__all__ = [
    "amend_licence",
    "close_inspection",
    "create_bts_station",
    "create_internet_agent",
    "define_indicator",
    "expire_licences",
    "import_bts_stations",
    "import_indicator_values",
    "import_internet_agents",
    "issue_licence",
    "plan_inspection",
    "record_appraisal",
    "record_finding",
    "record_violation",
    "reinstate_licence",
    "release_expiry_reminders",
    "renew_licence",
    "resolve_violation",
    "revoke_licence",
    "save_annual_plan",
    "send_expiry_reminders",
    "set_indicator_values",
    "suspend_licence",
    "update_appraisal",
    "update_bts_station",
    "update_inspection",
    "update_internet_agent",
]
