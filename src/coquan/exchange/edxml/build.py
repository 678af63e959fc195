"""Writing packages: ``DocumentPackage`` / ``StatusPackage`` → UTF-8 bytes.

The layout follows the real packages of the interop samples: the root ``edXML`` declares
the QCVN 102 namespace as default, the envelope declares the ``edXML:`` prefix, attachments
follow the envelope in ``AttachmentEncoded``. Element order follows the samples (the
standard's schema is not public; parsers read in any order). With a ``signer`` the package
is signed (enveloped XML-DSig, ``signing.sign_tree``) in ``edXMLHeader`` after the trace.
"""

from __future__ import annotations

import base64
import re

from lxml import etree

from coquan.exchange.edxml.codes import DSIG_NS, NS, PREFIX, ds, q
from coquan.exchange.edxml.model import (
    Business,
    DocumentPackage,
    Organization,
    ResponseFor,
    StaffInfo,
    StatusPackage,
)
from coquan.exchange.edxml.values import (
    write_bool,
    write_date,
    write_int,
    write_timestamp,
)

B64_LINE = 76
# Characters XML 1.0 cannot carry (control characters, surrogates, U+FFFE/U+FFFF): text
# from the database (pasted from office documents) may contain them; they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _add(parent, name: str, text: str | None = None, **kwargs):
    element = etree.SubElement(parent, q(name), **kwargs)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _organization(parent, name: str, org: Organization) -> None:
    element = _add(parent, name)
    _add(element, "OrganId", org.organ_id)
    _add(element, "OrganizationInCharge", org.organization_in_charge)
    _add(element, "OrganName", org.organ_name)
    _add(element, "OrganAdd", org.organ_add)
    _add(element, "Email", org.email)
    _add(element, "Telephone", org.telephone)
    _add(element, "Fax", org.fax)
    _add(element, "Website", org.website)


def _response_for(parent, value: ResponseFor) -> None:
    element = _add(parent, "ResponseFor")
    _add(element, "OrganId", value.organ_id)
    _add(element, "Code", value.code)
    _add(element, "PromulgationDate", write_date(value.promulgation_date))
    _add(element, "DocumentId", value.document_id)


def _staff_info(parent, value: StaffInfo | None) -> None:
    if value is None:
        return
    element = _add(parent, "StaffInfo")
    _add(element, "Department", value.department)
    _add(element, "Staff", value.staff)
    _add(element, "Mobile", value.mobile)
    _add(element, "Email", value.email)


def _business(parent, value: Business) -> None:
    element = _add(parent, "Bussiness")
    _add(element, "DocumentId", value.document_id)
    _add(element, "BussinessDocType", write_int(value.doc_type))
    _add(element, "BussinessDocReason", value.doc_reason)
    if value.paper is not None:
        _add(element, "Paper", write_int(value.paper))
    if value.document_info is not None:
        info = _add(element, "BussinessDocumentInfo")
        _add(info, "DocumentInfo", write_int(value.document_info.document_info))
        _add(info, "DocumentReceiver", write_int(value.document_info.document_receiver))
        receivers = _add(info, "ReceiverList")
        for receiver in value.document_info.receivers:
            item = _add(receivers, "Receiver")
            _add(item, "OrganId", receiver.organ_id)
            _add(item, "ReceiverType", write_int(receiver.receiver_type))
    if value.replacement_info:
        replacements = _add(element, "ReplacementInfoList")
        for replacement in value.replacement_info:
            item = _add(replacements, "ReplacementInfo")
            _add(item, "DocumentId", replacement.document_id)
            organs = _add(item, "OrganIdList")
            for organ_id in replacement.organ_ids:
                _add(organs, "OrganId", organ_id)
    _staff_info(element, value.staff_info)


def _envelope():
    root = etree.Element(q("edXML"), nsmap={None: NS})
    envelope = _add(root, "edXMLEnvelope", nsmap={PREFIX: NS})
    header = _add(envelope, "edXMLHeader")
    message = _add(header, "MessageHeader")
    return root, envelope, header, message


def _encode(data: bytes) -> str:
    text = base64.b64encode(data).decode("ascii")
    return "\n".join(text[i : i + B64_LINE] for i in range(0, len(text), B64_LINE))


