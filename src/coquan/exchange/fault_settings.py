"""Settings of the fault-test harness (``python -m coquan.exchange.faults``): the normal
settings with fast retries and short leases, so a killed worker's message is retried soon.
The database and files live under ``COQUAN_VAR_DIR`` (a temporary directory)."""

from coquan.config.settings import *  # noqa: F403

COQUAN_EXCHANGE_RETRY_BASE_SECONDS = 0.05
COQUAN_EXCHANGE_RETRY_MAX_SECONDS = 0.5
COQUAN_EXCHANGE_LEASE_SECONDS = 0.5
COQUAN_EXCHANGE_MAX_ATTEMPTS = 50
COQUAN_EXCHANGE_AUTOSEND = False
