"""Metadata shared by incoming and outgoing documents (Decree 30/2020 App. VI, part II).

Field names follow the App. VI / edXML metadata names (``CodeNumber`` → ``code_number``,
``CodeNotation`` → ``code_notation``, ``Subject`` → ``subject`` ...), with their lengths.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coquan.documents.choices import Competence, Secrecy, Urgency


class DocumentMetadata(models.Model):
    """Abstract base: the components every administrative document carries (Art. 8).

    Concrete models add their tenant agency, their numbering and their workflow.
    """

    document_type = models.ForeignKey(
        "documents.DocumentType",
        verbose_name=_("document type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    code_number = models.CharField(_("number"), max_length=11, blank=True)
    code_notation = models.CharField(_("notation"), max_length=30, blank=True)
    issued_date = models.DateField(_("date of the document"))
    place = models.CharField(_("place of issue"), max_length=50, blank=True)
    subject = models.CharField(_("subject"), max_length=500)
    description = models.CharField(_("note"), max_length=500, blank=True)
    signer_competence = models.CharField(
        _("signing authority"), max_length=3, choices=Competence.choices, blank=True
    )
    signer_position = models.CharField(_("signer's position"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer"), max_length=50, blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    secrecy = models.CharField(
        _("secrecy"), max_length=12, choices=Secrecy.choices, default=Secrecy.NONE
    )
    page_count = models.PositiveSmallIntegerField(_("number of pages"), null=True, blank=True)
    due_date = models.DateField(_("deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NONE

    @property
    def number_and_notation(self) -> str:
        """``05/QĐ-UBND`` as printed after "Số:" (numbers below 10 get a leading zero)."""
        number = self.code_number
        if number.isdigit() and len(number) == 1:
            number = "0" + number
        if number and self.code_notation:
            return f"{number}/{self.code_notation}"
        return number or self.code_notation

    @property
    def signer_display(self) -> str:
        """``KT. Phó Giám đốc Nguyễn Văn A``: prefix, position, name."""
        prefix = f"{self.signer_competence}." if self.signer_competence else ""
        return " ".join(p for p in (prefix, self.signer_position, self.signer_name) if p)


def metadata_constraints(prefix: str) -> list:
    """CheckConstraints keeping the enumerated columns inside their choices."""
    return [
        models.CheckConstraint(
            condition=Q(urgency__gte=0) & Q(urgency__lte=4), name=f"{prefix}_urgency_valid"
        ),
        models.CheckConstraint(
            condition=Q(secrecy__in=Secrecy.values), name=f"{prefix}_secrecy_valid"
        ),
        models.CheckConstraint(
            condition=Q(signer_competence__in=Competence.values),
            name=f"{prefix}_competence_valid",
        ),
    ]
