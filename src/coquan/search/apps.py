from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "coquan.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        """Load every app's ``search.py`` declarations, then connect the dirty marks."""
        from django.utils.module_loading import autodiscover_modules

        from coquan.search import engines, signals

        autodiscover_modules("search")
        signals.connect()
        post_migrate.connect(engines.restore_sqlite_triggers, sender=self)
