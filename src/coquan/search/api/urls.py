from django.urls import path
from rest_framework.routers import SimpleRouter

from coquan.search.api.views import AutocompleteView, SavedSearchViewSet, SearchView

router = SimpleRouter()
router.register("saved-searches", SavedSearchViewSet, basename="saved-search")
urlpatterns = [
    path("search/", SearchView.as_view(), name="search"),
    path("search/autocomplete/", AutocompleteView.as_view(), name="search-autocomplete"),
    *router.urls,
]
