import importlib

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_document_types(sender, **kwargs):
    """Re-create the Decree 30 document types after every migrate (and test-database flush).

    Migration 0002 creates them; transactional tests flush every table and Django emits
    post_migrate afterwards, so the fixed rows come back from the same data.
    """
    from django.apps import apps

    migration = importlib.import_module("coquan.documents.migrations.0002_decree30_document_types")
    migration.create_types(apps, None)


class DocumentsConfig(AppConfig):
    name = "coquan.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        post_migrate.connect(
            ensure_document_types, sender=self, dispatch_uid="coquan.documents.ensure_types"
        )
