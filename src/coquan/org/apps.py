from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_roles(sender, using="default", **kwargs):
    """Create the fixed Role rows after every migrate (and after a test-database flush).

    The rows are created by migration 0002 too; this handler makes them come back after
    `flush`, which Django's transactional tests run between tests (it emits post_migrate).
    """
    from coquan.org.choices import RoleCode
    from coquan.org.models import Role

    Role.objects.using(using).bulk_create(
        [Role(code=code) for code in RoleCode.values], ignore_conflicts=True
    )


class OrgConfig(AppConfig):
    name = "coquan.org"
    label = "org"
    verbose_name = _("Organisations")

    def ready(self):
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="coquan.org.ensure_roles")
