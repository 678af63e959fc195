from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "coquan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from coquan.accounts import signals  # noqa: F401  (sign-in audit receivers)
        from coquan.accounts.api import schema  # noqa: F401  (OpenAPI token scheme)
