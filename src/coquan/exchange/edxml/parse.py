"""Reading a package: bytes → ``DocumentPackage`` or ``StatusPackage``.

``parse_package`` first parses through the hardened parser (``safe.parse_xml``), then reads
the tree. Structure problems refuse the whole package (``PackageRefused``): no
``MessageHeader``, an element that must be single appearing twice (two ``MessageHeader``,
two ``From``, two ``Subject`` ...), too many attachments, bad base64. Field values are read
leniently (see ``values``) and checked by ``validate``. Element order is not significant;
unknown elements are ignored (later versions of the standard may add some).
"""

from __future__ import annotations

from lxml import etree

from coquan.exchange.edxml.codes import q
from coquan.exchange.edxml.config import Limits, current_limits
from coquan.exchange.edxml.model import (
    Attachment,
    Business,
    BusinessDocumentInfo,
    Code,
    DocumentPackage,
    DocumentType,
    ManifestReference,
    Organization,
    OtherInfo,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusPackage,
    TraceHeader,
)
from coquan.exchange.edxml.problems import PackageRefused
from coquan.exchange.edxml.safe import decode_base64, parse_xml
from coquan.exchange.edxml.values import read_bool, read_date, read_int, read_timestamp


def _children(element, name: str) -> list:
    tag = q(name)
    return [child for child in element if child.tag == tag]


def _one(element, name: str, path: str, *, required: bool = False):
    found = _children(element, name)
    if len(found) > 1:
        raise PackageRefused("duplicate_element", path=f"{path}/{name}")
    if not found:
        if required:
            raise PackageRefused("missing_element", path=f"{path}/{name}")
        return None
    return found[0]


def _text(element, name: str, path: str) -> str:
    child = _one(element, name, path) if element is not None else None
    if child is None:
        return ""
    return (child.text or "").strip()


def _texts(element, name: str) -> list[str]:
    if element is None:
        return []
    return [(child.text or "").strip() for child in _children(element, name)]


def _organization(element, path: str) -> Organization:
    return Organization(
        organ_id=_text(element, "OrganId", path),
        organization_in_charge=_text(element, "OrganizationInCharge", path),
        organ_name=_text(element, "OrganName", path),
        organ_add=_text(element, "OrganAdd", path),
        email=_text(element, "Email", path),
        telephone=_text(element, "Telephone", path),
        fax=_text(element, "Fax", path),
        website=_text(element, "Website", path),
    )


def _response_for(element, path: str) -> ResponseFor:
    return ResponseFor(
        organ_id=_text(element, "OrganId", path),
        code=_text(element, "Code", path),
        promulgation_date=read_date(_text(element, "PromulgationDate", path)),
        document_id=_text(element, "DocumentId", path),
    )


def _staff_info(element, path: str) -> StaffInfo | None:
    if element is None:
        return None
    return StaffInfo(
        department=_text(element, "Department", path),
        staff=_text(element, "Staff", path),
        mobile=_text(element, "Mobile", path),
        email=_text(element, "Email", path),
    )


def _business(element, path: str) -> Business:
    info_element = _one(element, "BussinessDocumentInfo", path)
    document_info = None
    if info_element is not None:
        info_path = f"{path}/BussinessDocumentInfo"
        receivers = []
        receiver_list = _one(info_element, "ReceiverList", info_path)
        if receiver_list is not None:
            for receiver in _children(receiver_list, "Receiver"):
                receiver_path = f"{info_path}/ReceiverList/Receiver"
                receivers.append(
                    Receiver(
                        organ_id=_text(receiver, "OrganId", receiver_path),
                        receiver_type=read_int(_text(receiver, "ReceiverType", receiver_path)),
                    )
                )
        document_info = BusinessDocumentInfo(
            document_info=read_int(_text(info_element, "DocumentInfo", info_path)),
            document_receiver=read_int(_text(info_element, "DocumentReceiver", info_path)),
            receivers=receivers,
        )
    replacements = []
    replacement_list = _one(element, "ReplacementInfoList", path)
    if replacement_list is not None:
        for item in _children(replacement_list, "ReplacementInfo"):
            item_path = f"{path}/ReplacementInfoList/ReplacementInfo"
            organ_list = _one(item, "OrganIdList", item_path)
            replacements.append(
                ReplacementInfo(
                    document_id=_text(item, "DocumentId", item_path),
                    organ_ids=_texts(organ_list, "OrganId"),
                )
            )
    return Business(
        document_id=_text(element, "DocumentId", path),
        doc_type=read_int(_text(element, "BussinessDocType", path)),
        doc_reason=_text(element, "BussinessDocReason", path),
        paper=read_int(_text(element, "Paper", path)),
        staff_info=_staff_info(_one(element, "StaffInfo", path), f"{path}/StaffInfo"),
        document_info=document_info,
        replacement_info=replacements,
    )


