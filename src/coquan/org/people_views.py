"""Org pages about people: the staff list, adding people, editing and ending memberships,
and the org-tree import. Same access rules as ``org.views`` (admin role in the agency)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.access import get_visible_or_404
from coquan.core.views import paginate, submit_action
from coquan.org import actions, importing
from coquan.org.forms import (
    ExistingPersonForm,
    ImportForm,
    MemberFilterForm,
    MembershipEndForm,
    MembershipForm,
    PersonForm,
)
from coquan.org.models import Membership
from coquan.org.views import (
    agency_query,
    managed_agency,
    posted,
    require_manager,
)


@login_required
def member_list(request):
    """The agency's people: search by name or username, filter by unit, role and status."""
    agency = managed_agency(request)
    today = timezone.localdate()
    form = MemberFilterForm(request.GET or None, agency=agency)
    memberships = (
        Membership.objects.visible_to(request.user)
        .for_agency(agency)
        .select_related("user", "unit", "position")
        .prefetch_related("roles")
    )
    status = "active"
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"] or "active"
        if data["q"]:
            memberships = memberships.filter(
                Q(user__full_name__icontains=data["q"]) | Q(user__username__icontains=data["q"])
            )
        if data["unit"]:
            memberships = memberships.filter(unit=data["unit"])
        if data["role"]:
            memberships = memberships.filter(roles__code=data["role"])
    if status == "active":
        memberships = memberships.active_on(today)
    elif status == "ended":
        memberships = memberships.filter(end_date__lt=today)
    memberships = memberships.order_by("user__full_name", "user__username", "start_date")
    page, keep = paginate(request, memberships)
    return render(
        request,
        "org/member_list.html",
        {
            "agency": agency,
            "agency_query": agency_query(agency),
            "form": form,
            "page": page,
            "keep": keep,
            "today": today,
        },
    )


@login_required
def person_add(request):
    """Create a person's account and their membership in the agency."""
    agency = managed_agency(request)
    form = PersonForm(posted(request), agency=agency)
    done = submit_action(
        request,
        form,
        lambda: actions.add_person(request.user, agency=agency, **form.cleaned_data),
        success=lambda membership: (
            _("%(name)s was added.") % {"name": membership.user.get_full_name()}
        ),
        then=lambda membership: redirect(reverse("org:member_list") + agency_query(agency)),
    )
    if done:
        return done
    return render(
        request,
        "org/person_form.html",
        {
            "form": form,
            "agency": agency,
            "agency_query": agency_query(agency),
            "title": _("Add a person"),
            "intro": _("Creates a new account for a person who does not have one yet."),
        },
    )


@login_required
def membership_add(request):
    """Give a person who already has an account (e.g. in another agency) a membership here."""
    agency = managed_agency(request)
    form = ExistingPersonForm(posted(request), agency=agency)
    done = submit_action(
        request,
        form,
        lambda: actions.add_membership(request.user, agency=agency, **form.cleaned_data),
        success=lambda membership: (
            _("%(name)s was added.") % {"name": membership.user.get_full_name()}
        ),
        then=lambda membership: redirect(reverse("org:member_list") + agency_query(agency)),
    )
    if done:
        return done
    return render(
        request,
        "org/person_form.html",
        {
            "form": form,
            "agency": agency,
            "agency_query": agency_query(agency),
            "title": _("Add a person who already has an account"),
            "intro": _("For example someone who also works in another agency."),
        },
    )


def _managed_membership(request, pk) -> Membership:
    membership = get_visible_or_404(
        Membership.objects.select_related("user", "agency", "unit", "position"),
        request.user,
        pk=pk,
    )
    require_manager(request, membership.agency)
    return membership


@login_required
def membership_edit(request, pk):
    """Change a membership's unit, position, roles and dates."""
    membership = _managed_membership(request, pk)
    initial = {
        "unit": membership.unit,
        "position": membership.position,
        "roles": sorted(membership.role_codes()),
        "start_date": membership.start_date,
        "end_date": membership.end_date,
    }
    form = MembershipForm(posted(request), initial=initial, membership=membership)
    done = submit_action(
        request,
        form,
        lambda: actions.update_membership(request.user, membership=membership, **form.cleaned_data),
        success=lambda result: (
            _("The membership of %(name)s was saved.") % {"name": membership.user}
        ),
        then=lambda result: redirect(reverse("org:member_list") + agency_query(membership.agency)),
    )
    if done:
        return done
    return render(
        request,
        "org/membership_form.html",
        {
            "form": form,
            "membership": membership,
            "agency": membership.agency,
            "agency_query": agency_query(membership.agency),
            "ended": membership.end_date is not None and membership.end_date < timezone.localdate(),
        },
    )


@login_required
def membership_end(request, pk):
    """End a membership (confirmation page; the row stays as history)."""
    membership = _managed_membership(request, pk)
    form = MembershipEndForm(posted(request))
    done = submit_action(
        request,
        form,
        lambda: actions.end_membership(
            request.user, membership=membership, end_date=form.cleaned_data["end_date"]
        ),
        success=lambda result: (
            _("The membership of %(name)s was ended.") % {"name": membership.user}
        ),
        then=lambda result: redirect(reverse("org:member_list") + agency_query(membership.agency)),
    )
    if done:
        return done
    return render(
        request,
        "org/membership_end.html",
        {
            "form": form,
            "membership": membership,
            "agency": membership.agency,
            "agency_query": agency_query(membership.agency),
        },
    )


# --- Import ------------------------------------------------------------------------------------


@login_required
def import_view(request):
    """Upload a CSV/XLSX org tree; show the row-level report, or import everything."""
    agency = managed_agency(request)
    form = ImportForm(posted(request), request.FILES or None)
    row_errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = importing.read_table(upload)
            counts = actions.import_org_tree(
                request.user, agency=agency, table=table, filename=upload.name[:200]
            )
        except importing.ImportRowErrors as exc:
            row_errors = exc.row_errors
            form.add_error(None, exc)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request,
                _(
                    "Imported %(units)d unit(s), %(people)d person(s) and "
                    "%(positions)d new position(s)."
                )
                % counts,
            )
            return redirect(reverse("org:unit_list") + agency_query(agency))
    return render(
        request,
        "org/import.html",
        {
            "form": form,
            "agency": agency,
            "agency_query": agency_query(agency),
            "row_errors": row_errors,
            "columns": importing.COLUMNS,
        },
    )


@login_required
def import_template(request):
    """The CSV template of the org-tree import (UTF-8 with BOM, so Excel reads it)."""
    managed_agency(request)
    response = HttpResponse(
        "\ufeff" + importing.template_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="coquan-org-import.csv"'
    return response
