from django.urls import path

from coquan.registry import (
    indicator_views,
    inspection_views,
    licence_views,
    register_views,
    views,
)

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/<int:year>.pdf", views.report_pdf, name="report_pdf"),
    path("report/<int:year>.docx", views.report_docx, name="report_docx"),
    path("report/<int:year>/chart.png", views.report_chart, name="report_chart"),
    path("plans/<int:year>/", views.plan_edit, name="plan_edit"),
    # Licences
    path("licences/", licence_views.licence_list, name="licence_list"),
    path("licences/new/", licence_views.licence_issue, name="licence_issue"),
    path("licences/<int:pk>/", licence_views.licence_detail, name="licence_detail"),
    path("licences/<int:pk>/<slug:step>/", licence_views.licence_step, name="licence_step"),
    path("public/licences/", licence_views.public_licences, name="public_licences"),
    # BTS stations
    path("bts/", register_views.bts_list, name="bts_list"),
    path("bts/new/", register_views.bts_create, name="bts_create"),
    path("bts/map/", register_views.bts_map, name="bts_map"),
    path("bts/map/points.json", register_views.bts_points, name="bts_points"),
    path("bts/import/", register_views.bts_import, name="bts_import"),
    path(
        "bts/import/template.xlsx", register_views.bts_import_template, name="bts_import_template"
    ),
    path("bts/<int:pk>/", register_views.bts_detail, name="bts_detail"),
    path("bts/<int:pk>/edit/", register_views.bts_edit, name="bts_edit"),
    # Internet agents
    path("agents/", register_views.agent_list, name="agent_list"),
    path("agents/new/", register_views.agent_create, name="agent_create"),
    path("agents/import/", register_views.agent_import, name="agent_import"),
    path(
        "agents/import/template.xlsx",
        register_views.agent_import_template,
        name="agent_import_template",
    ),
    path("agents/<int:pk>/", register_views.agent_detail, name="agent_detail"),
    path("agents/<int:pk>/edit/", register_views.agent_edit, name="agent_edit"),
    # Inspections
    path("inspections/", inspection_views.inspection_list, name="inspection_list"),
    path("inspections/new/", inspection_views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", inspection_views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", inspection_views.inspection_edit, name="inspection_edit"),
    path(
        "inspections/<int:pk>/findings/new/",
        inspection_views.finding_create,
        name="finding_create",
    ),
    path("inspections/<int:pk>/close/", inspection_views.inspection_close, name="inspection_close"),
    path(
        "findings/<int:pk>/violations/new/",
        inspection_views.violation_create,
        name="violation_create",
    ),
    path(
        "violations/<int:pk>/resolve/",
        inspection_views.violation_resolve,
        name="violation_resolve",
    ),
    # Project appraisals
    path("appraisals/", inspection_views.appraisal_list, name="appraisal_list"),
    path("appraisals/new/", inspection_views.appraisal_create, name="appraisal_create"),
    path("appraisals/<int:pk>/edit/", inspection_views.appraisal_edit, name="appraisal_edit"),
    # Indicators
    path("indicators/", indicator_views.indicator_list, name="indicators"),
    path("indicators/values/", indicator_views.indicator_values, name="indicator_values"),
    path("indicators/import/", indicator_views.indicator_import, name="indicator_import"),
    path(
        "indicators/import/template.xlsx",
        indicator_views.indicator_import_template,
        name="indicator_import_template",
    ),
    path("indicators/new/", indicator_views.indicator_define, name="indicator_create"),
    path("indicators/<str:code>/", indicator_views.indicator_history, name="indicator_history"),
    path("indicators/<str:code>/edit/", indicator_views.indicator_define, name="indicator_edit"),
]
