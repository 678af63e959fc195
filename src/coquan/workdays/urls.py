from django.urls import path

from coquan.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("deadline/", views.deadline_view, name="deadline"),
    path("overrides/new/", views.override_create, name="override_create"),
    path("overrides/<int:pk>/edit/", views.override_edit, name="override_edit"),
    path("overrides/<int:pk>/delete/", views.override_delete, name="override_delete"),
]
