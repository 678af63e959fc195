"""Org pages: switching the active agency, units and positions of the agency one manages.

Management pages work on one agency: the one named by ``?agency=<id>`` (one of the person's
own agencies, else 404) or, by default, the active agency. They require the ``admin`` role
there (403 otherwise). Pages about one object fetch it through ``visible_to`` (404 for
other agencies' objects) and then check the role in the object's agency.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coquan.core.access import get_visible_or_404, member_agencies
from coquan.core.views import paginate, submit_action
from coquan.org import actions
from coquan.org.active import active_agency, set_active_agency
from coquan.org.forms import PositionForm, UnitCloseForm, UnitForm
from coquan.org.models import Agency, Position, Unit
from coquan.org.permissions import can_manage

# --- Shared helpers for the org pages ------------------------------------------------------------


def managed_agency(request):
    """The agency whose org tree this request manages; 404/403 as the module doc says."""
    wanted = request.GET.get("agency")
    if wanted:
        try:
            wanted_id = int(wanted)
        except ValueError:
            raise Http404 from None
        if wanted_id not in member_agencies(request.user) and not request.user.is_superuser:
            raise Http404
        agency = Agency.objects.visible_to(request.user).filter(pk=wanted_id).first()
        if agency is None:
            raise Http404
    else:
        agency = active_agency(request)
    if not can_manage(request.user, agency):
        raise PermissionDenied(_("Only the agency's administrators may manage its organisation."))
    return agency


def posted(request):
    """The submitted data of a POST (even when empty), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


def require_manager(request, agency) -> None:
    if not can_manage(request.user, agency):
        raise PermissionDenied(_("Only the agency's administrators may manage its organisation."))


def agency_query(agency) -> str:
    return f"?agency={agency.pk}"


# --- Active agency -----------------------------------------------------------------------------


@login_required
@require_POST
def switch_agency(request):
    """Make another of the person's agencies the active one."""
    try:
        wanted = int(request.POST.get("agency", ""))
    except ValueError:
        raise Http404 from None
    agency = Agency.objects.member_of(request.user).filter(pk=wanted).first()
    if agency is None:
        raise Http404
    set_active_agency(request, agency)
    target = request.POST.get("next") or request.headers.get("Referer") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


# --- Units -------------------------------------------------------------------------------------


INDENT_CLASSES = ("ps-1", "ps-3", "ps-4", "ps-5")


def _tree(units: list[Unit]) -> list[tuple[Unit, int, str, str]]:
    """Units in tree order (depth-first by code): (unit, depth, indent class, marker)."""
    by_parent: dict = {}
    ids = {u.pk for u in units}
    for unit in units:
        key = unit.parent_id if unit.parent_id in ids else None
        by_parent.setdefault(key, []).append(unit)
    ordered: list[tuple[Unit, int, str, str]] = []
    stack = [(u, 0) for u in sorted(by_parent.get(None, []), key=lambda u: u.code, reverse=True)]
    while stack:
        unit, depth = stack.pop()
        marker = "· " * max(depth - 1, 0) + "└ " if depth else ""
        ordered.append((unit, depth, INDENT_CLASSES[min(depth, 3)], marker))
        children = sorted(by_parent.get(unit.pk, []), key=lambda u: u.code, reverse=True)
        stack.extend((child, depth + 1) for child in children)
    return ordered


@login_required
def unit_list(request):
    """The unit tree of the agency (indented), and its closed units as history."""
    agency = managed_agency(request)
    today = timezone.localdate()
    active_members = Q(memberships__start_date__lte=today) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)
    )
    units = Unit.objects.visible_to(request.user).for_agency(agency)
    current = list(
        units.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .annotate(member_count=Count("memberships", filter=active_members, distinct=True))
        .order_by("code")
    )
    page, keep = paginate(request, _tree(current))
    history = (
        units.filter(valid_to__lt=today)
        .prefetch_related("successors")
        .order_by("-valid_to", "code")
    )
    history_page, history_keep = paginate(request, history, "history_page")
    return render(
        request,
        "org/unit_list.html",
        {
            "agency": agency,
            "agency_query": agency_query(agency),
            "page": page,
            "keep": keep,
            "history_page": history_page,
            "history_keep": history_keep,
            "today": today,
        },
    )


@login_required
def unit_create(request):
    agency = managed_agency(request)
    form = UnitForm(posted(request), agency=agency)
    done = submit_action(
        request,
        form,
        lambda: actions.create_unit(request.user, agency=agency, **form.cleaned_data),
        success=lambda unit: _("The unit %(name)s was created.") % {"name": unit.name},
        then=lambda unit: redirect(reverse("org:unit_list") + agency_query(agency)),
    )
    if done:
        return done
    return render(
        request,
        "org/unit_form.html",
        {
            "form": form,
            "agency": agency,
            "title": _("New unit"),
            "agency_query": agency_query(agency),
        },
    )


