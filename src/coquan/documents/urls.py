from django.urls import path
from django.views.generic import RedirectView

from coquan.documents import (
    outgoing_step_views,
    outgoing_views,
    register_views,
    series_views,
    step_views,
    type_views,
    views,
)

app_name = "documents"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="documents:incoming_list"), name="index"),
    path("incoming/", views.incoming_list, name="incoming_list"),
    path("incoming/new/", views.incoming_create, name="incoming_create"),
    path("types/", type_views.document_types, name="document_types"),
    path("incoming/report/", register_views.handling_report, name="handling_report"),
    path("incoming/books/<slug:kind>/", register_views.incoming_register, name="incoming_register"),
    path("incoming/<int:pk>/", views.incoming_detail, name="incoming_detail"),
    path(
        "incoming/<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("incoming/<int:pk>/<slug:step>/", step_views.step_view, name="incoming_step"),
    path("outgoing/", outgoing_views.outgoing_list, name="outgoing_list"),
    path("outgoing/new/", outgoing_views.draft_create, name="draft_create"),
    path("outgoing/series/", series_views.series_list, name="series_list"),
    path("outgoing/series/new/", series_views.series_create, name="series_create"),
    path("outgoing/series/<int:pk>/", series_views.series_edit, name="series_edit"),
    path("outgoing/register/", series_views.outgoing_register, name="outgoing_register"),
    path("outgoing/report/", series_views.outgoing_report, name="outgoing_report"),
    path("outgoing/<int:pk>/", outgoing_views.outgoing_detail, name="outgoing_detail"),
    path("outgoing/<int:pk>/edit/", outgoing_views.draft_edit, name="draft_edit"),
    path(
        "outgoing/<int:pk>/files/<int:file_pk>/",
        outgoing_views.outgoing_file_download,
        name="outgoing_file_download",
    ),
    path("outgoing/<int:pk>/<slug:step>/", outgoing_step_views.step_view, name="outgoing_step"),
]
