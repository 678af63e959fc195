"""Forms of the one-stop pages. They only parse input; the rules live in the actions."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coquan.onestop.choices import (
    ApplicantType,
    AppliesTo,
    DossierStatus,
    OnlineLevel,
    PaperForm,
    ProcedureLevel,
    TimeUnit,
)
from coquan.onestop.models.fees import PaymentMethod
from coquan.org.choices import RoleCode

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


def lines(text: str) -> list[str]:
    """Non-empty lines of a text area (one item per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; content, size and name are checked by the action."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class StyledForm(forms.Form):
    """Bootstrap classes on every widget; help texts linked for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            choice_widgets = forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.RadioSelect
            if isinstance(widget, choice_widgets):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")
            if field.help_text:
                widget.attrs.setdefault("aria-describedby", f"id_{self.add_prefix(name)}_helptext")


# --- catalogue ------------------------------------------------------------------------------


class ProcedureForm(StyledForm):
    code = forms.CharField(
        label=_("Procedure code"), max_length=40, help_text=_("National code, e.g. 1.005129.")
    )
    name = forms.CharField(label=_("Name"), max_length=500)
    sector_code = forms.CharField(label=_("Sector code"), max_length=20)
    sector_name = forms.CharField(label=_("Sector"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=ProcedureLevel.choices)
    competent_authority = forms.CharField(label=_("Competent authority"), max_length=250)
    legal_basis = forms.CharField(
        label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    result_name = forms.CharField(label=_("Result"), max_length=250, required=False)
    fee_amount = forms.IntegerField(label=_("Fee (VND)"), min_value=0, required=False)
    fee_note = forms.CharField(
        label=_("Fees and charges"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    time_limit = forms.DecimalField(
        label=_("Legal time limit"), min_value=Decimal("0.5"), max_digits=6, decimal_places=1
    )
    time_unit = forms.ChoiceField(label=_("Unit of the time limit"), choices=TimeUnit.choices)
    cutoff_time = forms.TimeField(
        label=_("Reception cut-off"),
        required=False,
        help_text=_("Empty: the deployment's rule (15:00)."),
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "15:00"}),
    )
    online_level = forms.ChoiceField(label=_("Online service"), choices=OnlineLevel.choices)
    licence_document_type = forms.SlugField(
        label=_("Licence issued as (document type code)"),
        max_length=40,
        required=False,
        help_text=_(
            "Code of the document type the result is issued as, e.g. quyet-dinh; empty when "
            "the result is not an official document."
        ),
    )

    def __init__(self, *args, fixed_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_code:
            self.fields["code"].disabled = True


class ComponentForm(StyledForm):
    name = forms.CharField(
        label=pgettext_lazy("dossier paper", "Paper"), max_length=500, required=False
    )
    paper_form = forms.ChoiceField(label=_("Form"), choices=PaperForm.choices)
    count = forms.IntegerField(label=_("Copies"), min_value=1, initial=1)
    template_name = forms.CharField(label=_("Template"), max_length=200, required=False)
    required = forms.BooleanField(label=_("Mandatory"), required=False, initial=True)
    applies_to = forms.ChoiceField(label=_("Applies to"), choices=AppliesTo.choices)


class StepForm(StyledForm):
    name = forms.CharField(label=_("Step"), max_length=250, required=False)
    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=None, required=False
    )
    responsible_role = forms.ChoiceField(
        label=_("Responsible role"),
        choices=[("", "—"), *RoleCode.choices],
        required=False,
    )
    time_budget = forms.DecimalField(
        label=_("Time budget"),
        min_value=Decimal("0.5"),
        max_digits=6,
        decimal_places=1,
        required=False,
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = units


class BaseRowFormSet(forms.BaseFormSet):
    """Rows left empty (no name) are ignored; the others are returned in order."""

    def rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and form.cleaned_data.get("name")
        ]


ComponentFormSet = forms.formset_factory(ComponentForm, formset=BaseRowFormSet, extra=2)
StepFormSet = forms.formset_factory(StepForm, formset=BaseRowFormSet, extra=1)


class ImportForm(StyledForm):
    file = forms.FileField(
        label=_("Catalogue file (JSON)"), help_text=_("A file exported from CoQuan.")
    )
    publish = forms.BooleanField(label=_("Publish the imported procedures"), required=False)


# --- desk -----------------------------------------------------------------------------------

OUTCOMES = [
    ("accept", pgettext_lazy("desk outcome", "Accept (receipt, form 01)")),
    ("supplement", pgettext_lazy("desk outcome", "Ask to complete the dossier (form 02)")),
    ("refuse", pgettext_lazy("desk outcome", "Refuse to receive (form 03)")),
]


class ReceptionForm(StyledForm):
    applicant_type = forms.ChoiceField(
        label=_("Applicant type"), choices=ApplicantType.choices, widget=forms.RadioSelect
    )
    applicant_name = forms.CharField(label=_("Full name or organisation name"), max_length=200)
    applicant_id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        help_text=_("Personal ID number, or the enterprise code of an organisation."),
    )
    applicant_address = forms.CharField(label=_("Address"), max_length=300)
    applicant_phone = forms.CharField(label=_("Telephone"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    components = forms.MultipleChoiceField(
        label=_("Papers received"), required=False, widget=forms.CheckboxSelectMultiple
    )
    set_count = forms.IntegerField(label=_("Number of sets"), min_value=1, max_value=99, initial=1)
    files = MultipleFileField(
        label=_("Scanned files"), help_text=_("PDF, Word, Excel, ODT or images.")
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=OUTCOMES, widget=forms.RadioSelect, initial="accept"
    )
    missing_items = forms.CharField(
        label=_("Also missing (one item per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Missing mandatory papers are listed automatically."),
    )
    reason = forms.CharField(
        label=_("Reason for refusal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, procedure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["components"].choices = [
            (str(c.pk), self._component_label(c)) for c in procedure.components.all()
        ]

    @staticmethod
    def _component_label(component) -> str:
        parts = [component.name, f"({component.get_paper_form_display()}, {component.count})"]
        if component.required:
            parts.append(str(pgettext_lazy("component", "— mandatory")))
        if component.applies_to != AppliesTo.ALL:
            parts.append(f"[{component.get_applies_to_display()}]")
        return " ".join(parts)


# --- processing -----------------------------------------------------------------------------


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class ForwardForm(StyledForm):
    assignee_unit = forms.ModelChoiceField(
        label=pgettext_lazy("onestop", "Unit"),
        queryset=None,
        required=False,
        help_text=_("Empty: the step's responsible unit."),
    )
    assignee_user = PersonField(label=_("Person"), queryset=None, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_unit"].queryset = units
        self.fields["assignee_user"].queryset = people


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SupplementForm(StyledForm):
    items = forms.CharField(
        label=_("What is missing (one item per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("List everything at once."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResubmitForm(StyledForm):
    components = forms.MultipleChoiceField(
        label=_("Papers now received"), required=False, widget=forms.CheckboxSelectMultiple
    )
    files = MultipleFileField(label=_("Scanned files"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, papers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["components"].choices = [
            (str(p.component_id), p.name) for p in papers if not p.received
        ]


class ExtendForm(StyledForm):
    new_due_date = date_field(_("New appointment date"))
    reason = forms.CharField(
        label=_("Reason (printed on the apology letter)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApproveForm(StyledForm):
    result_note = forms.CharField(
        label=_("Result"),
        help_text=_("For example the number of the licence issued."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(StyledForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DossierFilterForm(StyledForm):
    code = forms.CharField(label=_("Dossier code contains"), max_length=60, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", "—"), *DossierStatus.choices], required=False
    )
    procedure = forms.ChoiceField(label=_("Procedure"), choices=[("", "—")], required=False)
    received_from = date_field(_("Received from"), required=False)
    received_to = date_field(_("Received until"), required=False)

    def __init__(self, *args, procedures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", "—")] + [
            (code, f"{code} {name}") for code, name in procedures
        ]


class LookupForm(StyledForm):
    code = forms.CharField(
        label=_("Dossier code"),
        max_length=60,
        help_text=_("As printed on the receipt, e.g. 000.00.14.H06-260213-0001."),
    )


# --- fees -----------------------------------------------------------------------------------


class FeeForm(StyledForm):
    amount = forms.IntegerField(label=_("Amount (đồng)"), min_value=1, max_value=10**12)
    reason = forms.CharField(
        label=_("Reason (fee, charge or tax and its basis)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PaymentForm(StyledForm):
    payment_method = forms.ChoiceField(
        label=_("Paid by"), choices=PaymentMethod.choices, widget=forms.RadioSelect
    )
    payment_reference = forms.CharField(
        label=_("Receipt or transaction number"), max_length=100, required=False
    )
