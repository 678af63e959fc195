from django.urls import path
from rest_framework.routers import SimpleRouter

from coquan.registry.api import views

router = SimpleRouter()
router.register(
    "registry/licence-types", views.LicenceTypeViewSet, basename="registry-licence-type"
)
router.register("registry/licences", views.LicenceViewSet, basename="registry-licence")
router.register("registry/bts-stations", views.BtsStationViewSet, basename="registry-bts")
router.register("registry/indicators", views.IndicatorViewSet, basename="registry-indicator")
router.register(
    "registry/indicator-values", views.IndicatorValueViewSet, basename="registry-indicator-value"
)
urlpatterns = [
    path(
        "registry/report/<int:year>/",
        views.ReportDataView.as_view(),
        name="registry-report-data",
    ),
    *router.urls,
]
