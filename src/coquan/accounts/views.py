"""Sign-in pages: password change (login/logout use Django's views with our templates)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from coquan.audit import services as audit


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("web:dashboard")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.append(
            action="accounts.password_change", actor=self.request.user, obj=self.request.user
        )
        messages.success(self.request, _("Your password has been changed."))
        return response
