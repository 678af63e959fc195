"""/api/v1/: each app contributes its own routes from ``<app>/api/urls.py``."""

from django.urls import include, path

app_name = "api"
urlpatterns = [
    path("", include("coquan.accounts.api.urls")),
    path("", include("coquan.org.api.urls")),
    path("", include("coquan.audit.api.urls")),
    path("", include("coquan.workdays.api.urls")),
    path("", include("coquan.documents.api.urls")),
    path("", include("coquan.registry.api.urls")),
    path("", include("coquan.exchange.api.urls")),
    path("", include("coquan.onestop.api.urls")),
    path("", include("coquan.search.api.urls")),
    path("", include("coquan.notifications.api.urls")),
]
