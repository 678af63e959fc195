from rest_framework.routers import SimpleRouter

from coquan.exchange.api.views import ReceivedPackageViewSet

router = SimpleRouter()
router.register("exchange/packages", ReceivedPackageViewSet, basename="exchange-package")
urlpatterns = router.urls
