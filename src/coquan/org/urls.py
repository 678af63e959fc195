from django.urls import path

from coquan.org import agency_views, people_views, views

app_name = "org"
urlpatterns = [
    path("switch/", views.switch_agency, name="switch_agency"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/close/", views.unit_close, name="unit_close"),
    path("positions/", views.position_list, name="position_list"),
    path("positions/new/", views.position_create, name="position_create"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("people/", people_views.member_list, name="member_list"),
    path("people/new/", people_views.person_add, name="person_add"),
    path("people/existing/", people_views.membership_add, name="membership_add"),
    path("people/<int:pk>/", people_views.membership_edit, name="membership_edit"),
    path("people/<int:pk>/end/", people_views.membership_end, name="membership_end"),
    path("import/", people_views.import_view, name="import"),
    path("import/template.csv", people_views.import_template, name="import_template"),
    path("agencies/", agency_views.agency_list, name="agency_list"),
    path("agencies/new/", agency_views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/edit/", agency_views.agency_edit, name="agency_edit"),
]
