"""Field checks of a parsed package: ``validate`` returns ALL problems found.

Errors refuse a package; warnings are kept and shown (real packages of other systems carry
oddities that must not block a document, e.g. the interop sample whose ``Bussiness``
identifier holds the date 2014/02/30). What is checked (standards §1.3–1.4):

- presence: ``From/OrganId``, at least one ``To`` (no duplicates), ``DocumentId``, number,
  notation, date of issue, ``Subject``; in a status: ``ResponseFor`` identifiers,
  ``StatusCode``, ``Timestamp``;
- formats: agency identifiers ``NNN.NN.NN.LNN``; ``DocumentId`` as
  ``OrganId,yyyy/MM/dd,Number/Notation`` with a real date; dates ``yyyy/MM/dd`` or
  ``dd/MM/yyyy``, the date of issue not in the future; time stamps; numbers; e-mails;
- code tables: ``Type`` (configurable), ``Priority`` 0–4, ``SteeringType`` 1–3,
  ``BussinessDocType`` 0–3, ``ReceiverType`` 0/1, status codes 01–06, 13, 15, 16;
- lengths (``config.FIELD_LIMITS``, counted in NFC characters);
- the manifest and the attachments list the same files.
"""

from __future__ import annotations

import datetime as dt
import re

from coquan.exchange.edxml.codes import (
    BUSINESS_DOC_TYPES,
    BUSINESS_NEW,
    BUSINESS_REPLACE,
    RECEIVER_ADDED,
    RECEIVER_REMOVED,
)
from coquan.exchange.edxml.config import Rules, current_rules
from coquan.exchange.edxml.model import DocumentPackage, Organization, StaffInfo, StatusPackage
from coquan.exchange.edxml.problems import ERROR, WARNING, PackageRefused, Problem
from coquan.exchange.edxml.values import text_length, write_date
from coquan.org.validators import ORGAN_ID_RE

DOCUMENT_ID_RE = re.compile(
    r"^(?P<organ_id>\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}),"
    r"(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2}),"
    r"(?P<number>[^/,]+)/(?P<notation>.+)$"
)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def parse_document_id(value: str) -> dict | None:
    """The parts of a ``DocumentId`` (``date`` is None when the date does not exist)."""
    match = DOCUMENT_ID_RE.match(value or "")
    if not match:
        return None
    parts = match.groupdict()
    try:
        parts["date"] = dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        parts["date"] = None
    return parts


def make_document_id(organ_id: str, day: dt.date, number: str, notation: str) -> str:
    """``OrganId,yyyy/MM/dd,Number/Notation`` (standards §1.3)."""
    return f"{organ_id},{write_date(day)},{number}/{notation}"


