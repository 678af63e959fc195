import importlib

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_reference_data(sender, **kwargs):
    """Put back the licence types and indicators of migration 0002 when their tables are
    empty: transactional tests flush every table and Django emits post_migrate afterwards.
    Tables that hold rows are left alone (an administrator may have edited them)."""
    from django.apps import apps

    licence_type = apps.get_model("registry", "LicenceType")
    indicator = apps.get_model("registry", "Indicator")
    if licence_type.objects.exists() and indicator.objects.exists():
        return
    migration = importlib.import_module("coquan.registry.migrations.0002_reference_data")
    migration.create_reference_data(apps, None)


class RegistryConfig(AppConfig):
    name = "coquan.registry"
    label = "registry"
    verbose_name = _("Sector registry")

    def ready(self):
        post_migrate.connect(
            ensure_reference_data, sender=self, dispatch_uid="coquan.registry.ensure_reference"
        )
