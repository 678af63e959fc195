from django.urls import path

from coquan.search import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
    path("saved/", views.saved_list, name="saved_list"),
    path("saved/new/", views.saved_create, name="saved_create"),
    path("saved/<int:pk>/delete/", views.saved_delete, name="saved_delete"),
]
