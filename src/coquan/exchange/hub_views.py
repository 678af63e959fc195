"""The hub's traffic page (hub mode, deployment administrators): the packages relayed,
their onward delivery, filters and counts per state (docs/exchange.md §7)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from coquan.exchange import hub
from coquan.exchange.choices import OutboxState
from coquan.exchange.forms import HubTrafficFilterForm

PAGE_SIZE = 25


def require_hub_admin(request) -> None:
    """404 when this deployment is not a hub; 403 for anyone but a deployment administrator."""
    if not hub.hub_mode():
        raise Http404
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only system administrators may see the hub's traffic."))


@login_required
def traffic(request):
    """Relayed packages, newest first, 25 a page: when, from which node and sender, to which
    agency and node, the document, what it carries, and where its onward delivery is."""
    require_hub_admin(request)
    form = HubTrafficFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    rows, counts = hub.traffic(request.user, form)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    messages = list(page.object_list)
    routes = hub.routes_for(message.organ_id for message in messages)
    for message in messages:
        message.route = routes.get(message.organ_id)
    chosen = form.cleaned_data.get("state", "") if form.is_bound and not form.errors else ""
    return render(
        request,
        "exchange/hub_traffic.html",
        {
            "form": form,
            "page": page,
            "messages_page": messages,
            "filtered": form.is_bound and form.has_filters,
            "states": [
                {"value": value, "label": label, "count": counts.get(value, 0)}
                for value, label in OutboxState.choices
            ],
            "total": sum(counts.values()),
            "chosen_state": chosen,
            "hub_organ_id": hub.hub_organ_id(),
        },
    )
