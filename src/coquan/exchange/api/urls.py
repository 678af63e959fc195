from django.urls import path
from rest_framework.routers import SimpleRouter

from coquan.exchange.api.views import InboxView, ReceivedPackageViewSet

router = SimpleRouter()
router.register("exchange/packages", ReceivedPackageViewSet, basename="exchange-package")
urlpatterns = [
    path("exchange/inbox/", InboxView.as_view(), name="exchange-inbox"),
    *router.urls,
]
