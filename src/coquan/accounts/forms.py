"""Forms of the sign-in, second-factor and API-token pages."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coquan.accounts.actions import TOKEN_NAME_MAX
from coquan.org.choices import RoleCode


def link_help_texts(form) -> None:
    """Point each field's ``aria-describedby`` at its help text as web/partials/form_fields.html
    renders it (``<auto_id>_help``), instead of Django's default ``<auto_id>_helptext``."""
    for name, field in form.fields.items():
        if field.help_text:
            field.widget.attrs["aria-describedby"] = f"{form[name].auto_id}_help"


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=pgettext_lazy("account", "Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "class": "form-control"}
        ),
    )
    password = forms.CharField(
        label=pgettext_lazy("account", "Password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "form-control"}
        ),
    )
    error_messages = {
        "invalid_login": _("Wrong username or password. Note that both fields are case-sensitive."),
        "inactive": pgettext_lazy("login", "This account is inactive."),
    }


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits shown in your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "class": "form-control",
            }
        ),
    )

    def __init__(self, *args, digits_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if digits_only:
            field = self.fields["code"]
            field.help_text = _("The six digits shown in your authenticator app.")
            field.widget.attrs["inputmode"] = "numeric"
        link_help_texts(self)

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=TOKEN_NAME_MAX,
        help_text=_("What the token is for, e.g. the script or system that uses it."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("Optional. The token stops working at the end of this day."),
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control"},
            format="%Y-%m-%d",
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        link_help_texts(self)

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return day

    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day, in the deployment's time zone."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


class PolicyForm(forms.Form):
    """One toggle of the second-factor policy: a role or a person, required or not."""

    role = forms.ChoiceField(choices=RoleCode.choices, required=False)
    user = forms.IntegerField(required=False, min_value=1)
    required = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("role")) == bool(data.get("user")):
            raise forms.ValidationError(_("Choose either a role or a person."))
        return data
