"""The three real packages of the interop folder parse into the expected values."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from coquan.exchange.edxml import DocumentPackage, StatusPackage, parse_package, validate
from coquan.exchange.edxml.problems import WARNING
from coquan.exchange.edxml.safe import parse_xml
from coquan.exchange.edxml.signing import UNVERIFIABLE, verify_tree
from coquan.exchange.tests.helpers import SAMPLE_NEW, SAMPLE_STATUS, SAMPLE_UPDATE, sample

SHA256 = {
    SAMPLE_NEW: "e023debc6d06d0dea09629b9cd9e12d755c589d78d13f48503de4743a5f01844",
    SAMPLE_UPDATE: "4a6edc04c07a65d3b7d416cc55f9f2920cd8e52aa298df3499abf7a685738992",
    SAMPLE_STATUS: "d9f356427bf19c4cfc633bed01359c7281ddc37f29666477b5481519c0a51fd7",
}


@pytest.mark.parametrize("path", list(SHA256), ids=lambda p: p.name)
def test_samples_are_byte_for_byte_copies(path):
    assert hashlib.sha256(sample(path)).hexdigest() == SHA256[path]


def test_new_document_sample():
    package = parse_package(sample(SAMPLE_NEW))
    assert isinstance(package, DocumentPackage)
    assert package.sender.organ_id == "000.00.11.H53"
    assert package.sender.organ_name == "Sở Tính"
    assert package.sender.organization_in_charge == "Tỉnh Tây Ninh"
    assert package.sender.email == "stc@tayninh.gov.vn"
    assert package.sender.organ_add == ""
    assert [r.organ_id for r in package.recipients] == ["000.00.01.A53"]
    assert package.recipients[0].organ_name == "Văn phòng tỉnh ủy"
    assert package.document_id == "000.00.11.H53,2020/10/30,2491/STC-BCTC"
    assert package.code.code_number == "2491"
    assert package.code.code_notation == "STC-BCTC"
    assert package.code.text == "2491/STC-BCTC"
    assert package.promulgation_info.place == "Tây Ninh"
    # dd/MM/yyyy in this package; yyyy/MM/dd elsewhere: both read as the same date.
    assert package.promulgation_info.promulgation_date == dt.date(2020, 10, 30)
    assert package.document_type.type == 1
    assert package.document_type.type_detail == 0
    assert package.document_type.type_name == "Công văn"
    assert package.subject == "Báo cáo tài chính tỉnh"
    assert package.content == "Báo cáo tài chính tỉnh"
    assert package.signer_info.full_name == ""
    assert package.due_date is None
    assert package.other_info.priority == 0
    assert package.other_info.sphere_of_promulgation == "Liên thông văn bản"
    assert package.other_info.promulgation_amount == 2
    assert package.other_info.page_amount == 22
    assert package.other_info.direction is False
    assert package.other_info.appendixes == [""]
    assert package.steering_type == 1
    assert package.to_places == ["Cac bo va co quan ngang bo", "Uy ban nhan dan cac tinh, TP"]
    assert package.trace_headers[0].organ_id == "000.00.00.G22"
    assert package.trace_headers[0].timestamp == dt.datetime(2018, 9, 28, 0, 0, 0)
    business = package.business
    assert business.doc_type == 0
    assert business.doc_reason == "Văn bản điện tử mới"
    assert business.paper == 0
    assert business.document_id == "000.00.00.G22,2014/02/30,7806/VPCP-TTĐT"
    assert business.staff_info.staff == "Nguyễn Thị Ngọc Trâm"
    assert business.staff_info.mobile == "84912000001"
    assert len(package.attachments) == 1
    attachment = package.attachments[0]
    assert attachment.content_id == "cid:209"
    assert attachment.attachment_name == "1896_QD-TTg_m_294779.doc"
    assert attachment.content_type == "application/zip"
    assert attachment.data.startswith(b"PK\x03\x04")  # a zip file, decoded from base64
    assert attachment.size == 270823
    assert package.manifest[0].content_id == "cid:209"


def test_new_document_sample_has_warnings_only():
    problems = validate(parse_package(sample(SAMPLE_NEW)), today=dt.date(2026, 1, 1))
    assert problems, "the impossible date 2014/02/30 must be reported"
    assert all(p.severity == WARNING for p in problems)
    codes = {p.code for p in problems}
    assert "invalid_document_id_date" in codes
    assert "business_id_differs" in codes


def test_update_sample():
    package = parse_package(sample(SAMPLE_UPDATE))
    assert package.sender.organ_id == "000.00.00.G22"
    assert package.sender.organ_name == "Văn phòng Chính phủ"
    assert package.recipient_ids == ["000.00.00.H53", "000.00.12.H53", "000.00.00.G17"]
    assert package.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert package.code.code_notation == "VPCP-TTĐT"
    assert package.promulgation_info.promulgation_date == dt.date(2018, 9, 28)
    assert package.due_date == dt.date(2018, 9, 28)
    assert package.subject == "V/v kết nối, liên thông phần mềm quản lý văn bản"
    assert package.signer_info.competence == "TL. BO TRUONG"
    assert package.other_info.typer_notation == "TVC"
    assert package.other_info.appendixes == [
        "Công văn về việc kết nối, liên thông phần mềm quản lý văn bản"
    ]
    business = package.business
    assert business.doc_type == 2
    assert business.doc_reason == "Cập nhật văn bản điện tử"
    assert business.document_info.document_info == 1
    assert business.document_info.document_receiver == 1
    changes = [(r.organ_id, r.receiver_type) for r in business.document_info.receivers]
    assert changes == [("000.00.00.H41", 0), ("000.00.00.H14", 1)]
    problems = validate(package, today=dt.date(2026, 1, 1))
    assert all(p.severity == WARNING for p in problems)


def test_status_sample():
    package = parse_package(sample(SAMPLE_STATUS))
    assert isinstance(package, StatusPackage)
    assert package.status_code == "05"
    assert package.description == "Đang xử lý văn bản đến"
    assert package.timestamp == dt.datetime(2015, 9, 20, 11, 8, 36)
    assert package.sender.organ_id == "000.00.00.H41"
    assert package.sender.organ_name == "UBND Tỉnh Nghệ An"
    assert package.response_for.organ_id == "000.00.00.G22"
    assert package.response_for.code == "7816/VPCP-TTĐT"
    assert package.response_for.promulgation_date == dt.date(2015, 9, 30)
    assert package.response_for.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert package.staff_info.staff == "Nguyen thi ngoc tram"
    assert package.staff_info.email == "ngoctram@nghean.vn"
    assert package.recipient_ids == ["000.00.00.G22"]
    assert validate(package) == []


@pytest.mark.parametrize("path", [SAMPLE_NEW, SAMPLE_UPDATE], ids=lambda p: p.name)
def test_truncated_certificate_is_unverifiable_not_a_crash(path):
    tree = parse_xml(sample(path))
    result = verify_tree(tree, sender_organ_id="000.00.11.H53", trusted=lambda organ: [])
    assert result.status == UNVERIFIABLE
    assert result.reason == "bad_certificate"
    assert "cắt cụt" in result.message  # "truncated": Vietnamese is the default language


def test_status_sample_is_reported_unsigned():
    result = verify_tree(parse_xml(sample(SAMPLE_STATUS)), sender_organ_id="000.00.00.H41")
    assert (result.status, result.reason) == (UNVERIFIABLE, "unsigned")
