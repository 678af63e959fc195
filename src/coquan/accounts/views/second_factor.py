"""Two-step verification pages: set up, verify at sign-in, disable, backup codes, policy.

The secret offered during set-up lives in the session until the person confirms it with a
code; then ``actions.enable_second_factor`` creates the device and the backup codes, which
are rendered once in the response and never stored in readable form elsewhere.
"""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from coquan.accounts import actions, second_factor
from coquan.accounts.forms import CodeForm, PolicyForm
from coquan.accounts.models import User
from coquan.accounts.views.common import add_action_errors, paginate, safe_next
from coquan.core.access import get_visible_or_404
from coquan.org.models import Role


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _pending_key(request) -> str:
    key = request.session.get(second_factor.PENDING_KEY_SESSION, "")
    if not second_factor.key_is_valid(key):
        key = second_factor.new_key()
        request.session[second_factor.PENDING_KEY_SESSION] = key
    return key


def _render_enrol(request, form, next_url):
    key = _pending_key(request)
    uri = second_factor.provisioning_uri(request.user, key)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr_code": second_factor.qr_code_data_uri(uri),
            "secret": second_factor.key_as_base32(key),
            "next": next_url,
            "required": second_factor.policy_requires(request.user),
        },
    )


def _render_status(request, *, disable_form=None, codes_form=None):
    device = second_factor.totp_device(request.user)
    return render(
        request,
        "accounts/otp_status.html",
        {
            "device": device,
            "backup_codes_left": second_factor.backup_codes_left(request.user),
            "required": second_factor.policy_requires(request.user),
            "disable_form": disable_form or CodeForm(prefix="disable"),
            "codes_form": codes_form or CodeForm(prefix="codes"),
        },
    )


def _render_backup_codes(request, codes, next_url, *, new_enrolment: bool):
    return render(
        request,
        "accounts/otp_backup_codes.html",
        {"codes": codes, "next": next_url, "new_enrolment": new_enrolment},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Turn on two-step verification, or (when on) show its state and management forms."""
    user = request.user
    next_url = safe_next(request, "web:dashboard")
    if second_factor.has_device(user):
        if not user.is_verified():
            return redirect(_with_next("accounts:otp_verify", request.get_full_path()))
        if request.method == "POST":
            messages.info(request, _("Two-step verification is already turned on."))
        return _render_status(request)
    if request.method == "GET":
        return _render_enrol(request, CodeForm(digits_only=True), next_url)
    form = CodeForm(request.POST, digits_only=True)
    if not form.is_valid():
        return _render_enrol(request, form, next_url)
    try:
        enrolment = actions.enable_second_factor(
            user, key=_pending_key(request), code=form.cleaned_data["code"]
        )
    except ValidationError as exc:
        add_action_errors(form, exc)
        return _render_enrol(request, form, next_url)
    request.session.pop(second_factor.PENDING_KEY_SESSION, None)
    django_otp.login(request, enrolment.device)
    request.session[second_factor.SESSION_FLAG] = True
    return _render_backup_codes(request, enrolment.backup_codes, next_url, new_enrolment=True)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of signing in: a code from the app, or a backup code."""
    user = request.user
    next_url = safe_next(request, "web:dashboard")
    if not second_factor.has_device(user):
        return redirect(_with_next("accounts:otp_setup", next_url))
    if user.is_verified():
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = actions.verify_second_factor(user, code=form.cleaned_data["code"])
        if result.ok:
            django_otp.login(request, result.device)
            if result.method == "backup_code":
                left = second_factor.backup_codes_left(user)
                messages.warning(
                    request,
                    _("You signed in with a backup code. Backup codes left: %(count)d.")
                    % {"count": left},
                )
            return redirect(next_url)
        form.add_error("code", result.error_message)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
@require_POST
def otp_disable(request):
    """Turn off two-step verification after checking a current code."""
    if not second_factor.has_device(request.user):
        return redirect("accounts:otp_setup")
    form = CodeForm(request.POST, prefix="disable")
    if form.is_valid():
        try:
            actions.disable_second_factor(request.user, code=form.cleaned_data["code"])
        except (PermissionDenied, ValidationError) as exc:
            form.add_error("code", " ".join(_messages(exc)))
        else:
            request.session.pop(second_factor.PENDING_KEY_SESSION, None)
            if second_factor.policy_requires(request.user):
                request.session[second_factor.SESSION_FLAG] = True
                messages.warning(
                    request,
                    _(
                        "Two-step verification is turned off. Your administrator requires it: "
                        "set it up again with your new device."
                    ),
                )
            else:
                request.session.pop(second_factor.SESSION_FLAG, None)
                messages.success(request, _("Two-step verification is turned off."))
            return redirect("accounts:otp_setup")
    return _render_status(request, disable_form=form)


@never_cache
@login_required
@require_POST
def otp_backup_codes(request):
    """Replace the backup codes after checking a current code; show the new ones once."""
    if not second_factor.has_device(request.user):
        return redirect("accounts:otp_setup")
    form = CodeForm(request.POST, prefix="codes")
    if form.is_valid():
        try:
            codes = actions.regenerate_backup_codes(request.user, code=form.cleaned_data["code"])
        except (PermissionDenied, ValidationError) as exc:
            form.add_error("code", " ".join(_messages(exc)))
        else:
            return _render_backup_codes(
                request, codes, reverse("accounts:otp_setup"), new_enrolment=False
            )
    return _render_status(request, codes_form=form)


def _messages(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc)]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_policy(request):
    """Deployment administrators choose which roles and people must use a second factor."""
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only deployment administrators may change this setting."))
    query = (request.GET.get("q") or "").strip()[:100]
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if not form.is_valid():
            for error in form.non_field_errors() or [_("The request contains invalid data.")]:
                messages.error(request, error)
        else:
            data = form.cleaned_data
            role = get_object_or_404(Role, code=data["role"]) if data["role"] else None
            person = (
                get_visible_or_404(User, request.user, pk=data["user"]) if data["user"] else None
            )
            actions.set_second_factor_policy(
                request.user, required=data["required"], role=role, user=person
            )
            target = str(role) if role is not None else person.get_full_name()
            if data["required"]:
                text = _("%(target)s must now sign in with a one-time code.")
            else:
                text = _("%(target)s no longer has to sign in with a one-time code.")
            messages.success(request, text % {"target": target})
        back = reverse("accounts:second_factor_policy")
        params = {k: v for k, v in (("q", query), ("page", request.GET.get("page"))) if v}
        return redirect(f"{back}?{urlencode(params)}" if params else back)
    people = (
        User.objects.visible_to(request.user)
        .annotate(
            has_device=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True))
        )
        .only("id", "username", "full_name", "email", "is_active", "require_second_factor")
        .order_by("username")
    )
    if query:
        people = people.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(email__icontains=query)
        )
    return render(
        request,
        "accounts/second_factor_policy.html",
        {
            "roles": list(Role.objects.order_by("code")),
            "page": paginate(request, people),
            "q": query,
        },
    )
