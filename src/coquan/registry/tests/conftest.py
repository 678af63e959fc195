"""Fixtures of the registry tests: a Department with editors and readers, built with the
real actions; reference data (licence types, indicators, roles) restored when a
transactional test flushed it."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from dataclasses import dataclass

import pytest
from django.utils import timezone

from coquan.core.testing.factories import AgencyFactory, UnitFactory, make_member
from coquan.registry import actions
from coquan.registry.models import Indicator, LicenceType

DB_FIXTURES = {"db", "transactional_db", "dept", "world", "demo"}


def ensure_reference_data() -> None:
    """Re-create the rows of data migrations (a ``transaction=True`` test flushes them)."""
    from django.apps import apps

    from coquan.org.choices import RoleCode
    from coquan.org.models import Role

    if LicenceType.objects.count() < 6 or Indicator.objects.count() < 20:
        seed = importlib.import_module("coquan.registry.migrations.0002_reference_data")
        seed.create_reference_data(apps, None)
    for code in RoleCode.values:
        Role.objects.get_or_create(code=code)


@pytest.fixture(autouse=True)
def _reference_data(request):
    if request.node.get_closest_marker("django_db") or DB_FIXTURES & set(request.fixturenames):
        request.getfixturevalue("db")
        ensure_reference_data()


@dataclass
class Dept:
    agency: object
    other: object
    commune: object
    officer: object
    leader: object
    clerk: object
    reader: object
    outsider: object

    def licence_type(self, code: str = "ban-tin"):
        return LicenceType.objects.get(code=code)

    def issue(self, actor=None, **overrides):
        """Issue a bulletin licence through the real action (defaults for every field)."""
        values = {
            "agency": self.agency,
            "licence_type": self.licence_type(),
            "number": "01/GP-XBBT",
            "holder_name": "Hội Nông dân tỉnh",
            "holder_id_number": "",
            "issue_date": timezone.localdate() - dt.timedelta(days=10),
            "extra": {"title": "Bản tin Nông dân", "frequency": "quý", "copies": 500},
        }
        values.update(overrides)
        return actions.issue_licence(actor or self.officer, **values)


@pytest.fixture
def dept(db):
    agency = AgencyFactory(
        organ_id="000.00.14.H97", name="Sở Thông tin và Truyền thông Thử nghiệm", short_name="STTTT"
    )
    other = AgencyFactory(
        organ_id="000.00.15.H97", name="Sở Tài chính Thử nghiệm", short_name="STC"
    )
    commune = AgencyFactory(
        organ_id="000.01.31.H97", name="UBND xã Tân Tiến", short_name="UBND", level="commune"
    )
    unit = UnitFactory(agency=agency, code="BCVT", name="Phòng Bưu chính, Viễn thông")
    return Dept(
        agency=agency,
        other=other,
        commune=commune,
        officer=make_member(
            agency, "officer", unit=unit, username="cv_vienthong", full_name="Đỗ Văn Viễn"
        ),
        leader=make_member(agency, "leader", username="gd_so", full_name="Lê Văn Giám Đốc"),
        clerk=make_member(agency, "clerk", username="vt_so", full_name="Trần Thị Văn Thư"),
        reader=make_member(agency, username="nv_so", full_name="Nguyễn Văn Đọc"),
        outsider=make_member(
            other, "admin", "officer", "leader", username="cv_ngoai", full_name="Phạm Người Ngoài"
        ),
    )


def xlsx_file(rows: list[list], name: str = "file.xlsx"):
    """An uploaded .xlsx file holding ``rows`` (the first row is the header)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(
        name,
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
