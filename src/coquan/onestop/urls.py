from django.urls import path
from django.views.generic import RedirectView

from coquan.onestop.views import (
    catalogue_xlsx,
    desk,
    dossiers,
    evaluation,
    lookup,
    portal,
    procedures,
    reports,
)

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
    # Online portal (applicants; no staff sign-in)
    path("portal/", portal.portal_home, name="portal_home"),
    path("portal/procedures/<int:pk>/", portal.portal_procedure, name="portal_procedure"),
    path("portal/procedures/<int:pk>/submit/", portal.portal_submit, name="portal_submit"),
    path("portal/register/", portal.portal_register, name="portal_register"),
    path("portal/login/", portal.portal_login, name="portal_login"),
    path("portal/logout/", portal.portal_logout, name="portal_logout"),
    path("portal/dossiers/", portal.portal_dossiers, name="portal_dossiers"),
    path("portal/dossiers/<int:pk>/", portal.portal_dossier, name="portal_dossier"),
    path("portal/dossiers/<int:pk>/answer/", portal.portal_answer, name="portal_answer"),
    path("portal/dossiers/<int:pk>/withdraw/", portal.portal_withdraw, name="portal_withdraw"),
    path("portal/dossiers/<int:pk>/rate/", portal.portal_rate, name="portal_rate"),
    # Evaluation (TT 01/2018 Arts. 12–15)
    path("evaluation/", evaluation.evaluation_page, name="evaluation"),
    path("dossiers/<int:pk>/rating/", evaluation.record_rating, name="dossier_rating"),
]
