from django.urls import path
from rest_framework.routers import SimpleRouter

from coquan.documents.api.outgoing_views import (
    OutgoingDocumentViewSet,
    OutgoingReportView,
    OutgoingSeriesViewSet,
)
from coquan.documents.api.register_views import IncomingRegisterViewSet
from coquan.documents.api.views import DocumentTypeViewSet, IncomingDocumentViewSet

router = SimpleRouter()
router.register("incoming-documents", IncomingDocumentViewSet, basename="incoming-document")
router.register("incoming-registers", IncomingRegisterViewSet, basename="incoming-register")
router.register("outgoing-documents", OutgoingDocumentViewSet, basename="outgoing-document")
router.register("outgoing-series", OutgoingSeriesViewSet, basename="outgoing-series")
router.register("document-types", DocumentTypeViewSet, basename="document-type")
urlpatterns = [
    path("outgoing-report/", OutgoingReportView.as_view(), name="outgoing-report"),
    *router.urls,
]
