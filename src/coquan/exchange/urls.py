from django.urls import path

from coquan.exchange import hub_views, views

app_name = "exchange"
urlpatterns = [
    path("", views.home, name="home"),
    path("upload/", views.upload, name="upload"),
    path("packages/<int:pk>/", views.package_detail, name="package_detail"),
    path("packages/<int:pk>/raw/", views.package_raw, name="package_raw"),
    path("packages/<int:pk>/refuse/", views.package_refuse, name="package_refuse"),
    path("packages/<int:pk>/register/", views.package_register, name="package_register"),
    path("packages/<int:pk>/recall/", views.package_recall, name="package_recall"),
    path("deliveries/", views.reconciliation, name="reconciliation"),
    path("hub/", hub_views.traffic, name="hub_traffic"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
    path("statuses/<int:pk>/resend/", views.status_resend, name="status_resend"),
    path(
        "packages/<int:pk>/files/<int:position>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