def document_tree(package: DocumentPackage) -> etree._Element:
    """The lxml tree of a document package (unsigned)."""
    root, envelope, header, message = _envelope()
    _organization(message, "From", package.sender)
    for recipient in package.recipients:
        _organization(message, "To", recipient)
    _add(message, "DocumentId", package.document_id)
    code = _add(message, "Code")
    _add(code, "CodeNumber", package.code.code_number)
    _add(code, "CodeNotation", package.code.code_notation)
    promulgation = _add(message, "PromulgationInfo")
    _add(promulgation, "Place", package.promulgation_info.place)
    _add(
        promulgation,
        "PromulgationDate",
        write_date(package.promulgation_info.promulgation_date),
    )
    doc_type = _add(message, "DocumentType")
    _add(doc_type, "Type", write_int(package.document_type.type))
    _add(doc_type, "TypeDetail", write_int(package.document_type.type_detail))
    _add(doc_type, "TypeName", package.document_type.type_name)
    _add(message, "Subject", package.subject)
    _add(message, "Content", package.content)
    signer = _add(message, "SignerInfo")
    _add(signer, "Competence", package.signer_info.competence)
    _add(signer, "Position", package.signer_info.position)
    _add(signer, "FullName", package.signer_info.full_name)
    _add(message, "DueDate", write_date(package.due_date))
    other = _add(message, "OtherInfo")
    info = package.other_info
    _add(other, "Priority", write_int(info.priority))
    _add(other, "SphereOfPromulgation", info.sphere_of_promulgation)
    _add(other, "TyperNotation", info.typer_notation)
    _add(other, "PromulgationAmount", write_int(info.promulgation_amount))
    _add(other, "PageAmount", write_int(info.page_amount))
    _add(other, "Direction", write_bool(info.direction))
    appendixes = _add(other, "Appendixes")
    for appendix in info.appendixes:
        _add(appendixes, "Appendix", appendix)
    _add(message, "SteeringType", write_int(package.steering_type))
    places = _add(message, "ToPlaces")
    for place in package.to_places:
        _add(places, "Place", place)
    for response in package.response_for:
        _response_for(message, response)

    trace = _add(header, "TraceHeaderList")
    for item in package.trace_headers:
        element = _add(trace, "TraceHeader")
        _add(element, "OrganId", item.organ_id)
        _add(element, "Timestamp", write_timestamp(item.timestamp))
    if package.business is not None:
        _business(trace, package.business)

    body = _add(envelope, "edXMLBody")
    manifest = _add(body, "edXMLManifest", version="1.0")
    for reference in package.manifest:
        element = _add(manifest, "Reference")
        _add(element, "ContentId", reference.content_id)
        _add(element, "ContentType", reference.content_type)
        _add(element, "Description", reference.description)
        _add(element, "AttachmentName", reference.attachment_name)
    if package.attachments:
        encoded = _add(root, "AttachmentEncoded")
        for attachment in package.attachments:
            element = _add(encoded, "Attachment")
            _add(element, "ContentId", attachment.content_id)
            _add(element, "AttachmentName", attachment.attachment_name)
            _add(element, "Description", attachment.description)
            _add(element, "ContentType", attachment.content_type)
            _add(
                element,
                "ContentTransferEncoded",
                _encode(attachment.data),
                nsmap={PREFIX: NS},
            )
    return root


def status_tree(package: StatusPackage) -> etree._Element:
    """The lxml tree of a status package (unsigned)."""
    root, _envelope_element, _header, message = _envelope()
    _organization(message, "From", package.sender)
    _response_for(message, package.response_for)
    _staff_info(message, package.staff_info)
    _add(message, "StatusCode", package.status_code)
    _add(message, "Description", package.description)
    _add(message, "Timestamp", write_timestamp(package.timestamp))
    return root


def _serialise(root, signer) -> bytes:
    if signer is not None:
        from coquan.exchange.edxml.signing import sign_tree

        header = root.find(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}")
        etree.SubElement(header, ds("Signature"), Id="placeholder", nsmap={"ds": DSIG_NS})
        root = sign_tree(root, signer)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def build_document_package(package: DocumentPackage, *, signer=None) -> bytes:
    """UTF-8 bytes of a document package; signed when a ``signing.Signer`` is given."""
    return _serialise(document_tree(package), signer)


def build_status_package(package: StatusPackage, *, signer=None) -> bytes:
    """UTF-8 bytes of a status package; signed when a ``signing.Signer`` is given."""
    return _serialise(status_tree(package), signer)


def build_package(package, *, signer=None) -> bytes:
    if isinstance(package, StatusPackage):
        return build_status_package(package, signer=signer)
    return build_document_package(package, signer=signer)
