"""The one-stop desk: find a procedure, receive a dossier (accept, ask to complete, refuse).

Only the agency's desk officers (role ``desk_officer``) use these pages.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.access import get_visible_or_404, roles_in
from coquan.onestop import actions, deadlines, queues
from coquan.onestop.actions.common import APPLICANT_FIELDS
from coquan.onestop.forms import ReceptionForm, lines
from coquan.onestop.models import Dossier, Procedure
from coquan.onestop.permissions import require_desk
from coquan.onestop.views.common import PAGE_SIZE, apply_errors, keep_query, scoped_agency

DESK_TABS = ("to_forward", "online", "awaiting_supplement", "to_return", "overdue", "due_soon")


@login_required
def desk(request):
    """The desk's start page: its queues with counts and the published procedures."""
    agency = scoped_agency(request)
    require_desk(request.user, agency)
    query = request.GET.get("q", "").strip()[:100]
    procedures = Procedure.objects.visible_to(request.user).for_agency(agency).published()
    if query:
        procedures = procedures.filter(Q(name__icontains=query) | Q(code__icontains=query))
    procedures = procedures.order_by("sector_code", "name")
    now = timezone.now()
    ctx = queues.Context(
        request.user, roles_in(request.user, agency), now, deadlines.due_soon_until(now)
    )
    tabs = [queues.QUEUES_BY_KEY[key] for key in DESK_TABS]
    base = Dossier.objects.visible_to(request.user).for_agency(agency)
    counts = queues.counts(base, tabs, ctx)
    context = {
        "agency": agency,
        "query": query,
        "page": Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page")),
        "page_query": keep_query(request, "page"),
        "tabs": [(tab, counts.get(tab.key, 0)) for tab in tabs],
    }
    return render(request, "onestop/desk.html", context)


@login_required
def receive(request, pk: int):
    """The reception form of one published procedure, and its three outcomes."""
    procedure = get_visible_or_404(
        Procedure.objects.published().select_related("agency"), request.user, pk=pk
    )
    agency = procedure.agency
    require_desk(request.user, agency)
    form = ReceptionForm(
        request.POST or None,
        request.FILES or None,
        procedure=procedure,
        initial={"applicant_type": "person", "outcome": "accept", "set_count": 1},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        applicant = {name: data[name] for name in APPLICANT_FIELDS}
        common = {
            "agency": agency,
            "procedure": procedure,
            "received_components": data["components"],
            **applicant,
        }
        try:
            if data["outcome"] == "accept":
                dossier = actions.accept_dossier(
                    request.user,
                    files=data["files"],
                    set_count=data["set_count"],
                    note=data["note"],
                    **common,
                )
                message = _("Dossier %(code)s accepted. Print the receipt (form 01).") % {
                    "code": dossier.dossier_code
                }
            elif data["outcome"] == "supplement":
                dossier = actions.request_completion(
                    request.user,
                    items=lines(data["missing_items"]),
                    set_count=data["set_count"],
                    note=data["note"],
                    **common,
                )
                message = _("The request to complete the dossier (form 02) is ready to print.")
            else:
                dossier = actions.refuse_reception(request.user, reason=data["reason"], **common)
                message = _("The refusal (form 03) is ready to print.")
        except ValidationError as exc:
            apply_errors(form, exc, aliases={"items": "missing_items"})
        else:
            messages.success(request, message)
            return redirect("onestop:dossier_detail", pk=dossier.pk)
    context = {
        "agency": agency,
        "procedure": procedure,
        "form": form,
        "max_upload": filesizeformat(settings.COQUAN_MAX_UPLOAD_BYTES),
    }
    return render(request, "onestop/receive.html", context)
