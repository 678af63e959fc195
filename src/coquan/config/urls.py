from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("coquan.web.urls")),
    path("accounts/", include("coquan.accounts.urls")),
    path("org/", include("coquan.org.urls")),
    path("audit/", include("coquan.audit.urls")),
    path("calendar/", include("coquan.workdays.urls")),
    path("documents/", include("coquan.documents.urls")),
    path("registry/", include("coquan.registry.urls")),
    path("exchange/", include("coquan.exchange.urls")),
    path("onestop/", include("coquan.onestop.urls")),
    path("search/", include("coquan.search.urls")),
    path("notifications/", include("coquan.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("coquan.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("django-admin/", admin.site.urls),
]

handler403 = "coquan.web.views.error_403"
handler404 = "coquan.web.views.error_404"
handler500 = "coquan.web.views.error_500"
