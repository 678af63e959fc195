"""Forms of the exchange pages: the list filters, the upload form, the refusal form, the
filters of the hub's traffic."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coquan.exchange.choices import OutboxState, PackageKind, PackageState, SignatureStatus

DATE_FORMAT = "%d/%m/%Y"


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy.")},
    )


def _styled(form: forms.Form) -> None:
    for name, field in form.fields.items():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs["class"] = css
        if field.help_text:
            field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"


class PackageFilterForm(forms.Form):
    """Filters of the received packages list; every field is optional."""

    state = forms.ChoiceField(
        label=pgettext_lazy("exchange filter", "State"),
        required=False,
        choices=[("", _("All states")), *PackageState.choices],
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("exchange filter", "Kind"),
        required=False,
        choices=[("", _("All kinds")), *PackageKind.choices],
    )
    signature = forms.ChoiceField(
        label=pgettext_lazy("exchange filter", "Signature"),
        required=False,
        choices=[
            ("", _("All signatures")),
            *[c for c in SignatureStatus.choices if c[0] != SignatureStatus.UNSIGNED],
        ],
    )
    q = forms.CharField(label=_("Identifier, subject or sender"), required=False, max_length=200)
    date_from = _date_field(_("Received from"))
    date_to = _date_field(_("Received until"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def apply(self, packages):
        data = getattr(self, "cleaned_data", {})
        if data.get("state"):
            packages = packages.filter(state=data["state"])
        if data.get("kind"):
            packages = packages.filter(kind=data["kind"])
        if data.get("signature"):
            packages = packages.filter(signature_status=data["signature"])
        text = (data.get("q") or "").strip()
        if text:
            packages = packages.filter(
                Q(document_id__icontains=text)
                | Q(subject__icontains=text)
                | Q(sender_name__icontains=text)
                | Q(sender_organ_id__icontains=text)
            )
        if data.get("date_from"):
            packages = packages.filter(received_at__gte=_midnight(data["date_from"]))
        if data.get("date_to"):
            packages = packages.filter(
                received_at__lt=_midnight(data["date_to"] + dt.timedelta(days=1))
            )
        return packages

    @property
    def has_filters(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(value not in (None, "") for value in data.values())


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class UploadForm(forms.Form):
    """A package file received by other means (e-mail, USB key, another system's export)."""

    file = forms.FileField(
        label=_("Package file"),
        help_text=_("An edXML package (.edxml or .xml) of QCVN 102."),
        widget=forms.FileInput(attrs={"accept": ".edxml,.xml,application/xml,text/xml"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class RefuseForm(forms.Form):
    """The reason a clerk gives for sending a received document back (status 02)."""

    reason = forms.CharField(
        label=_("Reason for refusing"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The sender receives this reason in the status message."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class RegisterPackageForm(forms.Form):
    """Registering a received electronic document in the incoming book (status 03)."""

    document_type = forms.ModelChoiceField(
        label=_("Type of document"),
        queryset=None,
        help_text=_("Taken from the package when its type name is known."),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("It is a different document: register it anyway"), required=False
    )

    def __init__(self, *args, agency, show_confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        from coquan.documents.models import DocumentType

        self.fields["document_type"].queryset = DocumentType.objects.available_to(agency)
        if not show_confirm:
            del self.fields["confirm_duplicate"]
        _styled(self)
        if "confirm_duplicate" in self.fields:
            self.fields["confirm_duplicate"].widget.attrs["class"] = "form-check-input"


class RecallAnswerForm(forms.Form):
    """The clerk's answer to a recall: accept (15) or refuse (16, with a reason).

    ``removal``: the same answer to an update that removes this agency from the recipients.
    """

    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[("accept", _("Accept the recall")), ("refuse", _("Refuse the recall"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for refusing the recall"),
        max_length=400,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, removal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.removal = removal
        if removal:
            self.fields["decision"].choices = [
                ("accept", _("Accept the removal")),
                ("refuse", _("Refuse the removal")),
            ]
            self.fields["reason"].label = _("Reason for refusing the removal")
        _styled(self)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                _("Give the reason for refusing the removal.")
                if self.removal
                else _("Give the reason for refusing the recall."),
            )
        return data


ISO_DATE_FORMAT = "%Y-%m-%d"


class HubTrafficFilterForm(forms.Form):
    """Filters of the hub's traffic (page and API); every field is optional.

    Dates are ``dd/mm/yyyy`` (the page) or ``yyyy-mm-dd`` (the API) and bound the time the
    hub accepted the package (local days, both ends included).
    """

    state = forms.ChoiceField(
        label=pgettext_lazy("exchange filter", "Onward delivery"),
        required=False,
        choices=[("", _("All states")), *OutboxState.choices],
    )
    organ_id = forms.CharField(
        label=_("Agency identifier (sender or recipient)"),
        required=False,
        max_length=13,
        widget=forms.TextInput(attrs={"placeholder": "000.00.00.H00"}),
    )
    date_from = _date_field(_("Relayed from"))
    date_to = _date_field(_("Relayed until"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].input_formats = [DATE_FORMAT, ISO_DATE_FORMAT]
            self.fields[name].error_messages["invalid"] = _(
                "Enter a date as dd/mm/yyyy (or yyyy-mm-dd)."
            )
        _styled(self)

    def clean_organ_id(self):
        return (self.cleaned_data.get("organ_id") or "").strip()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data

    def apply(self, messages, *, with_state: bool = True):
        """``messages`` filtered; without the state filter when ``with_state`` is False
        (the counts per state are those of the other filters)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound and not self.errors else {}
        if with_state and data.get("state"):
            messages = messages.filter(state=data["state"])
        if data.get("organ_id"):
            messages = messages.filter(
                Q(organ_id=data["organ_id"]) | Q(sender_organ_id=data["organ_id"])
            )
        if data.get("date_from"):
            messages = messages.filter(created_at__gte=_midnight(data["date_from"]))
        if data.get("date_to"):
            messages = messages.filter(
                created_at__lt=_midnight(data["date_to"] + dt.timedelta(days=1))
            )
        return messages

    @property
    def has_filters(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(value not in (None, "") for value in data.values())
