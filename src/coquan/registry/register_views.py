"""BTS station and internet agent pages: lists, forms, imports, the station map."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from coquan.core.access import get_visible_or_404
from coquan.core.views import apply_action_errors, paginate
from coquan.registry import actions
from coquan.registry import importing as cells
from coquan.registry.actions.registers import (
    AGENT_COLUMNS,
    AGENT_REQUIRED,
    BTS_COLUMNS,
    BTS_REQUIRED,
)
from coquan.registry.filtersets import BtsStationFilter, InternetAgentFilter
from coquan.registry.forms import BtsStationForm, ImportForm, InternetAgentForm
from coquan.registry.models import BtsStation, InternetAgent
from coquan.registry.permissions import can_edit
from coquan.registry.views_common import (
    registry_agency,
    require_edit,
    style_filter_form,
)

MAP_POINT_LIMIT = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _history(request, obj):
    """The object's audit entries the person may read (agency administrators)."""
    from coquan.audit.models import AuditEntry

    return (
        AuditEntry.objects.visible_to(request.user)
        .filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("-seq")[:50]
    )


def _commune_kwargs(data: dict) -> dict:
    commune = data.pop("commune", None)
    name = data.pop("commune_name", "")
    return {"commune": commune or name or None, "commune_name": "" if commune else name}


# --- BTS stations --------------------------------------------------------------------------------


def _stations(request, agency):
    queryset = (
        BtsStation.objects.visible_to(request.user)
        .for_agency(agency)
        .select_related("commune")
        .order_by("operator", "code")
    )
    return style_filter_form(BtsStationFilter(request.GET or None, queryset=queryset))


@login_required
def bts_list(request):
    agency = registry_agency(request)
    filterset = _stations(request, agency)
    page, keep = paginate(request, filterset.qs)
    return render(
        request,
        "registry/bts_list.html",
        {
            "agency": agency,
            "filter": filterset,
            "page": page,
            "keep": keep,
            "can_edit": can_edit(request.user, agency),
            "tab": "bts",
        },
    )


def _station_initial(station: BtsStation) -> dict:
    return {
        name: getattr(station, name)
        for name in (
            "operator",
            "code",
            "address",
            "commune",
            "commune_name",
            "latitude",
            "longitude",
            "station_type",
            "height_m",
            "permit_number",
            "permit_date",
            "status",
        )
    }


@login_required
def bts_create(request):
    agency = registry_agency(request)
    require_edit(request, agency)
    form = BtsStationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            station = actions.create_bts_station(
                request.user, agency=agency, **_commune_kwargs(data), **data
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The station %(code)s was added.") % {"code": station.code})
            return redirect("registry:bts_detail", pk=station.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "agency": agency,
            "title": _("New BTS station"),
            "cancel_url": reverse("registry:bts_list"),
            "tab": "bts",
        },
    )


def _station(request, pk) -> BtsStation:
    return get_visible_or_404(
        BtsStation.objects.select_related("agency", "commune"), request.user, pk=pk
    )


@login_required
def bts_detail(request, pk):
    station = _station(request, pk)
    return render(
        request,
        "registry/bts_detail.html",
        {
            "station": station,
            "agency": station.agency,
            "history": _history(request, station),
            "can_edit": can_edit(request.user, station.agency),
            "tab": "bts",
        },
    )


@login_required
def bts_edit(request, pk):
    station = _station(request, pk)
    require_edit(request, station.agency)
    form = BtsStationForm(request.POST or None, initial=_station_initial(station))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            actions.update_bts_station(
                request.user, station=station, **_commune_kwargs(data), **data
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The station was saved."))
            return redirect("registry:bts_detail", pk=station.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "agency": station.agency,
            "title": _("Edit BTS station %(code)s") % {"code": station.code},
            "cancel_url": reverse("registry:bts_detail", args=[station.pk]),
            "tab": "bts",
        },
    )


def _import_page(request, *, kind, columns, required, run, template_url, list_url, tab):
    agency = registry_agency(request)
    require_edit(request, agency)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            table = cells.read_table(form.cleaned_data["file"], columns, required)
        except cells.ImportFileError as exc:
            form.add_error("file", exc)
        else:
            result = run(request.user, agency=agency, table=table)
            if result.created:
                messages.success(
                    request,
                    _("%(count)d row(s) imported.") % {"count": result.created},
                )
    return render(
        request,
        "registry/import.html",
        {
            "agency": agency,
            "form": form,
            "result": result,
            "kind": kind,
            "columns": [
                (key, aliases[0] if aliases else "", key in required)
                for key, aliases in columns.items()
            ],
            "template_url": template_url,
            "list_url": list_url,
            "tab": tab,
        },
    )


@login_required
def bts_import(request):
    """Import stations from an XLSX file: valid rows are added, each invalid row listed."""
    return _import_page(
        request,
        kind=_("BTS stations"),
        columns=BTS_COLUMNS,
        required=BTS_REQUIRED,
        run=actions.import_bts_stations,
        template_url=reverse("registry:bts_import_template"),
        list_url=reverse("registry:bts_list"),
        tab="bts",
    )