def _attachments(root, limits: Limits) -> list[Attachment]:
    encoded = _one(root, "AttachmentEncoded", "edXML")
    if encoded is None:
        return []
    items = _children(encoded, "Attachment")
    if len(items) > limits.max_attachments:
        raise PackageRefused("too_many_attachments", limit=limits.max_attachments)
    attachments = []
    path = "edXML/AttachmentEncoded/Attachment"
    for item in items:
        name = _text(item, "AttachmentName", path) or _text(item, "ContentId", path) or "?"
        body = _one(item, "ContentTransferEncoded", path)
        data = decode_base64(body.text if body is not None else "", name=name, limits=limits)
        attachments.append(
            Attachment(
                content_id=_text(item, "ContentId", path),
                attachment_name=_text(item, "AttachmentName", path),
                description=_text(item, "Description", path),
                content_type=_text(item, "ContentType", path),
                data=data,
            )
        )
    return attachments


def _manifest(envelope) -> list[ManifestReference]:
    body = _one(envelope, "edXMLBody", "edXML/edXMLEnvelope")
    if body is None:
        return []
    manifest = _one(body, "edXMLManifest", "edXML/edXMLEnvelope/edXMLBody")
    if manifest is None:
        return []
    path = "edXMLManifest/Reference"
    return [
        ManifestReference(
            content_id=_text(item, "ContentId", path),
            content_type=_text(item, "ContentType", path),
            description=_text(item, "Description", path),
            attachment_name=_text(item, "AttachmentName", path),
        )
        for item in _children(manifest, "Reference")
    ]


def _status(message, path: str) -> StatusPackage:
    sender = _one(message, "From", path)
    response_for = _one(message, "ResponseFor", path)
    return StatusPackage(
        sender=_organization(sender, f"{path}/From") if sender is not None else Organization(),
        response_for=_response_for(response_for, f"{path}/ResponseFor")
        if response_for is not None
        else ResponseFor(),
        staff_info=_staff_info(_one(message, "StaffInfo", path), f"{path}/StaffInfo"),
        status_code=_text(message, "StatusCode", path),
        description=_text(message, "Description", path),
        timestamp=read_timestamp(_text(message, "Timestamp", path)),
    )


def _document(root, envelope, header, message, path: str, limits: Limits) -> DocumentPackage:
    sender = _one(message, "From", path)
    code = _one(message, "Code", path)
    promulgation = _one(message, "PromulgationInfo", path)
    doc_type = _one(message, "DocumentType", path)
    signer = _one(message, "SignerInfo", path)
    other = _one(message, "OtherInfo", path)
    to_places = _one(message, "ToPlaces", path)
    appendixes = _one(other, "Appendixes", f"{path}/OtherInfo") if other is not None else None

    trace_list = _one(header, "TraceHeaderList", "edXMLHeader")
    trace_headers = []
    business_element = None
    if trace_list is not None:
        trace_path = "edXMLHeader/TraceHeaderList"
        for item in _children(trace_list, "TraceHeader"):
            trace_headers.append(
                TraceHeader(
                    organ_id=_text(item, "OrganId", f"{trace_path}/TraceHeader"),
                    timestamp=read_timestamp(_text(item, "Timestamp", f"{trace_path}/TraceHeader")),
                )
            )
        business_element = _one(trace_list, "Bussiness", trace_path)
    if business_element is None:
        business_element = _one(header, "Bussiness", "edXMLHeader")

    return DocumentPackage(
        sender=_organization(sender, f"{path}/From") if sender is not None else Organization(),
        recipients=[_organization(item, f"{path}/To") for item in _children(message, "To")],
        document_id=_text(message, "DocumentId", path),
        code=Code(
            code_number=_text(code, "CodeNumber", f"{path}/Code"),
            code_notation=_text(code, "CodeNotation", f"{path}/Code"),
        ),
        promulgation_info=PromulgationInfo(
            place=_text(promulgation, "Place", f"{path}/PromulgationInfo"),
            promulgation_date=read_date(
                _text(promulgation, "PromulgationDate", f"{path}/PromulgationInfo")
            ),
        ),
        document_type=DocumentType(
            type=read_int(_text(doc_type, "Type", f"{path}/DocumentType")),
            type_detail=read_int(_text(doc_type, "TypeDetail", f"{path}/DocumentType")),
            type_name=_text(doc_type, "TypeName", f"{path}/DocumentType"),
        ),
        subject=_text(message, "Subject", path),
        content=_text(message, "Content", path),
        signer_info=SignerInfo(
            competence=_text(signer, "Competence", f"{path}/SignerInfo"),
            position=_text(signer, "Position", f"{path}/SignerInfo"),
            full_name=_text(signer, "FullName", f"{path}/SignerInfo"),
        ),
        due_date=read_date(_text(message, "DueDate", path)),
        other_info=OtherInfo(
            priority=read_int(_text(other, "Priority", f"{path}/OtherInfo")),
            sphere_of_promulgation=_text(other, "SphereOfPromulgation", f"{path}/OtherInfo"),
            typer_notation=_text(other, "TyperNotation", f"{path}/OtherInfo"),
            promulgation_amount=read_int(_text(other, "PromulgationAmount", f"{path}/OtherInfo")),
            page_amount=read_int(_text(other, "PageAmount", f"{path}/OtherInfo")),
            direction=read_bool(_text(other, "Direction", f"{path}/OtherInfo")),
            appendixes=_texts(appendixes, "Appendix"),
        ),
        steering_type=read_int(_text(message, "SteeringType", path)),
        to_places=_texts(to_places, "Place"),
        response_for=[
            _response_for(item, f"{path}/ResponseFor") for item in _children(message, "ResponseFor")
        ],
        trace_headers=trace_headers,
        business=_business(business_element, "TraceHeaderList/Bussiness")
        if business_element is not None
        else None,
        attachments=_attachments(root, limits),
        manifest=_manifest(envelope),
    )


