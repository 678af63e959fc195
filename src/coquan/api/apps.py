from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "coquan.api"
    label = "api"
    verbose_name = "API"
