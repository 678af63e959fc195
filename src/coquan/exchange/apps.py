from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "coquan.exchange"
    label = "exchange"
    verbose_name = _("Electronic document exchange")

    def ready(self):
        from coquan.exchange import signals

        signals.connect()
