from django.urls import path
from rest_framework.routers import SimpleRouter

from coquan.onestop.api.reports import RegisterView, StandardReportView
from coquan.onestop.api.views import (
    DossierViewSet,
    EvaluationView,
    LookupView,
    ProcedureViewSet,
    ReceptionViewSet,
)

router = SimpleRouter()
router.register("onestop/procedures", ProcedureViewSet, basename="onestop-procedure")
router.register("onestop/reception", ReceptionViewSet, basename="onestop-reception")
router.register("onestop/dossiers", DossierViewSet, basename="onestop-dossier")
urlpatterns = [
    path("onestop/lookup/<str:code>/", LookupView.as_view(), name="onestop-lookup"),
    path("onestop/reports/standard/", StandardReportView.as_view(), name="onestop-report"),
    path("onestop/reports/register/", RegisterView.as_view(), name="onestop-register"),
    path("onestop/evaluation/", EvaluationView.as_view(), name="onestop-evaluation"),
    *router.urls,
]
