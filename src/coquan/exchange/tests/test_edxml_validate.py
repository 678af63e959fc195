"""``validate`` lists every problem of a package at once; ``check_recipient`` refuses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

import pytest

from coquan.exchange.edxml import (
    Business,
    Code,
    ManifestReference,
    Organization,
    OtherInfo,
    PackageRefused,
    PromulgationInfo,
    ResponseFor,
    StatusPackage,
    build_document_package,
    check_recipient,
    parse_package,
    validate,
)
from coquan.exchange.edxml.problems import ERROR, WARNING
from coquan.exchange.edxml.validate import make_document_id, parse_document_id
from coquan.exchange.tests.helpers import RECIPIENT, SENDER, make_package

TODAY = dt.date(2026, 3, 10)


def codes(problems, severity=None):
    return sorted(p.code for p in problems if severity is None or p.severity == severity)


def by_path(problems):
    return {p.path: p.code for p in problems}


def test_a_complete_package_has_no_problem():
    assert validate(make_package(), today=TODAY) == []


def test_every_problem_is_listed_at_once():
    package = make_package(
        recipients=(),
        subject="",
        document_id="125/STTTT",
        other_info=OtherInfo(priority=7, page_amount=-1, promulgation_amount="nhiều"),
        steering_type=9,
    )
    package.sender = Organization(organ_id="H06", email="not-an-address")
    package.code = Code(code_number="", code_notation="X" * 31)
    package.promulgation_info = PromulgationInfo(place="Bắc Giang", promulgation_date="31/02/2026")
    problems = validate(package, today=TODAY)
    found = by_path(problems)
    assert found["MessageHeader/From/OrganId"] == "invalid_organ_id"
    assert found["MessageHeader/From/Email"] == "invalid_email"
    assert found["MessageHeader/To"] == "no_recipient"
    assert found["MessageHeader/Subject"] == "required"
    assert found["MessageHeader/DocumentId"] == "invalid_document_id"
    assert found["MessageHeader/Code/CodeNumber"] == "required"
    assert found["MessageHeader/Code/CodeNotation"] == "too_long"
    assert found["MessageHeader/PromulgationInfo/PromulgationDate"] == "invalid_date"
    assert found["MessageHeader/OtherInfo/Priority"] == "out_of_range"
    assert found["MessageHeader/OtherInfo/PageAmount"] == "negative"
    assert found["MessageHeader/OtherInfo/PromulgationAmount"] == "invalid_number"
    assert found["MessageHeader/SteeringType"] == "out_of_range"
    assert len([p for p in problems if p.severity == ERROR]) >= 12


def test_both_date_formats_of_real_packages_are_read():
    package = make_package()
    data = build_document_package(package).replace(
        b"<edXML:PromulgationDate>2026/03/02</edXML:PromulgationDate>",
        b"<edXML:PromulgationDate>02/03/2026</edXML:PromulgationDate>",
    )
    back = parse_package(data)
    assert back.promulgation_info.promulgation_date == dt.date(2026, 3, 2)
    assert validate(back, today=TODAY) == []


def test_a_date_in_the_future_is_an_error():
    package = make_package(issued=dt.date(2026, 3, 11))
    assert by_path(validate(package, today=TODAY)) == {
        "MessageHeader/PromulgationInfo/PromulgationDate": "future_date"
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("000.00.00.G22,2015/09/30,7816/VPCP-TTĐT", None),
        ("000.00.00.G22,2014/02/30,7806/VPCP-TTĐT", "invalid_document_id_date"),
        ("000.00.00.G22,30/09/2015,7816/VPCP-TTĐT", "invalid_document_id"),
        ("000.00.00.G22,2015/09/30,7816", "invalid_document_id"),
        ("G22,2015/09/30,7816/VPCP", "invalid_document_id"),
        ("", "required"),
    ],
)
def test_document_id_format(value, expected):
    package = make_package(document_id=value)
    problems = [p for p in validate(package, today=TODAY) if p.path == "MessageHeader/DocumentId"]
    errors = [p.code for p in problems if p.severity == ERROR]
    assert errors == ([expected] if expected else [])


def test_document_id_helpers():
    value = make_document_id("000.00.14.H06", dt.date(2026, 3, 2), "125", "STTTT-CĐS")
    assert value == "000.00.14.H06,2026/03/02,125/STTTT-CĐS"
    parts = parse_document_id(value)
    assert parts["organ_id"] == "000.00.14.H06"
    assert parts["date"] == dt.date(2026, 3, 2)
    assert (parts["number"], parts["notation"]) == ("125", "STTTT-CĐS")


def test_identifier_that_disagrees_with_the_document_is_a_warning():
    package = make_package(document_id="000.00.14.H06,2026/03/01,126/STTTT-CĐS")
    problems = validate(package, today=TODAY)
    assert codes(problems, ERROR) == []
    mismatches = [p.params["part"] for p in problems if p.code == "document_id_mismatch"]
    assert sorted(mismatches) == ["date", "number"]
    # the Bussiness block still names the package's original identifier
    assert codes(problems, WARNING).count("business_id_differs") == 1


def test_lengths_count_characters_as_the_database_does():
    decomposed = unicodedata.normalize("NFD", "ệ" * 500)  # 1 500 code points, 500 letters
    assert validate(make_package(subject=decomposed), today=TODAY) == []
    problems = validate(make_package(subject="ệ" * 501), today=TODAY)
    assert [(p.code, p.params["length"], p.params["limit"]) for p in problems] == [
        ("too_long", 501, 500)
    ]


def test_document_types_are_configurable(settings):
    package = make_package()
    package.document_type.type = 3
    assert codes(validate(package, today=TODAY)) == ["out_of_range"]
    settings.COQUAN_EXCHANGE_DOCUMENT_TYPES = (1, 2, 3)
    assert validate(package, today=TODAY) == []


def test_field_limits_are_configurable(settings):
    settings.COQUAN_EXCHANGE_FIELD_LIMITS = {"Subject": 20}
    assert codes(validate(make_package(), today=TODAY)) == ["too_long"]


def test_recipients_must_be_distinct():
    package = make_package(recipients=(RECIPIENT, "000.02.40.H06", RECIPIENT))
    assert by_path(validate(package, today=TODAY)) == {
        "MessageHeader/To[3]/OrganId": "duplicate_recipient"
    }


def test_manifest_and_attachments_must_agree():
    package = make_package()
    package.manifest = [ManifestReference(content_id="cid:9", attachment_name="khac.pdf")]
    assert codes(validate(package, today=TODAY)) == [
        "attachment_not_in_manifest",
        "manifest_without_attachment",
    ]


def test_business_doc_type_and_replacement():
    package = make_package()
    package.business = Business(document_id=package.document_id, doc_type=5)
    assert codes(validate(package, today=TODAY), ERROR) == ["out_of_range"]
    package.business = Business(document_id=package.document_id, doc_type=3)
    assert codes(validate(package, today=TODAY), ERROR) == ["missing_replacement"]
    package.business = Business(document_id="", doc_type=1)
    assert codes(validate(package, today=TODAY), ERROR) == ["required"]
    package.business = None
    assert codes(validate(package, today=TODAY)) == ["missing_business"]


def test_status_package_checks():
    status = StatusPackage(
        sender=Organization(organ_id=RECIPIENT),
        response_for=ResponseFor(
            organ_id=SENDER,
            code="125/STTTT-CĐS",
            promulgation_date=dt.date(2026, 3, 2),
            document_id=f"{SENDER},2026/03/02,125/STTTT-CĐS",
        ),
        status_code="07",
        timestamp=None,
    )
    assert by_path(validate(status)) == {
        "MessageHeader/StatusCode": "invalid_status_code",
        "MessageHeader/Timestamp": "required",
    }
    status = dataclasses.replace(status, status_code="03", timestamp=dt.datetime(2026, 3, 3, 8))
    assert validate(status) == []


def test_check_recipient():
    package = make_package()
    check_recipient(package, RECIPIENT)
    with pytest.raises(PackageRefused) as refused:
        check_recipient(package, "000.02.40.H06")
    assert refused.value.code == "wrong_recipient"
    assert "000.02.40.H06" in refused.value.message
