"""Fixtures of the documents tests: one agency with a clerk, a leader, a unit and officers."""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

import pytest
from django.utils import timezone

from coquan.core.testing.factories import AgencyFactory, UnitFactory, make_member
from coquan.documents import actions
from coquan.documents.models import DocumentType


@dataclass
class Office:
    agency: object
    unit: object
    other_unit: object
    clerk: object
    leader: object
    unit_leader: object
    officer: object
    officer2: object
    outsider: object

    def doc_type(self, code: str = "cong-van"):
        return DocumentType.objects.get(agency=None, code=code)

    def register(self, actor=None, **overrides):
        """Register a paper document through the real action (defaults for every field)."""
        values = {
            "agency": self.agency,
            "document_type": self.doc_type(),
            "subject": "V/v triển khai chuyển đổi số năm 2026",
            "issued_date": timezone.localdate() - dt.timedelta(days=2),
            "issuer_name": "Bộ Khoa học và Công nghệ",
            "code_number": "1234",
            "code_notation": "BKHCN-CĐS",
        }
        values.update(overrides)
        return actions.register_incoming(actor or self.clerk, **values)


def ensure_reference_data() -> None:
    """Re-create rows that data migrations made, if a transactional test flushed them.

    ``transaction=True`` tests end with a flush of every table, which also removes the rows
    of data migrations (document types, roles) for the tests that follow.
    """
    from django.apps import apps

    from coquan.org.choices import RoleCode
    from coquan.org.models import Role

    if DocumentType.objects.filter(agency=None).count() < 29:
        seed = importlib.import_module("coquan.documents.migrations.0002_decree30_document_types")
        seed.create_types(apps, None)
    for code in RoleCode.values:
        Role.objects.get_or_create(code=code)


DB_FIXTURES = {"db", "transactional_db", "office", "world"}


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Every database test of this app starts with the document types and roles present."""
    if request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames):
        request.getfixturevalue("db")
        ensure_reference_data()


@pytest.fixture
def office(db):
    agency = AgencyFactory(organ_id="000.00.12.H10", name="Sở Khoa học và Công nghệ")
    unit = UnitFactory(agency=agency, code="CNTT", name="Phòng Công nghệ thông tin")
    other_unit = UnitFactory(agency=agency, code="KHTC", name="Phòng Kế hoạch - Tài chính")
    other = AgencyFactory(organ_id="000.00.13.H10", name="Sở Tài chính")
    return Office(
        agency=agency,
        unit=unit,
        other_unit=other_unit,
        clerk=make_member(agency, "clerk", username="vanthu", full_name="Trần Thị Văn Thư"),
        leader=make_member(agency, "leader", username="giamdoc", full_name="Lê Văn Giám Đốc"),
        unit_leader=make_member(
            agency,
            "unit_leader",
            "officer",
            unit=unit,
            username="truongphong",
            full_name="Phạm Trưởng Phòng",
        ),
        officer=make_member(
            agency, "officer", unit=unit, username="chuyenvien", full_name="Đỗ Chuyên Viên"
        ),
        officer2=make_member(
            agency, "officer", unit=other_unit, username="chuyenvien2", full_name="Vũ Phối Hợp"
        ),
        outsider=make_member(other, "clerk", "leader", "officer", username="ngoai"),
    )
