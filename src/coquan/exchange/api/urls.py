from django.urls import path
from rest_framework.routers import SimpleRouter

from coquan.exchange.api.deliveries import DeliveryProblemViewSet, StatusResendView
from coquan.exchange.api.hub import (
    HubTrafficView,
    PendingConfirmView,
    PendingListView,
    PendingPackageView,
)
from coquan.exchange.api.views import InboxView, ReceivedPackageViewSet

router = SimpleRouter()
router.register("exchange/packages", ReceivedPackageViewSet, basename="exchange-package")
router.register("exchange/deliveries", DeliveryProblemViewSet, basename="exchange-delivery")
urlpatterns = [
    path("exchange/inbox/", InboxView.as_view(), name="exchange-inbox"),
    path(
        "exchange/statuses/<int:pk>/resend/",
        StatusResendView.as_view(),
        name="exchange-status-resend",
    ),
    path("exchange/hub/traffic/", HubTrafficView.as_view(), name="exchange-hub-traffic"),
    path("exchange/hub/pending/", PendingListView.as_view(), name="exchange-hub-pending"),
    path(
        "exchange/hub/pending/<int:pk>/",
        PendingPackageView.as_view(),
        name="exchange-hub-pending-package",
    ),
    path(
        "exchange/hub/pending/<int:pk>/confirm/",
        PendingConfirmView.as_view(),
        name="exchange-hub-pending-confirm",
    ),
    *router.urls,
]
