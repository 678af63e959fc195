from django.urls import path

from coquan.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("<int:seq>/", views.entry_detail, name="entry_detail"),
    path("verify/", views.verify_chain, name="verify"),
]
