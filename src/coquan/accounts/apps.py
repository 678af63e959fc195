from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "coquan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from coquan.accounts import signals  # noqa: F401  (login audit receivers)
