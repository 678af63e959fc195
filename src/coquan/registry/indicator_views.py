"""ICT indicator pages: values of a year and area, entry form, import, history, definitions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from coquan.core.access import get_visible_or_404
from coquan.core.views import apply_action_errors, paginate, submit_action
from coquan.registry import actions
from coquan.registry.actions.indicators import IMPORT_COLUMNS, IMPORT_REQUIRED
from coquan.registry.counts import COUNT_SOURCES
from coquan.registry.forms import IndicatorDefinitionForm, IndicatorValuesForm
from coquan.registry.models import Indicator, IndicatorValue, IndicatorValueRevision
from coquan.registry.permissions import can_edit
from coquan.registry.register_views import _import_page, _template_response
from coquan.registry.report import number
from coquan.registry.views_common import (
    registry_agency,
    require_edit,
    year_param,
)


def _areas():
    from coquan.org.models import Agency

    return Agency.objects.filter(level__in=("commune", "district")).order_by("name")


def _area_param(request):
    """``?area=<organ_id>`` (a commune or district), or None for the whole province."""
    wanted = request.GET.get("area", "").strip()
    if not wanted:
        return None
    area = _areas().filter(organ_id=wanted).first()
    if area is None:
        raise Http404
    return area


def _query(year, area) -> str:
    return f"?year={year}" + (f"&area={area.organ_id}" if area else "")


@login_required
def indicator_list(request):
    """Every indicator with its value for the year and area, and how it is obtained."""
    agency = registry_agency(request)
    year, area = year_param(request), _area_param(request)
    indicators = list(Indicator.objects.visible_to(request.user).active())
    values = {
        v.indicator_id: v
        for v in IndicatorValue.objects.visible_to(request.user).filter(
            agency=agency, year=year, area=area
        )
    }
    rows = []
    for indicator in indicators:
        stored = values.get(indicator.pk)
        rows.append(
            {
                "indicator": indicator,
                "value": number(stored.value, indicator.decimals) if stored else "—",
                "stored": stored,
            }
        )
    return render(
        request,
        "registry/indicator_list.html",
        {
            "agency": agency,
            "year": year,
            "area": area,
            "areas": _areas(),
            "rows": rows,
            "query": _query(year, area),
            "can_edit": can_edit(request.user, agency),
            "can_define": request.user.is_superuser,
            "tab": "indicators",
        },
    )


@login_required
def indicator_values(request):
    """Enter the year's values of the entered indicators for one area; the derived
    indicators are recomputed when saved."""
    agency = registry_agency(request)
    require_edit(request, agency)
    year, area = year_param(request), _area_param(request)
    indicators = list(Indicator.objects.active())
    stored = dict(
        IndicatorValue.objects.visible_to(request.user)
        .filter(agency=agency, year=year, area=area)
        .values_list("indicator__code", "value")
    )
    initial = {f"value_{code}": value.normalize() for code, value in stored.items()}
    form = IndicatorValuesForm(request.POST or None, indicators=indicators, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.set_indicator_values(
                request.user, agency=agency, year=year, area=area, values=form.values()
            )
        except ValidationError as exc:
            for code, errors in getattr(exc, "error_dict", {}).items():
                for error in errors:
                    form.add_error(
                        f"value_{code}" if f"value_{code}" in form.fields else None, error
                    )
            if not hasattr(exc, "error_dict"):
                apply_action_errors(form, exc)
        else:
            messages.success(request, _("%(count)d value(s) changed.") % {"count": len(changed)})
            return redirect(reverse("registry:indicators") + _query(year, area))
    return render(
        request,
        "registry/indicator_values.html",
        {
            "agency": agency,
            "year": year,
            "area": area,
            "areas": _areas(),
            "form": form,
            "cancel_url": reverse("registry:indicators") + _query(year, area),
            "tab": "indicators",
        },
    )


@login_required
def indicator_import(request):
    return _import_page(
        request,
        kind=_("indicator values"),
        columns=IMPORT_COLUMNS,
        required=IMPORT_REQUIRED,
        run=actions.import_indicator_values,
        template_url=reverse("registry:indicator_import_template"),
        list_url=reverse("registry:indicators"),
        tab="indicators",
    )


@login_required
def indicator_import_template(request):
    registry_agency(request)
    return _template_response(
        IMPORT_COLUMNS, ["subscribers", 2025, "Toàn tỉnh", 950000], "mau-chi-tieu.xlsx"
    )


@login_required
def indicator_history(request, code):
    """Every change of one indicator's values in the agency (newest first)."""
    agency = registry_agency(request)
    indicator = get_visible_or_404(Indicator, request.user, code=code)
    revisions = (
        IndicatorValueRevision.objects.visible_to(request.user)
        .filter(agency=agency, value__indicator=indicator)
        .select_related("value__area", "actor")
        .order_by("-changed_at", "-pk")
    )
    page, keep = paginate(request, revisions)
    return render(
        request,
        "registry/indicator_history.html",
        {
            "agency": agency,
            "indicator": indicator,
            "page": page,
            "keep": keep,
            "tab": "indicators",
        },
    )


def _require_superuser(request):
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only deployment administrators may define indicators."))


@login_required
def indicator_define(request, code=None):
    """Create (no ``code``) or change an indicator definition: deployment administrators."""
    _require_superuser(request)
    indicator = get_visible_or_404(Indicator, request.user, code=code) if code else None
    initial = (
        {name: getattr(indicator, name) for name in IndicatorDefinitionForm.base_fields}
        if indicator
        else None
    )
    form = IndicatorDefinitionForm(request.POST or None, initial=initial)
    done = submit_action(
        request,
        form,
        lambda: actions.define_indicator(request.user, indicator=indicator, **form.cleaned_data),
        success=_("The indicator was saved."),
        then=lambda result: redirect("registry:indicators"),
    )
    if done:
        return done
    return render(
        request,
        "registry/indicator_define.html",
        {
            "form": form,
            "indicator": indicator,
            "count_sources": sorted(COUNT_SOURCES.items()),
            "title": _("Edit indicator %(code)s") % {"code": code} if code else _("New indicator"),
            "cancel_url": reverse("registry:indicators"),
            "tab": "indicators",
        },
    )