class _Checker:
    def __init__(self, rules: Rules, today: dt.date):
        self.rules = rules
        self.today = today
        self.problems: list[Problem] = []

    def add(self, code: str, path: str, severity: str = ERROR, **params) -> None:
        self.problems.append(Problem(code=code, path=path, params=params, severity=severity))

    def text(self, path: str, value: str, *, required: bool = False, name: str = "") -> None:
        name = name or path.rsplit("/", 1)[-1]
        if not (value or "").strip():
            if required:
                self.add("required", path)
            return
        limit = self.rules.limit(name)
        length = text_length(value)
        if limit is not None and length > limit:
            self.add("too_long", path, length=length, limit=limit)

    def organ_id(self, path: str, value: str, *, required: bool = True) -> bool:
        if not value:
            if required:
                self.add("required", path)
            return False
        if not ORGAN_ID_RE.match(value):
            self.add("invalid_organ_id", path, value=value)
            return False
        return True

    def date(self, path: str, value, *, required: bool = False, not_future: bool = False):
        if value is None:
            if required:
                self.add("required", path)
            return
        if not isinstance(value, dt.date):
            self.add("invalid_date", path, value=value)
            return
        if not_future and value > self.today:
            self.add("future_date", path, value=value.strftime("%d/%m/%Y"))

    def timestamp(self, path: str, value, *, required: bool = False) -> None:
        if value is None:
            if required:
                self.add("required", path)
            return
        if not isinstance(value, dt.datetime):
            self.add("invalid_timestamp", path, value=value)

    def integer(self, path: str, value, *, required=False, allowed=None, minimum=None) -> None:
        if value is None:
            if required:
                self.add("required", path)
            return
        if isinstance(value, bool) or not isinstance(value, int):
            self.add("invalid_number", path, value=value)
            return
        if allowed is not None and value not in allowed:
            self.add("out_of_range", path, value=value, allowed=", ".join(str(a) for a in allowed))
        if minimum is not None and value < minimum:
            self.add("negative", path, value=value)

    def email(self, path: str, value: str) -> None:
        self.text(path, value, name="Email")
        if value and not EMAIL_RE.match(value):
            self.add("invalid_email", path, value=value)

    def document_id(self, path: str, value: str, *, required: bool = True, lenient=False):
        if not value:
            if required:
                self.add("required", path)
            return None
        self.text(path, value, name="DocumentId")
        parts = parse_document_id(value)
        if parts is None:
            self.add("invalid_document_id", path, value=value)
            return None
        if parts["date"] is None:
            self.add("invalid_document_id_date", path, WARNING if lenient else ERROR, value=value)
        return parts

    def organization(self, path: str, org: Organization) -> None:
        self.organ_id(f"{path}/OrganId", org.organ_id)
        self.text(f"{path}/OrganizationInCharge", org.organization_in_charge)
        self.text(f"{path}/OrganName", org.organ_name)
        self.text(f"{path}/OrganAdd", org.organ_add)
        self.email(f"{path}/Email", org.email)
        self.text(f"{path}/Telephone", org.telephone)
        self.text(f"{path}/Fax", org.fax)
        self.text(f"{path}/Website", org.website)

    def staff(self, path: str, staff: StaffInfo | None) -> None:
        if staff is None:
            return
        self.text(f"{path}/Department", staff.department)
        self.text(f"{path}/Staff", staff.staff)
        self.text(f"{path}/Mobile", staff.mobile)
        self.email(f"{path}/Email", staff.email)

    def response_for(self, path: str, value, *, required: bool) -> None:
        self.organ_id(f"{path}/OrganId", value.organ_id, required=required)
        self.text(f"{path}/Code", value.code, required=required)
        self.date(f"{path}/PromulgationDate", value.promulgation_date)
        self.document_id(f"{path}/DocumentId", value.document_id, required=required)


