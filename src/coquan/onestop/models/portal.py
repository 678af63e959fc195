"""Applicant accounts of the online portal (issue 6 part 3; ADR 0006).

An ``Applicant`` is a citizen or an organisation's representative who submits and follows
dossiers online. It is deliberately **not** an ``accounts.User``: staff access in CoQuan is
a ``User`` with memberships, and an applicant must never reach a staff page, the staff API
or the staff sign-in. Applicants sign in on the portal only; the portal keeps their id in
the session under its own key (``onestop.portal_auth``) and ``request.user`` stays
anonymous for every staff check.
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Applicant(models.Model):
    """A portal account: e-mail + password (SSO with VNeID later).

    ``is_authenticated`` is False on purpose: when an applicant is the actor of an action,
    staff role checks (``core.access``) answer no and the audit entry records no staff
    actor (the summary names the account instead)."""

    is_authenticated = False
    is_superuser = False
    is_anonymous = True

    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    password = models.CharField(_("password"), max_length=128)
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("applicant account")
        verbose_name_plural = _("applicant accounts")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        return check_password(raw, self.password)

    def session_hash(self) -> str:
        """Changes when the password changes, so other sessions end (as Django does)."""
        return salted_hmac("coquan.onestop.applicant", self.password).hexdigest()

    def get_username(self) -> str:
        return self.email

    @property
    def pk_label(self) -> str:
        return f"applicant #{self.pk}"
