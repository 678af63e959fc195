"""System checks of CoQuan's own settings (``coquan check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def key_passphrase(app_configs, **kwargs):
    """Production should seal the private keys with a passphrase of their own: derived from
    SECRET_KEY, rotating the secret key would lock the keys (core.keyvault)."""
    if settings.DEBUG or getattr(settings, "COQUAN_KEY_PASSPHRASE", ""):
        return []
    return [
        checks.Warning(
            "COQUAN_KEY_PASSPHRASE is not set: the private signing keys are encrypted with "
            "a passphrase derived from COQUAN_SECRET_KEY.",
            hint="Set COQUAN_KEY_PASSPHRASE (kept apart from the database backups) and run "
            "'coquan reseal_private_keys --old-passphrase-env' once (docs/deploy.md).",
            id="coquan.W001",
        )
    ]
