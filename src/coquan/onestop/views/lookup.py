"""The public lookup (TT 01/2018 Art. 16): anyone with a dossier code, without signing in,
sees the procedure, the status and how far the dossier has got — never the applicant's
personal data (standards §5.2). Rate-limited per client address (``ratelimit``)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coquan.onestop import presenters, ratelimit
from coquan.onestop.forms import LookupForm
from coquan.onestop.models import Dossier


def _too_many(request):
    response = render(
        request,
        "onestop/lookup.html",
        {
            "form": LookupForm(),
            "error": _("Too many lookups from your address. Please wait a minute and try again."),
        },
        status=429,
    )
    response["Retry-After"] = str(ratelimit.retry_after())
    return response


def lookup(request):
    """The lookup form; a submitted code goes to the dossier's page."""
    form = LookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("onestop:lookup_code", code=form.cleaned_data["code"].strip())
    return render(request, "onestop/lookup.html", {"form": form})


def find_public(code: str):
    """The accepted dossier with this code, with what the public page shows, or None."""
    return (
        Dossier.objects.filter(dossier_code=code.strip(), received_at__isnull=False)
        .select_related("procedure", "agency", "current_step")
        .prefetch_related("procedure__steps", "status_changes")
        .first()
    )


def lookup_code(request, code: str):
    """The progress of one dossier (the address in the receipt's QR code)."""
    if not ratelimit.allow(request):
        return _too_many(request)
    dossier = find_public(code)
    if dossier is None:
        return render(
            request,
            "onestop/lookup.html",
            {
                "form": LookupForm(initial={"code": code[:60]}),
                "error": _("No dossier has the code “%(code)s”. Check the code on your receipt.")
                % {"code": code[:60]},
            },
            status=404,
        )
    context = {
        "form": LookupForm(initial={"code": code}),
        "progress": presenters.public_progress(dossier),
    }
    return render(request, "onestop/lookup.html", context)
