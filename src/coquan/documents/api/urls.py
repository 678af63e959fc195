from rest_framework.routers import SimpleRouter

from coquan.documents.api.views import DocumentTypeViewSet, IncomingDocumentViewSet

router = SimpleRouter()
router.register("incoming-documents", IncomingDocumentViewSet, basename="incoming-document")
router.register("document-types", DocumentTypeViewSet, basename="document-type")
urlpatterns = router.urls
