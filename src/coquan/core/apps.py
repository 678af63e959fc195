from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "coquan.core"
    label = "core"
    verbose_name = "CoQuan core"

    def ready(self):
        from coquan.core import checks  # noqa: F401 (registers the system checks)
