from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "coquan.workdays"
    label = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self):
        from coquan.workdays.store import connect_signals

        connect_signals()
