"""API routes of the working-day calendar, under /api/v1/ (namespace ``api``)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from coquan.workdays.api import views

router = SimpleRouter()
router.register("workdays/overrides", views.OverrideViewSet, basename="workdays-override")

urlpatterns = [
    path("workdays/calendar/", views.CalendarYearView.as_view(), name="workdays-calendar"),
    path("workdays/deadline/", views.DeadlineView.as_view(), name="workdays-deadline"),
    *router.urls,
]