def _document(check: _Checker, package: DocumentPackage) -> None:
    head = "MessageHeader"
    check.organization(f"{head}/From", package.sender)
    if not package.recipients:
        check.add("no_recipient", f"{head}/To")
    seen = set()
    for index, recipient in enumerate(package.recipients, start=1):
        path = f"{head}/To[{index}]"
        check.organization(path, recipient)
        if recipient.organ_id in seen:
            check.add("duplicate_recipient", f"{path}/OrganId", value=recipient.organ_id)
        seen.add(recipient.organ_id)

    code = package.code
    check.text(f"{head}/Code/CodeNumber", code.code_number, required=True)
    check.text(f"{head}/Code/CodeNotation", code.code_notation, required=True)
    info = package.promulgation_info
    check.text(f"{head}/PromulgationInfo/Place", info.place)
    check.date(
        f"{head}/PromulgationInfo/PromulgationDate",
        info.promulgation_date,
        required=True,
        not_future=True,
    )
    parts = check.document_id(f"{head}/DocumentId", package.document_id)
    if parts is not None:
        _compare_document_id(check, f"{head}/DocumentId", package, parts)

    doc_type = package.document_type
    check.integer(f"{head}/DocumentType/Type", doc_type.type, allowed=check.rules.document_types)
    check.integer(f"{head}/DocumentType/TypeDetail", doc_type.type_detail, minimum=0)
    check.text(f"{head}/DocumentType/TypeName", doc_type.type_name)
    check.text(f"{head}/Subject", package.subject, required=True)
    check.text(f"{head}/Content", package.content)
    signer = package.signer_info
    check.text(f"{head}/SignerInfo/Competence", signer.competence)
    check.text(f"{head}/SignerInfo/Position", signer.position)
    check.text(f"{head}/SignerInfo/FullName", signer.full_name)
    check.date(f"{head}/DueDate", package.due_date)
    for place in package.to_places:
        check.text(f"{head}/ToPlaces/Place", place, name="ToPlace")

    other = package.other_info
    path = f"{head}/OtherInfo"
    check.integer(f"{path}/Priority", other.priority, allowed=check.rules.priorities)
    check.text(f"{path}/SphereOfPromulgation", other.sphere_of_promulgation)
    check.text(f"{path}/TyperNotation", other.typer_notation)
    check.integer(f"{path}/PromulgationAmount", other.promulgation_amount, minimum=0)
    check.integer(f"{path}/PageAmount", other.page_amount, minimum=0)
    if other.direction is not None and not isinstance(other.direction, bool):
        check.add("invalid_bool", f"{path}/Direction", value=other.direction)
    for appendix in other.appendixes:
        check.text(f"{path}/Appendixes/Appendix", appendix)
    check.integer(f"{head}/SteeringType", package.steering_type, allowed=check.rules.steering_types)
    for index, response in enumerate(package.response_for, start=1):
        check.response_for(f"{head}/ResponseFor[{index}]", response, required=False)

    for index, trace in enumerate(package.trace_headers, start=1):
        path = f"TraceHeaderList/TraceHeader[{index}]"
        check.organ_id(f"{path}/OrganId", trace.organ_id)
        check.timestamp(f"{path}/Timestamp", trace.timestamp, required=True)
    _business(check, package)
    _attachments(check, package)


def _compare_document_id(check: _Checker, path: str, package: DocumentPackage, parts) -> None:
    """Warnings when the identifier disagrees with the sender, number, notation or date."""
    comparisons = [
        ("sender", parts["organ_id"], package.sender.organ_id),
        ("number", parts["number"], package.code.code_number),
        ("notation", parts["notation"], package.code.code_notation),
    ]
    issued = package.promulgation_info.promulgation_date
    if parts["date"] is not None and isinstance(issued, dt.date):
        comparisons.append(("date", write_date(parts["date"]), write_date(issued)))
    for part, found, expected in comparisons:
        if expected and found != expected:
            check.add(
                "document_id_mismatch",
                path,
                WARNING,
                value=package.document_id,
                part=part,
                expected=expected,
            )


def _business(check: _Checker, package: DocumentPackage) -> None:
    business = package.business
    path = "TraceHeaderList/Bussiness"
    if business is None:
        check.add("missing_business", path, WARNING)
        return
    check.integer(
        f"{path}/BussinessDocType", business.doc_type, required=True, allowed=BUSINESS_DOC_TYPES
    )
    new = business.doc_type == BUSINESS_NEW
    parts = check.document_id(
        f"{path}/DocumentId", business.document_id, required=not new, lenient=True
    )
    if new and parts is not None and business.document_id != package.document_id:
        check.add(
            "business_id_differs",
            f"{path}/DocumentId",
            WARNING,
            value=business.document_id,
            expected=package.document_id,
        )
    check.text(f"{path}/BussinessDocReason", business.doc_reason)
    check.integer(f"{path}/Paper", business.paper, minimum=0)
    check.staff(f"{path}/StaffInfo", business.staff_info)
    if business.document_info is not None:
        info_path = f"{path}/BussinessDocumentInfo"
        info = business.document_info
        check.integer(f"{info_path}/DocumentInfo", info.document_info, allowed=(0, 1))
        check.integer(f"{info_path}/DocumentReceiver", info.document_receiver, allowed=(0, 1))
        for index, receiver in enumerate(info.receivers, start=1):
            receiver_path = f"{info_path}/ReceiverList/Receiver[{index}]"
            check.organ_id(f"{receiver_path}/OrganId", receiver.organ_id)
            check.integer(
                f"{receiver_path}/ReceiverType",
                receiver.receiver_type,
                required=True,
                allowed=(RECEIVER_REMOVED, RECEIVER_ADDED),
            )
    if business.doc_type == BUSINESS_REPLACE and not business.replacement_info:
        check.add("missing_replacement", f"{path}/ReplacementInfoList")
    for index, replacement in enumerate(business.replacement_info, start=1):
        item_path = f"{path}/ReplacementInfoList/ReplacementInfo[{index}]"
        check.document_id(f"{item_path}/DocumentId", replacement.document_id, lenient=True)
        for organ_id in replacement.organ_ids:
            check.organ_id(f"{item_path}/OrganIdList/OrganId", organ_id)