def _managed_unit(request, pk) -> Unit:
    unit = get_visible_or_404(Unit.objects.select_related("agency", "parent"), request.user, pk=pk)
    require_manager(request, unit.agency)
    return unit


@login_required
def unit_detail(request, pk):
    """One unit: its data, predecessors and successors, and its people (current and past)."""
    unit = _managed_unit(request, pk)
    memberships = (
        unit.memberships.select_related("user", "position")
        .prefetch_related("roles")
        .order_by("end_date", "user__full_name")
    )
    page, keep = paginate(request, memberships)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "agency": unit.agency,
            "agency_query": agency_query(unit.agency),
            "children": unit.children.order_by("code"),
            "successors": unit.successors.order_by("code"),
            "predecessors": unit.predecessors.order_by("code"),
            "page": page,
            "keep": keep,
            "today": timezone.localdate(),
        },
    )


@login_required
def unit_edit(request, pk):
    unit = _managed_unit(request, pk)
    initial = {
        "code": unit.code,
        "name": unit.name,
        "parent": unit.parent,
        "valid_from": unit.valid_from,
    }
    form = UnitForm(posted(request), initial=initial, agency=unit.agency, unit=unit)
    done = submit_action(
        request,
        form,
        lambda: actions.update_unit(request.user, unit=unit, **form.cleaned_data),
        success=lambda result: _("The unit %(name)s was saved.") % {"name": unit.name},
        then=lambda result: redirect("org:unit_detail", pk=unit.pk),
    )
    if done:
        return done
    return render(
        request,
        "org/unit_form.html",
        {
            "form": form,
            "unit": unit,
            "agency": unit.agency,
            "agency_query": agency_query(unit.agency),
            "title": _("Edit unit %(name)s") % {"name": unit.name},
        },
    )


@login_required
def unit_close(request, pk):
    unit = _managed_unit(request, pk)
    form = UnitCloseForm(posted(request), unit=unit)
    done = submit_action(
        request,
        form,
        lambda: actions.close_unit(
            request.user,
            unit=unit,
            valid_to=form.cleaned_data["valid_to"],
            successors=list(form.cleaned_data["successors"]),
        ),
        success=lambda result: _("The unit %(name)s was closed.") % {"name": unit.name},
        then=lambda result: redirect("org:unit_detail", pk=unit.pk),
    )
    if done:
        return done
    return render(
        request,
        "org/unit_close.html",
        {"form": form, "unit": unit, "agency": unit.agency},
    )


# --- Positions ---------------------------------------------------------------------------------


@login_required
def position_list(request):
    agency = managed_agency(request)
    positions = (
        Position.objects.visible_to(request.user)
        .for_agency(agency)
        .annotate(member_count=Count("memberships"))
        .order_by("rank", "name")
    )
    page, keep = paginate(request, positions)
    return render(
        request,
        "org/position_list.html",
        {"agency": agency, "agency_query": agency_query(agency), "page": page, "keep": keep},
    )


@login_required
def position_create(request):
    agency = managed_agency(request)
    form = PositionForm(posted(request))
    done = submit_action(
        request,
        form,
        lambda: actions.create_position(request.user, agency=agency, **form.cleaned_data),
        success=lambda position: _("The position %(name)s was created.") % {"name": position.name},
        then=lambda position: redirect(reverse("org:position_list") + agency_query(agency)),
    )
    if done:
        return done
    return render(
        request,
        "org/position_form.html",
        {
            "form": form,
            "agency": agency,
            "agency_query": agency_query(agency),
            "title": _("New position"),
        },
    )


@login_required
def position_edit(request, pk):
    position = get_visible_or_404(Position.objects.select_related("agency"), request.user, pk=pk)
    require_manager(request, position.agency)
    form = PositionForm(posted(request), initial={"name": position.name, "rank": position.rank})
    done = submit_action(
        request,
        form,
        lambda: actions.update_position(request.user, position=position, **form.cleaned_data),
        success=lambda result: _("The position %(name)s was saved.") % {"name": position.name},
        then=lambda result: redirect(reverse("org:position_list") + agency_query(position.agency)),
    )
    if done:
        return done
    return render(
        request,
        "org/position_form.html",
        {
            "form": form,
            "agency": position.agency,
            "agency_query": agency_query(position.agency),
            "title": _("Edit position %(name)s") % {"name": position.name},
        },
    )
