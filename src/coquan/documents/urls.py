from django.urls import path
from django.views.generic import RedirectView

from coquan.documents import step_views, views

app_name = "documents"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="documents:incoming_list"), name="index"),
    path("incoming/", views.incoming_list, name="incoming_list"),
    path("incoming/new/", views.incoming_create, name="incoming_create"),
    path("incoming/<int:pk>/", views.incoming_detail, name="incoming_detail"),
    path(
        "incoming/<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("incoming/<int:pk>/<slug:step>/", step_views.step_view, name="incoming_step"),
]
