from django.urls import path

from coquan.org import views

app_name = "org"
urlpatterns = [
    path("switch/", views.switch_agency, name="switch_agency"),
]
