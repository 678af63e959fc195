"""Sign in, sign out and password change (Django's views with our forms and templates).

Repeated failures are counted by django-axes (AXES_FAILURE_LIMIT, per username and IP);
past the limit axes answers with ``accounts/locked_out.html``, which says when to retry.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from coquan.accounts import actions
from coquan.accounts.forms import LoginForm, link_help_texts


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["axes_failure_limit"] = settings.AXES_FAILURE_LIMIT
        return context


class LogoutView(auth_views.LogoutView):
    """POST signs out; GET shows a page with the sign-out button (a link cannot sign out)."""

    http_method_names = ["get", "post", "options"]

    @method_decorator(login_required)
    def get(self, request, *args, **kwargs):
        return render(request, "accounts/logout.html")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:dashboard")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        link_help_texts(form)
        return form

    def form_valid(self, form):
        try:
            actions.change_password(
                self.request.user, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            form.add_error("new_password2", exc)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())
