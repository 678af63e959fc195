"""Forms of the online portal (applicants). They only parse input; the rules live in the
actions (``actions.portal``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coquan.onestop.choices import ApplicantType
from coquan.onestop.forms import MultipleFileField, ReceptionForm, StyledForm
from coquan.onestop.models.evaluation import BodiesContacted, RatingChannel, Satisfaction


class RegisterForm(StyledForm):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(label=_("Telephone"), max_length=20, required=False)
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password_again = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class SignInForm(StyledForm):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class SubmitForm(StyledForm):
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
        label=_("Papers attached"), required=False, widget=forms.CheckboxSelectMultiple
    )
    set_count = forms.IntegerField(label=_("Number of sets"), min_value=1, max_value=99, initial=1)
    files = MultipleFileField(
        label=_("Scanned papers"), help_text=_("PDF, Word, Excel, ODT or images.")
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, procedure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["components"].choices = [
            (str(c.pk), ReceptionForm._component_label(c)) for c in procedure.components.all()
        ]


class AnswerForm(StyledForm):
    components = forms.MultipleChoiceField(
        label=_("Papers now attached"), required=False, widget=forms.CheckboxSelectMultiple
    )
    files = MultipleFileField(label=_("Scanned papers"))
    note = forms.CharField(
        label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, papers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["components"].choices = [
            (str(p.component_id), p.name) for p in papers if not p.received
        ]


class WithdrawForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RatingForm(StyledForm):
    """The criteria of NĐ 61 Art. 31 (the applicant's evaluation)."""

    time_to_result = forms.ChoiceField(
        label=_("(a) Time to get the result, against the rule"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    bodies_contacted = forms.ChoiceField(
        label=_("(b) Bodies you had to contact to complete the dossier"),
        choices=BodiesContacted.choices,
        widget=forms.RadioSelect,
    )
    contact_count = forms.IntegerField(
        label=_("(c) Times you had to come back or contact us to complete the dossier"),
        min_value=0,
        max_value=99,
        initial=0,
    )
    information = forms.ChoiceField(
        label=_("(d) Accuracy and timeliness of the published procedure"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    staff_attitude = forms.ChoiceField(
        label=_("(đ) Staff attitude"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    staff_complaint = forms.BooleanField(
        label=_("I have a complaint about a staff member's conduct"), required=False
    )
    lawful_result = forms.ChoiceField(
        label=_("(e) Lawfulness of the result and of the costs"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    unofficial_costs = forms.BooleanField(
        label=_("I was asked to pay costs beyond the official fees"), required=False
    )
    feedback_handling = forms.ChoiceField(
        label=_("(g) Answers to your feedback or complaints"),
        choices=[("", _("No feedback given")), *Satisfaction.choices],
        required=False,
    )
    online_service = forms.ChoiceField(
        label=_("(h) Online services"),
        choices=[("", _("Not used")), *Satisfaction.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("(i) Other comments"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeskRatingForm(RatingForm):
    channel = forms.ChoiceField(
        label=_("Given on"),
        choices=[
            (RatingChannel.PAPER, RatingChannel.PAPER.label),
            (RatingChannel.DEVICE, RatingChannel.DEVICE.label),
        ],
        widget=forms.RadioSelect,
        initial=RatingChannel.PAPER,
    )


RATING_FIELDS = (
    "time_to_result bodies_contacted contact_count information staff_attitude staff_complaint "
    "lawful_result unofficial_costs feedback_handling online_service comment"
)