def read_tree(root: etree._Element, limits: Limits | None = None):
    """Read an already safely parsed tree (see ``safe.parse_xml``) into a package."""
    limits = limits or current_limits()
    envelope = _one(root, "edXMLEnvelope", "edXML", required=True)
    header = _one(envelope, "edXMLHeader", "edXMLEnvelope", required=True)
    message = _one(header, "MessageHeader", "edXMLHeader", required=True)
    path = "MessageHeader"
    if _one(message, "StatusCode", path) is not None:
        return _status(message, path)
    return _document(root, envelope, header, message, path, limits)


def parse_package(data: bytes, *, limits: Limits | None = None):
    """Parse received bytes into a ``DocumentPackage`` or ``StatusPackage``.

    Raises ``PackageRefused`` for unsafe or structurally broken input; never anything else
    for any input bytes.
    """
    limits = limits or current_limits()
    return read_tree(parse_xml(data, limits), limits)


def refusal_target(root: etree._Element) -> ResponseFor | None:
    """Whom a status 02 about this tree can go to, read leniently, or None.

    Used when the package cannot be read in full (duplicate elements, bad base64 ...): the
    refusal still reaches the sender when there is exactly one ``MessageHeader`` with
    exactly one ``From`` whose ``OrganId`` is well formed. Status packages get no answer.
    """
    from coquan.org.validators import ORGAN_ID_RE

    headers = root.findall(f"{q('edXMLEnvelope')}/{q('edXMLHeader')}/{q('MessageHeader')}")
    if len(headers) != 1:
        return None
    message = headers[0]
    if message.find(q("StatusCode")) is not None:
        return None
    senders = _children(message, "From")
    if len(senders) != 1:
        return None
    organ_ids = _texts(senders[0], "OrganId")
    if len(organ_ids) != 1 or not ORGAN_ID_RE.match(organ_ids[0]):
        return None

    def single(element, name):
        values = _texts(element, name) if element is not None else []
        return values[0] if len(values) == 1 else ""

    codes = _children(message, "Code")
    code = codes[0] if len(codes) == 1 else None
    number, notation = single(code, "CodeNumber"), single(code, "CodeNotation")
    promulgations = _children(message, "PromulgationInfo")
    promulgation = promulgations[0] if len(promulgations) == 1 else None
    issued = read_date(single(promulgation, "PromulgationDate"))
    return ResponseFor(
        organ_id=organ_ids[0],
        code=f"{number}/{notation}" if number and notation else number or notation,
        promulgation_date=issued if not isinstance(issued, str) else None,
        document_id=single(message, "DocumentId"),
    )
