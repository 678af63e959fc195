"""Fixtures of the search tests: an agency with real Vietnamese documents, registered through
the documents app's ``register_incoming`` action and indexed by the queued task on commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.test import TestCase
from django.utils import timezone

from coquan.core.testing.factories import AgencyFactory, UnitFactory, make_member
from coquan.documents import actions
from coquan.documents.models import DocumentType
from coquan.documents.tests.conftest import ensure_reference_data
from coquan.search.backends import get_backend


@dataclass
class Desk:
    """One agency (clerk, leader, officers, a unit), another agency, and their documents."""

    agency: object
    other: object
    unit: object
    clerk: object
    leader: object
    officer: object
    bystander: object
    outsider: object
    docs: dict = field(default_factory=dict)
    _numbers: list = field(default_factory=lambda: [100])

    @property
    def backend(self):
        return get_backend()

    def doc_type(self, code: str = "cong-van"):
        return DocumentType.objects.get(agency=None, code=code)

    def register(self, actor=None, *, type_code="cong-van", **overrides):
        """Register through the real action; the index task runs when the commit happens."""
        self._numbers[0] += 1
        values = {
            "agency": self.agency,
            "document_type": self.doc_type(type_code),
            "subject": "V/v triển khai chuyển đổi số năm 2026",
            "issued_date": timezone.localdate() - dt.timedelta(days=3),
            "issuer_name": "Bộ Khoa học và Công nghệ",
            "code_number": str(self._numbers[0]),
            "code_notation": "BKHCN-CĐS",
        }
        values.update(overrides)
        with TestCase.captureOnCommitCallbacks(execute=True):
            return actions.register_incoming(actor or self.clerk, **values)

    def search(self, text, user=None, **kwargs):
        return self.backend.search(text, user or self.clerk, agency=self.agency, **kwargs)

    def titles(self, text, user=None, **kwargs) -> list[str]:
        return [hit.title for hit in self.search(text, user, **kwargs).hits]


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Document types and roles exist in every database test (a flush removes them)."""
    if request.node.get_closest_marker("django_db") or {"db", "desk", "world"} & set(
        request.fixturenames
    ):
        request.getfixturevalue("db")
        ensure_reference_data()


@pytest.fixture
def desk(db):
    agency = AgencyFactory(
        organ_id="000.00.21.H10", name="Sở Thông tin và Truyền thông", short_name="STTTT"
    )
    other = AgencyFactory(organ_id="000.00.22.H10", name="Sở Tài chính", short_name="STC")
    unit = UnitFactory(agency=agency, code="BCVT", name="Phòng Bưu chính Viễn thông")
    return Desk(
        agency=agency,
        other=other,
        unit=unit,
        clerk=make_member(agency, "clerk", username="vt_search", full_name="Trần Thị Thư"),
        leader=make_member(agency, "leader", username="ld_search", full_name="Lê Văn Đạt"),
        officer=make_member(
            agency, "officer", unit=unit, username="cv_search", full_name="Đỗ Văn Chuyên"
        ),
        bystander=make_member(agency, "officer", username="cv_khac", full_name="Vũ Thị Khác"),
        outsider=make_member(other, "clerk", "leader", "officer", username="ngoai_search"),
    )


#: Real titles of the kind a provincial department receives, with their numbers.
GOLDEN = {
    "licence": {
        "subject": "Quyết định cấp phép xuất bản bản tin Thông tin Khoa học và Công nghệ",
        "code_number": "05",
        "code_notation": "QĐ-UBND",
        "issuer_name": "Ủy ban nhân dân tỉnh Bắc Giang",
        "type_code": "quyet-dinh",
        "signer_position": "Chủ tịch",
        "signer_name": "Nguyễn Văn Lĩnh",
    },
    "dongda": {
        "subject": "V/v điều chỉnh quy hoạch chi tiết khu đô thị mới quận Đống Đa",
        "code_number": "1287",
        "code_notation": "UBND-ĐT",
        "issuer_name": "Ủy ban nhân dân thành phố Hà Nội",
    },
    "budget": {
        "subject": "Báo cáo tình hình thực hiện dự toán ngân sách nhà nước quý III năm 2025",
        "code_number": "2491",
        "code_notation": "STC-BCTC",
        "issuer_name": "Sở Tài chính",
        "type_code": "bao-cao",
    },
    "tones": {
        "subject": "Hướng dẫn thực hiện cập nhật dữ liệu đặc thù của các hoạt động hợp tác quốc tế",
        "code_number": "318",
        "code_notation": "HD-BTTTT",
        "issuer_name": "Bộ Thông tin và Truyền thông",
        "type_code": "huong-dan",
    },
    "founding": {
        "subject": "Quyết định thành lập Trung tâm Công nghệ thông tin và Truyền thông",
        "code_number": "77",
        "code_notation": "QĐ-UBND",
        "issuer_name": "Ủy ban nhân dân tỉnh Bắc Giang",
        "type_code": "quyet-dinh",
    },
}


@pytest.fixture
def golden(desk):
    for key, values in GOLDEN.items():
        desk.docs[key] = desk.register(**values)
    return desk
