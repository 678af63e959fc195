"""Reference data of documents: document types and the directory of external issuers."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _


class DocumentTypeQuerySet(models.QuerySet):
    def available_to(self, agency):
        """The active types an agency uses: its own rows, plus global rows it did not override.

        A global row (``agency`` empty) is one of the 29 types of Decree 30/2020 Art. 7. An
        agency disables a global type, or renames it, with its own row of the same ``code``;
        it adds extra types with rows of new codes.
        """
        agency_id = getattr(agency, "pk", agency)
        overridden = self.model.objects.filter(agency_id=agency_id, code=OuterRef("code"))
        return self.filter(
            Q(agency_id=agency_id) | (Q(agency__isnull=True) & ~Exists(overridden)),
            is_active=True,
        ).order_by("sort_order", "name")

    def match(self, agency, text: str):
        """The available type whose name or abbreviation equals ``text`` (case-insensitive).

        Used to map an edXML ``DocumentType/TypeName`` (e.g. "Công văn") to a type.
        """
        text = (text or "").strip()
        if not text:
            return None
        for doc_type in self.available_to(agency):
            if text.casefold() in {doc_type.name.casefold(), doc_type.abbreviation.casefold()}:
                return doc_type
        return None


class DocumentType(models.Model):
    """A type of administrative document (tên loại văn bản) and its official abbreviation.

    Decree 30/2020 Art. 7 lists 29 types; App. III part I gives the abbreviations used in
    notations (Quyết định → QĐ, Quy định → QyĐ, Tờ trình → TTr; Công văn and Thư công have
    none). The 29 global rows are created by a data migration. ``edxml_type_detail`` is the
    code of table B of the edXML standard where it is known (standards §1.3).
    """

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document_types",
        help_text=_("Empty for the types of the decree, shared by every agency."),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    abbreviation = models.CharField(_("abbreviation"), max_length=10, blank=True)
    edxml_type_detail = models.PositiveSmallIntegerField(
        _("edXML type code"), null=True, blank=True
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = DocumentTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(agency__isnull=True),
                name="document_type_global_code_unique",
            ),
            models.UniqueConstraint(
                fields=["agency", "code"],
                condition=Q(agency__isnull=False),
                name="document_type_agency_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExternalAgencyQuerySet(models.QuerySet):
    def available_to(self, agency):
        """Issuers an agency's clerks can pick: the shared directory plus the agency's own."""
        return self.filter(Q(agency__isnull=True) | Q(agency=agency))


class ExternalAgency(models.Model):
    """An issuer of incoming documents that is not an agency of this deployment.

    Agencies of this deployment are ``org.Agency`` rows; anything else that sends documents
    (a ministry, a court, a company) is an external issuer with a name and, when it has one,
    its QCVN 102 ``organ_id``. Rows without ``agency`` are the deployment-wide directory;
    rows with an agency were added by that agency's clerks while registering.
    """

    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="external_issuers",
    )
    name = models.CharField(_("name"), max_length=200)
    organ_id = models.CharField(_("agency identifier"), max_length=13, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ExternalAgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("external issuer")
        verbose_name_plural = _("external issuers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"], name="external_issuer_name_unique_in_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.name
