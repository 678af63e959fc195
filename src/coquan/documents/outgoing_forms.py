"""Forms of the outgoing-document pages. They only parse input; rules live in actions."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coquan.documents.choices import (
    Competence,
    RecipientKind,
    RevisionKind,
    Secrecy,
    SeriesScope,
    Urgency,
)
from coquan.documents.forms import (
    DocumentTypeField,
    MultipleFileField,
    PeopleChoiceField,
    StyledForm,
    date_field,
)
from coquan.documents.models import DocumentType, ExternalAgency, IncomingDocument, OutgoingSeries


def _people(agency, *roles):
    from coquan.accounts.models import User
    from coquan.org.models import Membership

    memberships = Membership.objects.active_on(timezone.localdate()).for_agency(agency)
    if roles:
        memberships = memberships.filter(roles__code__in=roles)
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("full_name", "pk")


def _units(agency):
    from coquan.org.models import Unit

    return Unit.objects.for_agency(agency).active_on(timezone.localdate()).order_by("name")


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PeopleMultipleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class IncomingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        number = obj.number_and_notation or "—"
        return f"{obj.arrival_number} · {number} · {obj.subject[:90]}"


def _multi(label, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=help_text,
    )


class DraftForm(StyledForm):
    """A draft's metadata, recipients and files (create and change)."""

    document_type = DocumentTypeField(
        label=_("Document type"), queryset=DocumentType.objects.none()
    )
    subject = forms.CharField(
        label=_("Subject"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL
    )
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices, initial=Secrecy.NONE)
    signer = PeopleChoiceField(label=_("Signer"), queryset=None, required=False)
    signer_competence = forms.ChoiceField(
        label=_("Signing authority"), choices=Competence.choices, required=False
    )
    signer_position = forms.CharField(
        label=_("Signer's position"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to use the signer's position in the agency."),
    )
    drafting_unit = forms.ModelChoiceField(label=_("Drafting unit"), queryset=None, required=False)
    reply_to = IncomingChoiceField(label=_("In reply to"), queryset=None, required=False)
    series = forms.ModelChoiceField(
        label=_("Numbering series of an advisory board"),
        queryset=None,
        required=False,
        help_text=_("Leave empty: the series is chosen from the type when the document is issued."),
    )
    copies = forms.IntegerField(label=_("Number of copies"), min_value=1, max_value=999, initial=1)
    description = forms.CharField(label=_("Note"), max_length=500, required=False)
    recipient_agencies = _multi(
        _("Recipient agencies (electronic exchange)"), _("Hold Ctrl to choose several.")
    )
    recipient_externals = _multi(_("Recipient agencies from the directory"))
    recipient_units = UnitChoiceField(
        label=_("Units of this agency"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    recipient_users = PeopleMultipleField(
        label=_("People of this agency"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    recipient_lines = forms.CharField(
        label=_("Other recipients (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed in “Nơi nhận” and sent on paper, e.g. “Lưu: VT, CNTT.”"),
    )
    main_file = forms.FileField(
        label=_("Draft file"),
        required=False,
        help_text=_("The document itself; a PDF is needed to sign. Each file at most %(limit)s."),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(
        self, *args, agency, user, document=None, reply=None, max_upload_label: str = "", **kwargs
    ):
        from coquan.org.models import Agency

        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["document_type"].queryset = DocumentType.objects.available_to(agency)
        self.fields["signer"].queryset = _people(agency, "leader")
        self.fields["drafting_unit"].queryset = _units(agency)
        self.fields["drafting_unit"].label_from_instance = lambda unit: unit.name
        visible = IncomingDocument.objects.visible_to(user).for_agency(agency)
        wanted = Q(status__in=("assigned", "in_progress"))
        if document is not None and document.reply_to_id:
            wanted |= Q(pk=document.reply_to_id)
        if reply is not None:
            wanted |= Q(pk=reply.pk)
        self.fields["reply_to"].queryset = visible.filter(wanted).order_by("-arrival_date")
        if (
            document is not None
            and document.reply_to_id
            and not visible.filter(pk=document.reply_to_id).exists()
        ):
            del self.fields["reply_to"]  # kept as it is: this person cannot see it
        self.fields["series"].queryset = OutgoingSeries.objects.filter(
            agency=agency, scope=SeriesScope.BOARD, is_active=True
        )
        self.fields["recipient_agencies"].choices = [
            (str(a.pk), f"{a.name} ({a.organ_id})")
            for a in Agency.objects.active_on().exclude(pk=agency.pk).order_by("name")
        ]
        self.fields["recipient_externals"].choices = [
            (str(e.pk), f"{e.name}{f' ({e.organ_id})' if e.organ_id else ''}")
            for e in ExternalAgency.objects.available_to(agency).order_by("name")[:500]
        ]
        self.fields["recipient_units"].queryset = _units(agency)
        self.fields["recipient_users"].queryset = _people(agency)
        self.fields["main_file"].help_text = self.fields["main_file"].help_text % {
            "limit": max_upload_label
        }
        if document is None:
            self.fields["main_file"].required = True
        else:
            self.fields["main_file"].label = _("New version of the draft file")
            self.fields["attachments"].label = _("More attachments")

    @staticmethod
    def initial_for(document) -> dict:
        recipients = list(document.recipients.all())

        def of(kind, attr):
            return [getattr(r, attr) for r in recipients if r.kind == kind]

        return {
            "document_type": document.document_type_id,
            "subject": document.subject,
            "urgency": document.urgency,
            "secrecy": document.secrecy,
            "signer": document.signer_id,
            "signer_competence": document.signer_competence,
            "signer_position": document.signer_position,
            "drafting_unit": document.drafting_unit_id,
            "reply_to": document.reply_to_id,
            "series": document.series_id,
            "copies": document.copies,
            "description": document.description,
            "recipient_agencies": [str(pk) for pk in of(RecipientKind.AGENCY, "agency_id")],
            "recipient_externals": [str(pk) for pk in of(RecipientKind.EXTERNAL, "external_id")],
            "recipient_units": of(RecipientKind.UNIT, "unit_id"),
            "recipient_users": of(RecipientKind.USER, "user_id"),
            "recipient_lines": "\n".join(of(RecipientKind.TEXT, "text")),
        }

    def recipients(self) -> list[tuple]:
        """``(kind, target)`` items for the action, in the order of the form."""
        from coquan.org.models import Agency

        data = self.cleaned_data
        agencies = Agency.objects.in_bulk([int(pk) for pk in data["recipient_agencies"]])
        externals = ExternalAgency.objects.in_bulk([int(pk) for pk in data["recipient_externals"]])
        items = [(RecipientKind.AGENCY, agencies[int(pk)]) for pk in data["recipient_agencies"]]
        items += [
            (RecipientKind.EXTERNAL, externals[int(pk)]) for pk in data["recipient_externals"]
        ]
        items += [(RecipientKind.UNIT, unit) for unit in data["recipient_units"]]
        items += [(RecipientKind.USER, person) for person in data["recipient_users"]]
        items += [
            (RecipientKind.TEXT, line.strip())
            for line in (data.get("recipient_lines") or "").splitlines()
            if line.strip()
        ]
        return items

    METADATA = (
        "document_type",
        "subject",
        "urgency",
        "secrecy",
        "signer",
        "signer_competence",
        "signer_position",
        "drafting_unit",
        "reply_to",
        "series",
        "copies",
        "description",
    )

    def metadata(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.METADATA if name in self.fields}


class OpinionTargetsMixin:
    def setup_targets(self, agency):
        self.fields["opinion_units"].queryset = _units(agency)
        self.fields["opinion_users"].queryset = _people(agency)

    def targets(self) -> list:
        return [*self.cleaned_data["opinion_units"], *self.cleaned_data["opinion_users"]]


class SubmitForm(OpinionTargetsMixin, StyledForm):
    """The chain of a new round: reviewer, opinions, form check."""

    reviewer = PeopleChoiceField(
        label=_("Reviewer (unit leader)"),
        queryset=None,
        required=False,
        help_text=_("Leave empty for the leader of the drafting unit."),
    )
    skip_review = forms.BooleanField(label=_("No review by a unit leader"), required=False)
    opinion_units = UnitChoiceField(
        label=_("Ask units for an opinion"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    opinion_users = PeopleMultipleField(
        label=_("Ask people for an opinion"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    opinion_due_days = forms.IntegerField(
        label=_("Opinion deadline in working days"), min_value=1, max_value=60, initial=3
    )
    sequential = forms.BooleanField(label=_("Ask one after the other"), required=False)
    form_check = forms.BooleanField(
        label=_("Form check by the office"), required=False, initial=True
    )
    checker = PeopleChoiceField(
        label=_("Form checker"),
        queryset=None,
        required=False,
        help_text=_("Leave empty: any clerk of the agency."),
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = _people(agency, "unit_leader", "leader")
        self.fields["checker"].queryset = _people(agency, "clerk")
        self.setup_targets(agency)


class RequestOpinionsForm(OpinionTargetsMixin, StyledForm):
    opinion_units = UnitChoiceField(
        label=_("Units"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    opinion_users = PeopleMultipleField(
        label=_("People"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    due_days = forms.IntegerField(
        label=_("Deadline in working days"), min_value=1, max_value=60, initial=3
    )
    sequential = forms.BooleanField(label=_("Ask one after the other"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_targets(agency)


class CommentForm(StyledForm):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class OpinionForm(StyledForm):
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Files"), required=False)


class RejectForm(StyledForm):
    comment = forms.CharField(label=_("What must change"), widget=forms.Textarea(attrs={"rows": 3}))
    back_to = forms.ChoiceField(
        label=_("Send back to"),
        choices=(("drafter", _("The drafter")), ("previous", _("The previous step"))),
        initial="drafter",
        widget=forms.RadioSelect,
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class RevisionForm(StyledForm):
    """Draft an update or a replacement of an issued document (a new draft linked to it)."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=RevisionKind.choices,
        initial=RevisionKind.UPDATE,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to keep the subject of the original document."),
    )
    description = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    main_file = forms.FileField(label=_("Draft file"), required=False)


class ReportForm(StyledForm):
    """The period and grouping of the outgoing handling report (GET parameters)."""

    date_from = date_field(_("First day of the period"))
    date_to = date_field(_("Last day of the period"))
    group = forms.ChoiceField(
        label=_("One row per"),
        choices=(("unit", _("Drafting unit")), ("person", _("Drafter"))),
        initial="unit",
        required=False,
    )

    def clean(self):
        from coquan.documents.outgoing_report import check_period

        data = super().clean()
        if "date_from" in data and "date_to" in data:
            try:
                check_period(data["date_from"], data["date_to"])
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from exc
        data["group"] = data.get("group") or "unit"
        return data


class SeriesForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    scope = forms.ChoiceField(label=_("Documents numbered"), choices=SeriesScope.choices)
    document_types = forms.ModelMultipleChoiceField(
        label=_("Document types"),
        queryset=DocumentType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for a series of chosen types."),
    )
    issuer_abbreviation = forms.CharField(
        label=_("Issuer abbreviation"),
        max_length=30,
        required=False,
        help_text=_(
            "Used in notations instead of the agency's short name (e.g. an advisory board)."
        ),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_types"].queryset = DocumentType.objects.available_to(agency)
