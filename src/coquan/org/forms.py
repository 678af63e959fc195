"""Forms of the org pages. They only parse input; the rules live in ``org.actions``."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coquan.org.choices import AgencyLevel, RoleCode
from coquan.org.models import Agency, Position, Unit

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


class StyledForm(forms.Form):
    """Adds the Bootstrap classes to every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


def role_choices():
    return list(RoleCode.choices)


class UnitForm(StyledForm):
    code = forms.CharField(label=pgettext_lazy("org", "Code"), max_length=30)
    name = forms.CharField(label=pgettext_lazy("org", "Name"), max_length=200)
    parent = UnitChoiceField(
        label=pgettext_lazy("org", "Parent unit"), queryset=Unit.objects.none(), required=False
    )
    valid_from = date_field(pgettext_lazy("org", "In force from"))

    def __init__(self, *args, agency, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.for_agency(agency).active_on().order_by("code")
        if unit is not None:
            parents = parents.exclude(pk=unit.pk)
        self.fields["parent"].queryset = parents
        if unit is None:
            self.fields["valid_from"].initial = timezone.localdate()


class UnitCloseForm(StyledForm):
    valid_to = date_field(
        pgettext_lazy("org", "Last day in force"),
        help_text=_("The unit stays in the history; it is no longer in force after this day."),
    )
    successors = UnitMultipleChoiceField(
        label=pgettext_lazy("org", "Successor units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The units that take over its work (several when it is split)."),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successors"].queryset = (
            Unit.objects.for_agency(unit.agency)
            .filter(valid_to__isnull=True)
            .exclude(pk=unit.pk)
            .order_by("code")
        )
        self.fields["valid_to"].initial = timezone.localdate()


class PositionForm(StyledForm):
    name = forms.CharField(label=pgettext_lazy("org", "Name"), max_length=100)
    rank = forms.IntegerField(
        label=pgettext_lazy("org", "Rank"),
        min_value=0,
        max_value=32767,
        initial=100,
        help_text=_("Lower ranks are listed first."),
    )


class PlacementForm(StyledForm):
    """Unit, position, roles and start date of a membership."""

    unit = UnitChoiceField(
        label=pgettext_lazy("org", "Unit"), queryset=Unit.objects.none(), required=False
    )
    position = forms.ModelChoiceField(
        label=pgettext_lazy("org", "Position"), queryset=Position.objects.none(), required=False
    )
    roles = forms.MultipleChoiceField(
        label=pgettext_lazy("org", "Roles"),
        choices=role_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = date_field(pgettext_lazy("org", "Start date"))

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_agency(agency).active_on().order_by("code")
        self.fields["position"].queryset = Position.objects.for_agency(agency)
        self.fields["start_date"].initial = timezone.localdate()


class PersonForm(PlacementForm):
    full_name = forms.CharField(label=pgettext_lazy("org", "Full name"), max_length=150)
    username = forms.CharField(
        label=pgettext_lazy("org", "Username"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    email = forms.EmailField(label=pgettext_lazy("org", "E-mail"), required=False)
    password = forms.CharField(
        label=pgettext_lazy("org", "Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leave empty to create the account without a password: the person cannot sign "
            "in until one is set."
        ),
    )
    field_order = [
        "full_name",
        "username",
        "email",
        "password",
        "unit",
        "position",
        "roles",
        "start_date",
    ]


class ExistingPersonForm(PlacementForm):
    username = forms.CharField(
        label=pgettext_lazy("org", "Username"),
        max_length=150,
        help_text=_("The username of a person who already has an account."),
    )
    field_order = ["username", "unit", "position", "roles", "start_date"]


class MembershipForm(PlacementForm):
    end_date = date_field(
        pgettext_lazy("org", "Last day"),
        required=False,
        help_text=_("Leave empty while the person keeps working here."),
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, agency=membership.agency, **kwargs)
        if membership.unit_id and not membership.unit.is_active_on(timezone.localdate()):
            self.fields["unit"].queryset = Unit.objects.filter(
                pk__in=[
                    *self.fields["unit"].queryset.values_list("pk", flat=True),
                    membership.unit_id,
                ]
            ).order_by("code")


class MembershipEndForm(StyledForm):
    end_date = date_field(
        pgettext_lazy("org", "Last day"),
        help_text=_("The person keeps access until the end of this day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = timezone.localdate()


class MemberFilterForm(StyledForm):
    STATUS_CHOICES = [
        ("active", pgettext_lazy("org", "Working now")),
        ("ended", pgettext_lazy("org", "Ended")),
        ("all", pgettext_lazy("org", "All")),
    ]
    q = forms.CharField(
        label=pgettext_lazy("org", "Name or username"), required=False, max_length=100
    )
    unit = UnitChoiceField(
        label=pgettext_lazy("org", "Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=pgettext_lazy("org", "All units"),
    )
    role = forms.ChoiceField(label=pgettext_lazy("org", "Role"), required=False)
    status = forms.ChoiceField(
        label=pgettext_lazy("org", "Status"), choices=STATUS_CHOICES, required=False
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_agency(agency).order_by("code")
        self.fields["role"].choices = [("", pgettext_lazy("org", "All roles")), *RoleCode.choices]


class ImportForm(StyledForm):
    file = forms.FileField(
        label=pgettext_lazy("org", "File (.csv or .xlsx)"),
        help_text=_("The first row holds the column names; see the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class AgencyForm(StyledForm):
    organ_id = forms.CharField(
        label=pgettext_lazy("org", "Agency identifier"),
        max_length=13,
        help_text=_("QCVN 102 identifier, e.g. 000.00.00.H49."),
    )
    name = forms.CharField(label=pgettext_lazy("org", "Name"), max_length=200)
    short_name = forms.CharField(
        label=pgettext_lazy("org", "Short name"),
        max_length=30,
        help_text=_("Abbreviation used in document notations, e.g. STTTT."),
    )
    level = forms.ChoiceField(label=pgettext_lazy("org", "Level"), choices=AgencyLevel.choices)
    parent = forms.ModelChoiceField(
        label=pgettext_lazy("org", "Parent agency"), queryset=Agency.objects.none(), required=False
    )
    address = forms.CharField(label=pgettext_lazy("org", "Address"), max_length=250, required=False)
    email = forms.EmailField(label=pgettext_lazy("org", "E-mail"), max_length=100, required=False)
    telephone = forms.CharField(
        label=pgettext_lazy("org", "Telephone"), max_length=20, required=False
    )
    fax = forms.CharField(label=pgettext_lazy("org", "Fax"), max_length=20, required=False)
    website = forms.URLField(
        label=pgettext_lazy("org", "Website"), max_length=100, required=False, assume_scheme="https"
    )
    valid_from = date_field(pgettext_lazy("org", "In force from"))

    def __init__(self, *args, user, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Agency.objects.visible_to(user).order_by("name")
        if agency is not None:
            parents = parents.exclude(pk=agency.pk)
        self.fields["parent"].queryset = parents
        if agency is None:
            self.fields["valid_from"].initial = timezone.localdate()
