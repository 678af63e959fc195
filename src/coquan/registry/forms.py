"""Forms of the registry pages. They only parse input; the rules live in the actions."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coquan.registry import extra_fields
from coquan.registry.choices import (
    AgentStatus,
    AppraisalOutcome,
    BtsStatus,
    BtsType,
    EntityKind,
    HolderKind,
    IndicatorKind,
    ProjectField,
    ReportSection,
)
from coquan.registry.models.registers import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        help_text=help_text,
        error_messages={"invalid": _("Enter a date in the form dd/mm/yyyy.")},
    )


def text_area(label, *, required=False, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def money_field(label, *, required=False):
    return forms.DecimalField(
        label=label, required=required, min_value=Decimal(0), max_digits=18, decimal_places=0
    )


class StyledForm(forms.Form):
    """Adds the Bootstrap classes to every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def commune_field(label=None):
    from coquan.org.models import Agency

    return CommuneChoiceField(
        label=label or _("Commune (from the agency directory)"),
        queryset=Agency.objects.filter(level__in=("commune", "district")).order_by("name"),
        required=False,
    )


# --- Licences ----------------------------------------------------------------------------------


class LicenceTypeChoiceForm(StyledForm):
    """Step 1 of issuing: the type decides which extra fields the licence has."""

    type = forms.ModelChoiceField(
        label=_("Licence type"), queryset=None, to_field_name="code", empty_label="—"
    )

    def __init__(self, *args, **kwargs):
        from coquan.registry.models import LicenceType

        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = LicenceType.objects.active()
        self.fields["type"].widget.attrs["data-autosubmit"] = "1"


class HolderFieldsMixin(forms.Form):
    holder_kind = forms.ChoiceField(label=_("Holder kind"), choices=HolderKind.choices)
    holder_name = forms.CharField(label=_("Holder"), max_length=250)
    holder_id_number = forms.CharField(
        label=_("Holder identification number"),
        max_length=30,
        required=False,
        help_text=_("Citizen ID or enterprise code; never shown publicly."),
    )
    holder_address = forms.CharField(label=_("Holder address"), max_length=250, required=False)


class _ExtraFieldsForm(StyledForm):
    """Adds the licence type's extra fields (``extra_<name>``) after the declared ones."""

    def __init__(self, *args, licence_type, **kwargs):
        super().__init__(*args, **kwargs)
        self.licence_type = licence_type
        for name, field in extra_fields.form_fields(licence_type.field_schema).items():
            self.fields[name] = field
            widget = field.widget
            widget.attrs.setdefault(
                "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
            )
            if isinstance(field, forms.DateField):
                field.input_formats = DATE_INPUT_FORMATS
                widget.attrs.setdefault("placeholder", "dd/mm/yyyy")

    def extra(self) -> dict:
        data = extra_fields.extra_from_cleaned(self.licence_type.field_schema, self.cleaned_data)
        return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


class LicenceIssueForm(_ExtraFieldsForm, HolderFieldsMixin):
    number = forms.CharField(label=_("Licence number"), max_length=50)
    issue_date = date_field(_("Issue date"))
    expiry_date = date_field(
        _("Expiry date"),
        required=False,
        help_text=_("Leave empty to use the type's default validity, if any."),
    )
    conditions = text_area(_("Conditions"))
    dossier_ref = forms.CharField(label=_("One-stop dossier code"), max_length=50, required=False)
    outgoing_document_ref = forms.CharField(
        label=_("Issuing document (number and notation)"), max_length=60, required=False
    )

    field_order = [
        "number",
        "holder_kind",
        "holder_name",
        "holder_id_number",
        "holder_address",
        "issue_date",
        "expiry_date",
        "conditions",
        "dossier_ref",
        "outgoing_document_ref",
    ]


class LicenceAmendForm(_ExtraFieldsForm, HolderFieldsMixin):
    conditions = text_area(_("Conditions"))
    dossier_ref = forms.CharField(label=_("One-stop dossier code"), max_length=50, required=False)
    outgoing_document_ref = forms.CharField(
        label=_("Issuing document (number and notation)"), max_length=60, required=False
    )
    reason = text_area(pgettext_lazy("registry", "Reason"))
    document_ref = forms.CharField(
        label=_("Decision (number and notation)"), max_length=60, required=False
    )

    field_order = [
        "holder_kind",
        "holder_name",
        "holder_id_number",
        "holder_address",
        "conditions",
        "dossier_ref",
        "outgoing_document_ref",
    ]


class LicenceStepForm(StyledForm):
    """Suspend, reinstate or revoke: when, why, by which decision."""

    effective_date = date_field(_("Effective date"), required=False)
    reason = text_area(pgettext_lazy("registry", "Reason"))
    document_ref = forms.CharField(
        label=_("Decision (number and notation)"), max_length=60, required=False
    )

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required


class LicenceRenewForm(LicenceStepForm):
    expiry_date = date_field(_("New expiry date"))

    field_order = ["expiry_date", "effective_date", "reason", "document_ref"]


# --- BTS stations and internet agents -----------------------------------------------------------


class BtsStationForm(StyledForm):
    operator = forms.CharField(label=_("Operator"), max_length=100)
    code = forms.CharField(label=_("Station code"), max_length=50)
    address = forms.CharField(label=pgettext_lazy("registry", "Address"), max_length=250)
    commune = commune_field()
    commune_name = forms.CharField(
        label=_("Commune (free text)"),
        max_length=100,
        required=False,
        help_text=_("When the commune is not in the agency directory."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), min_value=LAT_MIN, max_value=LAT_MAX, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), min_value=LON_MIN, max_value=LON_MAX, max_digits=9, decimal_places=6
    )
    station_type = forms.ChoiceField(label=_("Station type"), choices=BtsType.choices)
    height_m = forms.DecimalField(
        label=_("Antenna height (m)"),
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        required=False,
    )
    permit_number = forms.CharField(label=_("Construction permit"), max_length=50, required=False)
    permit_date = date_field(_("Permit date"), required=False)
    status = forms.ChoiceField(label=pgettext_lazy("registry", "Status"), choices=BtsStatus.choices)


