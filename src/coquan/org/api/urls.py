from rest_framework.routers import SimpleRouter

from coquan.org.api.views import AgencyViewSet, MembershipViewSet, UnitViewSet

router = SimpleRouter()
router.register("agencies", AgencyViewSet, basename="agency")
router.register("units", UnitViewSet, basename="unit")
router.register("memberships", MembershipViewSet, basename="membership")
urlpatterns = router.urls
