from django.urls import path
from django.views.generic import RedirectView

from coquan.onestop.views import catalogue_xlsx, desk, dossiers, lookup, procedures, reports

app_name = "onestop"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="onestop:dossier_list"), name="home"),
    # Desk
    path("desk/", desk.desk, name="desk"),
    path("desk/receive/<int:pk>/", desk.receive, name="receive"),
    # Dossiers
    path("dossiers/", dossiers.dossier_list, name="dossier_list"),
    path("dossiers/<int:pk>/", dossiers.dossier_detail, name="dossier_detail"),
    path("dossiers/<int:pk>/steps/<slug:step>/", dossiers.dossier_step, name="dossier_step"),
    path("dossiers/<int:pk>/forms/<str:number>.pdf", dossiers.dossier_form, name="dossier_form"),
    path("dossiers/<int:pk>/files/<int:file_pk>/", dossiers.dossier_file, name="dossier_file"),
    # Catalogue
    path("procedures/", procedures.procedure_list, name="procedure_list"),
    path("procedures/new/", procedures.procedure_create, name="procedure_create"),
    path("procedures/import/", procedures.procedure_import, name="procedure_import"),
    path("procedures/export.json", procedures.catalogue_export, name="catalogue_export"),
    path(
        "procedures/import-xlsx/",
        catalogue_xlsx.procedure_import_xlsx,
        name="procedure_import_xlsx",
    ),
    path(
        "procedures/export.xlsx", catalogue_xlsx.catalogue_export_xlsx, name="catalogue_export_xlsx"
    ),
    path("procedures/<int:pk>/", procedures.procedure_detail, name="procedure_detail"),
    path("procedures/<int:pk>/edit/", procedures.procedure_edit, name="procedure_edit"),
    path("procedures/<int:pk>/publish/", procedures.procedure_publish, name="procedure_publish"),
    path(
        "procedures/<int:pk>/new-version/",
        procedures.procedure_new_version,
        name="procedure_new_version",
    ),
    path("procedures/<int:pk>/export.json", procedures.procedure_export, name="procedure_export"),
    # Reports
    path("reports/", reports.report, name="report"),
    path("reports/standard.xlsx", reports.report_xlsx, name="report_xlsx"),
    path("reports/standard.pdf", reports.report_pdf, name="report_pdf"),
    path("reports/register/", reports.register, name="register"),
    # Public lookup (no sign-in)
    path("lookup/", lookup.lookup, name="lookup"),
    path("lookup/<str:code>/", lookup.lookup_code, name="lookup_code"),
]
