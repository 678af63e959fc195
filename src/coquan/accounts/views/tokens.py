"""The person's own API tokens: list, create (the raw token is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from coquan.accounts import actions
from coquan.accounts.forms import TokenCreateForm
from coquan.accounts.models import ApiToken
from coquan.accounts.views.common import add_action_errors, paginate
from coquan.core.access import get_visible_or_404


def _render_list(request, form, created=None):
    tokens = ApiToken.objects.visible_to(request.user).order_by("-created_at", "-pk")
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "page": paginate(request, tokens), "created": created},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """GET lists the person's tokens; POST creates one and shows its raw value once."""
    if request.method == "GET":
        return _render_list(request, TokenCreateForm())
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _render_list(request, form)
    try:
        created = actions.create_token(
            request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
        )
    except ValidationError as exc:
        add_action_errors(form, exc, {"expires_at": "expires_on"})
        return _render_list(request, form)
    return _render_list(request, TokenCreateForm(), created=created)


@login_required
@require_POST
def token_revoke(request, pk: int):
    """Revoke one of the person's own tokens (someone else's answers 404)."""
    token = get_visible_or_404(ApiToken, request.user, pk=pk)
    try:
        actions.revoke_token(request.user, token=token)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The token “%(name)s” is revoked; it no longer works.") % {"name": token.name},
        )
    return redirect("accounts:token_list")
