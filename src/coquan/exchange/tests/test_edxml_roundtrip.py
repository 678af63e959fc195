"""parse(build(x)) == x for any package (hypothesis), Vietnamese text included."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coquan.exchange.edxml import (
    Attachment,
    Business,
    BusinessDocumentInfo,
    Code,
    DocumentPackage,
    DocumentType,
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
    build_document_package,
    build_status_package,
    parse_package,
)
from coquan.exchange.edxml.safe import parse_xml
from coquan.exchange.edxml.signing import VALID, verify_tree
from coquan.exchange.tests.helpers import SENDER, certificate_for, make_package, signer_for
from coquan.org.validators import ORGAN_ID_RE

# Pieces of Vietnamese text: precomposed letters, letters with stacked combining marks
# (e + dot below + circumflex = ệ in NFD; u + horn + acute), đ/Đ, XML special characters.
SEGMENTS = [
    "Việt Nam",
    "Đức",
    "đ",
    "Đ",
    "e\u0323\u0302",
    "u\u031b\u0301",
    "A\u0306\u0300",
    "ường",
    "Quyết định",
    "Thượng khẩn",
    "ữ",
    "ỹ",
    " ",
    "-",
    "/",
    ",",
    "&",
    "<",
    ">",
    '"',
    "'",
    "2026",
    "STTTT-CĐS",
    "V/v",
]

text = st.lists(st.sampled_from(SEGMENTS), max_size=12).map(lambda parts: "".join(parts).strip())
organ_ids = st.from_regex(ORGAN_ID_RE, fullmatch=True)
dates = st.none() | st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))
stamps = st.none() | st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31)
).map(lambda moment: moment.replace(microsecond=0))
small_ints = st.none() | st.integers(min_value=0, max_value=999)
texts = st.lists(text, max_size=3)

organizations = st.builds(
    Organization,
    organ_id=organ_ids,
    organization_in_charge=text,
    organ_name=text,
    organ_add=text,
    email=text,
    telephone=text,
    fax=text,
    website=text,
)
staff = st.none() | st.builds(StaffInfo, department=text, staff=text, mobile=text, email=text)
responses = st.builds(
    ResponseFor, organ_id=organ_ids, code=text, promulgation_date=dates, document_id=text
)
business = st.none() | st.builds(
    Business,
    document_id=text,
    doc_type=st.integers(min_value=0, max_value=3),
    doc_reason=text,
    paper=small_ints,
    staff_info=staff,
    document_info=st.none()
    | st.builds(
        BusinessDocumentInfo,
        document_info=small_ints,
        document_receiver=small_ints,
        receivers=st.lists(
            st.builds(Receiver, organ_id=organ_ids, receiver_type=small_ints), max_size=3
        ),
    ),
    replacement_info=st.lists(
        st.builds(ReplacementInfo, document_id=text, organ_ids=st.lists(organ_ids, max_size=3)),
        max_size=2,
    ),
)
attachments = st.lists(
    st.builds(
        Attachment,
        content_id=text,
        attachment_name=text,
        description=text,
        content_type=text,
        data=st.binary(max_size=300),
    ),
    max_size=3,
)

documents = st.builds(
    DocumentPackage,
    sender=organizations,
    recipients=st.lists(organizations, max_size=3),
    document_id=text,
    code=st.builds(Code, code_number=text, code_notation=text),
    promulgation_info=st.builds(PromulgationInfo, place=text, promulgation_date=dates),
    document_type=st.builds(DocumentType, type=small_ints, type_detail=small_ints, type_name=text),
    subject=text,
    content=text,
    signer_info=st.builds(SignerInfo, competence=text, position=text, full_name=text),
    due_date=dates,
    other_info=st.builds(
        OtherInfo,
        priority=small_ints,
        sphere_of_promulgation=text,
        typer_notation=text,
        promulgation_amount=small_ints,
        page_amount=small_ints,
        direction=st.none() | st.booleans(),
        appendixes=texts,
    ),
    steering_type=small_ints,
    to_places=texts,
    response_for=st.lists(responses, max_size=2),
    trace_headers=st.lists(
        st.builds(TraceHeader, organ_id=organ_ids, timestamp=stamps), max_size=3
    ),
    business=business,
    attachments=attachments,
)

statuses = st.builds(
    StatusPackage,
    sender=organizations,
    response_for=responses,
    staff_info=staff,
    status_code=st.sampled_from(["01", "02", "03", "04", "05", "06", "13", "15", "16"]),
    description=text,
    timestamp=stamps,
)

ROUND_TRIP = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(documents)
def test_document_package_round_trip(package):
    assert parse_package(build_document_package(package)) == package


@ROUND_TRIP
@given(statuses)
def test_status_package_round_trip(package):
    assert parse_package(build_status_package(package)) == package


def test_round_trip_keeps_stacked_diacritics_byte_for_byte():
    subject = "Về việc tổ chức Ngày Chuyển đổi số; e\u0323\u0302 ≠ ệ; Đường Hùng Vương & <Đồng>"
    package = make_package(subject=subject)
    back = parse_package(build_document_package(package))
    assert back == package
    assert back.subject == subject
    assert "e\u0323\u0302" in back.subject and "ệ" in back.subject


def test_signed_package_round_trips_and_verifies():
    package = make_package()
    data = build_document_package(package, signer=signer_for(SENDER))
    assert b"<ds:Signature" in data
    assert parse_package(data) == package
    result = verify_tree(
        parse_xml(data), sender_organ_id=SENDER, trusted=lambda organ: [certificate_for(SENDER)]
    )
    assert result.status == VALID


def test_built_package_uses_the_layout_of_real_packages():
    data = build_document_package(make_package())
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">' in data
    assert b"<edXML:Bussiness>" in data  # the standard's spelling, kept verbatim
    assert b"<edXML:BussinessDocType>0</edXML:BussinessDocType>" in data
    assert b"<AttachmentEncoded><Attachment>" in data
    assert b"<edXML:PromulgationDate>2026/03/02</edXML:PromulgationDate>" in data