class InternetAgentForm(StyledForm):
    name = forms.CharField(label=_("Agent name"), max_length=200)
    registration_number = forms.CharField(label=_("Registration number"), max_length=50)
    owner_kind = forms.ChoiceField(label=_("Owner kind"), choices=HolderKind.choices)
    owner_name = forms.CharField(label=_("Owner"), max_length=200)
    owner_id_number = forms.CharField(
        label=_("Owner identification number"), max_length=30, required=False
    )
    address = forms.CharField(label=pgettext_lazy("registry", "Address"), max_length=250)
    commune = commune_field()
    commune_name = forms.CharField(label=_("Commune (free text)"), max_length=100, required=False)
    provider = forms.CharField(label=_("Internet service provider"), max_length=100, required=False)
    computers = forms.IntegerField(label=_("Computers"), min_value=0, required=False)
    registered_on = date_field(_("Registered on"))
    status = forms.ChoiceField(
        label=pgettext_lazy("registry", "Status"), choices=AgentStatus.choices
    )
    notes = text_area(_("Notes"))


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("File (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.COQUAN_MAX_UPLOAD_BYTES
        if upload.size > limit:
            size = f"{limit / (1024 * 1024):.1f}".rstrip("0").rstrip(".")
            raise forms.ValidationError(
                _("The file is too large: the limit is %(size)s MB.") % {"size": size}
            )
        return upload


# --- Inspections and appraisals ---------------------------------------------------------------


class InspectionForm(StyledForm):
    subject = forms.CharField(label=pgettext_lazy("registry", "Subject"), max_length=300)
    scope = text_area(_("Scope"))
    decision_ref = forms.CharField(
        label=_("Inspection decision (number and notation)"), max_length=60, required=False
    )
    team = text_area(_("Team"), help_text=_("One member per line."))
    start_date = date_field(_("Start date"))
    end_date = date_field(_("End date"), required=False)


class FindingForm(StyledForm):
    entity_kind = forms.ChoiceField(label=_("Entity kind"), choices=EntityKind.choices)
    entity_name = forms.CharField(label=_("Inspected entity"), max_length=250)
    finding = text_area(_("Findings"), required=True)
    licence_number = forms.CharField(
        label=_("Licence number (if any)"), max_length=50, required=False
    )
    agent_number = forms.CharField(
        label=_("Internet agent registration number (if any)"), max_length=50, required=False
    )


class ViolationForm(StyledForm):
    description = text_area(_("Violation"), required=True)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)
    sanction = forms.CharField(label=_("Sanction"), max_length=300, required=False)
    fine_amount = money_field(_("Fine (VND)"))
    decided_on = date_field(_("Decided on"))
    follow_up_days = forms.IntegerField(
        label=_("Follow-up period (working days)"), min_value=1, max_value=365, required=False
    )


class ResolveForm(StyledForm):
    resolved_on = date_field(_("Resolved on"))
    resolution = text_area(_("Resolution"))


class CloseInspectionForm(StyledForm):
    closed_on = date_field(_("Closed on"))
    conclusion = text_area(_("Conclusion"), required=True, rows=4)


class AppraisalForm(StyledForm):
    name = forms.CharField(label=_("Project"), max_length=300)
    field = forms.ChoiceField(
        label=pgettext_lazy("registry", "Field"), choices=ProjectField.choices
    )
    investor = forms.CharField(label=_("Investor"), max_length=250, required=False)
    investment_before = money_field(_("Investment before appraisal (VND)"), required=True)
    investment_after = money_field(_("Investment after appraisal (VND)"))
    submitted_on = date_field(_("Submitted on"))
    appraised_on = date_field(_("Appraised on"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AppraisalOutcome.choices)
    notes = text_area(_("Notes"))


# --- Indicators and plans ----------------------------------------------------------------------


class IndicatorValuesForm(StyledForm):
    """One field per entered indicator (``value_<code>``); empty leaves a value unchanged."""

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = [i for i in indicators if i.kind == IndicatorKind.ENTERED]
        for indicator in self.indicators:
            label = f"{indicator.name} ({indicator.unit})" if indicator.unit else indicator.name
            field = forms.DecimalField(label=label, required=False, max_digits=24, decimal_places=6)
            field.widget.attrs["class"] = "form-control"
            self.fields[f"value_{indicator.code}"] = field

    def values(self) -> dict:
        return {
            indicator.code: self.cleaned_data.get(f"value_{indicator.code}")
            for indicator in self.indicators
            if self.cleaned_data.get(f"value_{indicator.code}") is not None
        }


class IndicatorDefinitionForm(StyledForm):
    code = forms.CharField(label=pgettext_lazy("registry", "Code"), max_length=40)
    name = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=IndicatorKind.choices)
    formula = forms.CharField(
        label=_("Formula"),
        max_length=500,
        required=False,
        help_text=_(
            "For computed indicators: + - * / and parentheses over indicator codes, numbers "
            "and register counts (e.g. subscribers / population * 100)."
        ),
    )
    decimals = forms.IntegerField(label=_("Decimals shown"), min_value=0, max_value=4, initial=0)
    section = forms.ChoiceField(label=_("Report section"), choices=ReportSection.choices)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32000, initial=100)
    description = text_area(_("Description"))
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class PlanForm(StyledForm):
    items = text_area(_("Tasks"), required=True, rows=12, help_text=_("One task per line."))
