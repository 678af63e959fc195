"""Forms of the incoming-document pages. They only parse input; rules live in actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coquan.documents.choices import Competence, Secrecy, Urgency
from coquan.documents.models import DocumentType, ExternalAgency

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        help_text=help_text,
        error_messages={"invalid": _("Enter a date in the form dd/mm/yyyy.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the checks of content, size and name are the action's."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class StyledForm(forms.Form):
    """Adds the Bootstrap classes to every widget and links help texts for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")
            if field.help_text:
                widget.attrs.setdefault("aria-describedby", f"id_{self.add_prefix(name)}_help")


class DocumentTypeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.abbreviation})" if obj.abbreviation else obj.name


class RegisterForm(StyledForm):
    """The clerk's registration form: App. VI incoming metadata and the scanned files."""

    document_type = DocumentTypeField(
        label=_("Document type"), queryset=DocumentType.objects.none()
    )
    code_number = forms.CharField(label=_("Number"), max_length=11, required=False)
    code_notation = forms.CharField(
        label=_("Notation"),
        max_length=30,
        required=False,
        help_text=_("For example QĐ-UBND or BKHCN-CĐS (without the number)."),
    )
    issued_date = date_field(_("Date of the document"))
    issuer_name = forms.CharField(
        label=_("Issuing agency"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "issuer-names", "autocomplete": "off"}),
    )
    issuer_organ_id = forms.CharField(
        label=_("Issuer identifier"),
        max_length=13,
        required=False,
        help_text=_("The agency code used in electronic exchange, e.g. 000.00.00.G22, if known."),
    )
    place = forms.CharField(label=_("Place of issue"), max_length=50, required=False)
    subject = forms.CharField(
        label=_("Subject"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    signer_competence = forms.ChoiceField(
        label=_("Signing authority"), choices=Competence.choices, required=False
    )
    signer_position = forms.CharField(label=_("Signer's position"), max_length=100, required=False)
    signer_name = forms.CharField(label=_("Signer"), max_length=50, required=False)
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL
    )
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices, initial=Secrecy.NONE)
    page_count = forms.IntegerField(
        label=_("Number of pages"), min_value=1, max_value=999, required=False
    )
    due_date = date_field(
        _("Reply deadline"), required=False, help_text=_("Only if the document sets one.")
    )
    arrival_date = forms.DateTimeField(
        label=_("Arrival time"),
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(
            format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy hh:mm"}
        ),
        help_text=_("Leave empty for now."),
    )
    description = forms.CharField(label=_("Note"), max_length=500, required=False)
    files = MultipleFileField(
        label=_("Scanned document and attachments"),
        required=False,
        help_text=_("PDF, Word, Excel, ODT or images; each file at most %(limit)s."),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("Register anyway: I checked that it is a different document"),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, agency, max_upload_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].queryset = DocumentType.objects.available_to(agency)
        self.fields["files"].help_text = self.fields["files"].help_text % {
            "limit": max_upload_label
        }
        self.issuer_names = list(
            ExternalAgency.objects.available_to(agency)
            .order_by("name")
            .values_list("name", flat=True)[:500]
        )

    def ask_duplicate_confirmation(self) -> None:
        field = self.fields["confirm_duplicate"]
        field.widget = forms.CheckboxInput(attrs={"class": "form-check-input"})


class PeopleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class PresentForm(StyledForm):
    leader = PeopleChoiceField(label=_("Leader"), queryset=None)
    note = forms.CharField(
        label=_("Note to the leader"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders


class AssignForm(StyledForm):
    """Lead (a unit or a person), co-handlers, people informed, deadline and instruction.

    Targets are encoded ``unit:<id>`` / ``user:<id>``; ``targets`` maps codes to objects.
    """

    lead = forms.ChoiceField(label=_("Lead (unit or person)"))
    co_handlers = forms.MultipleChoiceField(
        label=_("Co-handlers"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl to choose several."),
    )
    for_info = forms.MultipleChoiceField(
        label=_("For information"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl to choose several."),
    )
    due_days = forms.IntegerField(
        label=_("Deadline in working days"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Counted on the working-day calendar; or give a date below."),
    )
    due_date = date_field(_("Deadline (date)"), required=False)
    instruction = forms.CharField(
        label=_("Instruction"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, targets: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        choices = [(code, label) for code, (label, _obj) in targets.items()]
        self.fields["lead"].choices = [("", "---------"), *choices]
        self.fields["co_handlers"].choices = choices
        self.fields["for_info"].choices = choices

    def resolve(self, codes):
        return [self.targets[code][1] for code in codes if code in self.targets]

    def clean(self):
        data = super().clean()
        if not data.get("due_days") and not data.get("due_date"):
            self.add_error("due_days", _("Give a number of working days or a date."))
        return data


class TextForm(StyledForm):
    """One text field (opinion, result note, reason), with optional files."""

    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label, with_files: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        if with_files:
            self.fields["files"] = MultipleFileField(label=_("Files"), required=False)
            self.fields["files"].widget.attrs["class"] = "form-control"


class EmptyForm(StyledForm):
    """A step without input (start handling)."""


class AddFileForm(StyledForm):
    file = forms.FileField(label=_("File"))
    replaces = forms.ChoiceField(label=_("Corrects"), required=False)

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].choices = [("", _("— a new file —"))] + [
            (str(a.pk), f"{a.original_name} (v{a.version})") for a in attachments
        ]