def _template_response(columns, example, filename):
    headers = [aliases[0] if aliases else key for key, aliases in columns.items()]
    content = cells.write_xlsx(headers, [example])
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def bts_import_template(request):
    registry_agency(request)
    example = [
        "Viettel",
        "BGG101",
        "Số 1 Hùng Vương",
        "UBND phường Trần Phú",
        21.2731,
        106.1946,
        "loại 1",
        36,
        "15/GPXD-BTS",
        "15/03/2026",
        "Đã cấp phép",
    ]
    return _template_response(BTS_COLUMNS, example, "mau-tram-bts.xlsx")


@login_required
def bts_map(request):
    """The stations on a map (Leaflet, vendored). Without a tile server it is a plain
    coordinate plot; the points come from ``bts_points`` (no inline script)."""
    agency = registry_agency(request)
    filterset = _stations(request, agency)
    query = request.GET.urlencode()
    return render(
        request,
        "registry/bts_map.html",
        {
            "agency": agency,
            "filter": filterset,
            "points_url": reverse("registry:bts_points") + (f"?{query}" if query else ""),
            "tile_url": getattr(settings, "COQUAN_MAP_TILE_URL", ""),
            "tab": "bts",
        },
    )


@login_required
def bts_points(request):
    """The filtered stations as JSON points for the map (at most 5,000)."""
    agency = registry_agency(request)
    rows = _stations(request, agency).qs.values_list(
        "pk", "operator", "code", "latitude", "longitude", "status"
    )[:MAP_POINT_LIMIT]
    points = [
        {
            "id": pk,
            "label": f"{operator} {code}",
            "lat": float(lat),
            "lon": float(lon),
            "status": status,
            "url": reverse("registry:bts_detail", args=[pk]),
        }
        for pk, operator, code, lat, lon, status in rows
    ]
    return JsonResponse({"points": points, "limit": MAP_POINT_LIMIT})


# --- Internet agents -----------------------------------------------------------------------------


@login_required
def agent_list(request):
    agency = registry_agency(request)
    queryset = (
        InternetAgent.objects.visible_to(request.user)
        .for_agency(agency)
        .select_related("commune")
        .order_by("name", "pk")
    )
    filterset = style_filter_form(InternetAgentFilter(request.GET or None, queryset=queryset))
    page, keep = paginate(request, filterset.qs)
    return render(
        request,
        "registry/agent_list.html",
        {
            "agency": agency,
            "filter": filterset,
            "page": page,
            "keep": keep,
            "can_edit": can_edit(request.user, agency),
            "tab": "agents",
        },
    )


def _agent(request, pk) -> InternetAgent:
    return get_visible_or_404(
        InternetAgent.objects.select_related("agency", "commune"), request.user, pk=pk
    )


AGENT_FORM_FIELDS = (
    "name",
    "registration_number",
    "owner_kind",
    "owner_name",
    "owner_id_number",
    "address",
    "commune",
    "commune_name",
    "provider",
    "computers",
    "registered_on",
    "status",
    "notes",
)


@login_required
def agent_create(request):
    agency = registry_agency(request)
    require_edit(request, agency)
    form = InternetAgentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            agent = actions.create_internet_agent(
                request.user, agency=agency, **_commune_kwargs(data), **data
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The internet agent was registered."))
            return redirect("registry:agent_detail", pk=agent.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "agency": agency,
            "title": _("New internet agent"),
            "cancel_url": reverse("registry:agent_list"),
            "tab": "agents",
        },
    )


@login_required
def agent_detail(request, pk):
    agent = _agent(request, pk)
    return render(
        request,
        "registry/agent_detail.html",
        {
            "agent": agent,
            "agency": agent.agency,
            "findings": agent.findings.select_related("inspection").order_by("-pk")[:50],
            "history": _history(request, agent),
            "can_edit": can_edit(request.user, agent.agency),
            "tab": "agents",
        },
    )


@login_required
def agent_edit(request, pk):
    agent = _agent(request, pk)
    require_edit(request, agent.agency)
    initial = {name: getattr(agent, name) for name in AGENT_FORM_FIELDS}
    form = InternetAgentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            actions.update_internet_agent(
                request.user, agent=agent, **_commune_kwargs(data), **data
            )
        except ValidationError as exc:
            apply_action_errors(form, exc)
        else:
            messages.success(request, _("The internet agent was saved."))
            return redirect("registry:agent_detail", pk=agent.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "agency": agent.agency,
            "title": _("Edit internet agent %(name)s") % {"name": agent.name},
            "cancel_url": reverse("registry:agent_detail", args=[agent.pk]),
            "tab": "agents",
        },
    )


@login_required
def agent_import(request):
    return _import_page(
        request,
        kind=_("internet agents"),
        columns=AGENT_COLUMNS,
        required=AGENT_REQUIRED,
        run=actions.import_internet_agents,
        template_url=reverse("registry:agent_import_template"),
        list_url=reverse("registry:agent_list"),
        tab="agents",
    )


@login_required
def agent_import_template(request):
    registry_agency(request)
    example = [
        "Đại lý Internet Ngọc Lan",
        "15/ĐK-BG",
        "Cá nhân",
        "Nguyễn Thị Lan",
        "",
        "Số 3 Lê Lợi",
        "UBND phường Trần Phú",
        "Viettel",
        12,
        "02/03/2026",
        "Hoạt động",
    ]
    return _template_response(AGENT_COLUMNS, example, "mau-dai-ly-internet.xlsx")