def _attachments(check: _Checker, package: DocumentPackage) -> None:
    seen = set()
    for index, attachment in enumerate(package.attachments, start=1):
        path = f"AttachmentEncoded/Attachment[{index}]"
        check.text(f"{path}/ContentId", attachment.content_id, required=True)
        check.text(f"{path}/AttachmentName", attachment.attachment_name, required=True)
        check.text(f"{path}/ContentType", attachment.content_type)
        check.text(f"{path}/Description", attachment.description)
        if attachment.content_id and attachment.content_id in seen:
            check.add("duplicate_content_id", f"{path}/ContentId", value=attachment.content_id)
        seen.add(attachment.content_id)
    listed = {reference.content_id for reference in package.manifest}
    carried = {attachment.content_id for attachment in package.attachments}
    for attachment in package.attachments:
        if attachment.content_id and attachment.content_id not in listed:
            check.add(
                "attachment_not_in_manifest",
                "edXMLManifest",
                value=attachment.attachment_name or attachment.content_id,
            )
    for reference in package.manifest:
        if reference.content_id not in carried:
            check.add(
                "manifest_without_attachment",
                "edXMLManifest/Reference",
                value=reference.attachment_name or reference.content_id,
            )
    if not package.attachments and package.business_doc_type == BUSINESS_NEW:
        check.add("no_attachment", "AttachmentEncoded", WARNING)


def _status(check: _Checker, package: StatusPackage) -> None:
    head = "MessageHeader"
    check.organization(f"{head}/From", package.sender)
    check.response_for(f"{head}/ResponseFor", package.response_for, required=True)
    check.staff(f"{head}/StaffInfo", package.staff_info)
    if not package.status_code:
        check.add("required", f"{head}/StatusCode")
    elif package.status_code not in check.rules.status_codes:
        check.add(
            "invalid_status_code",
            f"{head}/StatusCode",
            value=package.status_code,
            allowed=", ".join(check.rules.status_codes),
        )
    check.text(f"{head}/Description", package.description)
    check.timestamp(f"{head}/Timestamp", package.timestamp, required=True)


def validate(package, *, rules: Rules | None = None, today: dt.date | None = None):
    """Every problem of a ``DocumentPackage`` or ``StatusPackage`` (errors and warnings)."""
    if today is None:
        try:
            from django.utils import timezone

            today = timezone.localdate()
        except Exception:  # outside a configured Django project
            today = dt.date.today()
    check = _Checker(rules or current_rules(), today)
    if isinstance(package, StatusPackage):
        _status(check, package)
    else:
        _document(check, package)
    return check.problems


def check_recipient(package, organ_id: str) -> None:
    """Refuse (``wrong_recipient``) a package not addressed to ``organ_id``.

    A document goes to its ``To`` agencies; a status to the original sender of the
    document it reports on (``ResponseFor/OrganId``).
    """
    if organ_id not in package.recipient_ids:
        raise PackageRefused("wrong_recipient", organ_id=organ_id)
