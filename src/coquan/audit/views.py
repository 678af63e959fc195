"""Read-only pages of the audit log: the filtered list, one entry, the chain check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from coquan.audit.actions import record_chain_verification
from coquan.audit.diff import diff_rows
from coquan.audit.forms import EntryFilterForm
from coquan.audit.models import AuditEntry
from coquan.audit.permissions import administered_agencies, require_verify, scoped_entries
from coquan.audit.services import compute_hash, verify
from coquan.core.access import agencies_with_role, get_visible_or_404

PAGE_SIZE = 50
VERIFY_RESULT_KEY = "audit_verify_result"


@login_required
def entry_list(request):
    """The log of the agencies the person administers, newest first, 50 per page."""
    user = request.user
    entries, _agency_id = scoped_entries(user, request.GET.get("agency"))
    agency_choices = None
    if user.is_superuser or len(agencies_with_role(user, "admin")) > 1:
        agency_choices = list(
            administered_agencies(user).order_by("name").values_list("pk", "name")
        )
    form = EntryFilterForm(request.GET or None, agency_choices=agency_choices)
    if form.is_bound:
        form.is_valid()
        entries = form.apply(entries)
    page = Paginator(entries.with_related().order_by("-seq"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.is_bound and form.has_filters,
            "can_verify": user.is_superuser,
            "verify_result": request.session.pop(VERIFY_RESULT_KEY, None)
            if user.is_superuser
            else None,
        },
    )


@login_required
def entry_detail(request, seq: int):
    """One entry: who, what, when, the before/after comparison and its place in the chain."""
    entry = get_visible_or_404(AuditEntry.objects.with_related(), request.user, seq=seq)
    return render(
        request,
        "audit/entry_detail.html",
        {
            "entry": entry,
            "rows": diff_rows(entry.before, entry.after),
            "hash_ok": compute_hash(entry) == entry.entry_hash,
        },
    )


@login_required
@require_POST
def verify_chain(request):
    """Run the chain check (superusers), record who ran it, show the outcome on the list."""
    require_verify(request.user)
    result = verify()
    record_chain_verification(request.user, result=result)
    request.session[VERIFY_RESULT_KEY] = {
        "ok": result.ok,
        "checked": result.checked,
        "position": result.position,
        "broken_seq": result.broken_seq,
        "reason": result.reason,
    }
    return redirect("audit:entry_list")
