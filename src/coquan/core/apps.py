from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "coquan.core"
    label = "core"
    verbose_name = "CoQuan core"
