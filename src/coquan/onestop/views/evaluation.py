"""Evaluation pages (TT 01/2018 Arts. 12–15): the agency's nine indicators for a period with
the unit rating, the people and internal units that handled the dossiers with their
ratings, and the desk recording an applicant's rating given on paper or a device."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coquan.core.access import has_role
from coquan.onestop import actions, evaluation
from coquan.onestop.forms import StyledForm, date_field
from coquan.onestop.portal_forms import DeskRatingForm
from coquan.onestop.views.common import apply_errors, scoped_agency
from coquan.onestop.views.dossiers import _detail_context, _get

EVALUATION_ROLES = ("leader", "desk_officer", "admin")


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end_month = first_month + 2
    next_start = dt.date(day.year + (end_month == 12), end_month % 12 + 1, 1)
    return start, next_start - dt.timedelta(days=1)


class PeriodForm(StyledForm):
    start = date_field(gettext_lazy("From"))
    end = date_field(gettext_lazy("To"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data


def require_evaluation(user, agency) -> None:
    if agency is None or not has_role(user, agency, *EVALUATION_ROLES):
        raise PermissionDenied(
            _("Only the agency's leaders, desk officers and administrators see the evaluation.")
        )


@login_required
def evaluation_page(request):
    agency = scoped_agency(request)
    require_evaluation(request.user, agency)
    start, end = quarter_of(timezone.localdate())
    asked = "start" in request.GET or "end" in request.GET
    form = PeriodForm(request.GET if asked else None, initial={"start": start, "end": end})
    result = None
    status = 200
    if not form.is_bound:
        result = evaluation.evaluate(agency, start, end)
    elif form.is_valid():
        result = evaluation.evaluate(agency, form.cleaned_data["start"], form.cleaned_data["end"])
    else:
        status = 400
    context = {"agency": agency, "form": form, "result": result}
    if result is not None:
        numbers = evaluation.DOSSIER_INDICATORS

        def table(groups):
            return [{**row, "values": [row["indicators"][n] for n in numbers]} for row in groups]

        context.update(
            rows=[
                (n, evaluation.INDICATOR_LABELS[n], value)
                for n, value in result["indicators"].items()
            ],
            indicator_numbers=numbers,
            staff_indicators=", ".join(str(n) for n in result["staff_indicators"]),
            tables=[
                (_("Staff who handled the dossiers"), table(result["people"]), "staff-ratings"),
                (_("Internal units"), table(result["units"]), "unit-ratings"),
            ],
        )
    return render(request, "onestop/evaluation.html", context, status=status)


@login_required
@require_POST
def record_rating(request, pk: int):
    """The desk records the rating an applicant gave on paper or a counter device."""
    dossier = _get(request, pk)
    form = DeskRatingForm(request.POST, prefix="rating")
    if form.is_valid():
        try:
            actions.rate_dossier(request.user, dossier=dossier, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            if not hasattr(exc, "error_dict"):
                for message in exc.messages:
                    messages.error(request, message)
        else:
            messages.success(request, _("The applicant's rating was recorded."))
            return redirect("onestop:dossier_detail", pk=dossier.pk)
    messages.error(request, _("The rating was not recorded: correct the form below."))
    context = _detail_context(request, dossier)
    context["rating_form"] = form
    return render(request, "onestop/dossier_detail.html", context, status=400)
