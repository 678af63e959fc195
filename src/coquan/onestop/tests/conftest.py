"""Fixtures of the one-stop tests: an agency with a desk, two units, their staff and a
published procedure of three steps, all built through the real actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from coquan.core.testing.factories import AgencyFactory, UnitFactory, make_member
from coquan.onestop import actions

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=9, minute=0) -> dt.datetime:
    """An aware moment in Vietnam."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


def bts_fields(**overrides) -> dict:
    """A BTS-like procedure: 5 working days in three steps (2 + 2 + 1)."""
    values = {
        "code": "1.005129",
        "name": "Cấp phép xây dựng công trình trạm BTS",
        "sector_code": "VT",
        "sector_name": "Viễn thông và Internet",
        "level": "province",
        "competent_authority": "Sở Thông tin và Truyền thông",
        "legal_basis": "Luật Xây dựng 2014",
        "result_name": "Giấy phép xây dựng trạm BTS",
        "fee_amount": 150000,
        "fee_note": "150.000 đồng",
        "time_limit": 5,
        "time_unit": "working_days",
        "online_level": "partial",
    }
    values.update(overrides)
    return values


COMPONENTS = [
    {"name": "Đơn đề nghị cấp giấy phép", "paper_form": "original", "count": 1, "required": True},
    {"name": "Bản vẽ thiết kế", "paper_form": "original", "count": 2, "required": True},
    {
        "name": "Giấy phép thiết lập mạng",
        "paper_form": "copy",
        "required": True,
        "applies_to": "organisation",
    },
    {"name": "Ý kiến cơ quan sân bay", "paper_form": "copy", "required": False},
]


@dataclass
class Office:
    agency: object
    telecom: object
    press: object
    admin: object
    desk: object
    officer: object
    officer2: object
    unit_leader: object
    leader: object
    outsider: object
    procedure: object

    def components(self, *names: str, procedure=None) -> list[int]:
        """Ids of the procedure's components whose names start with ``names`` (all by
        default)."""
        procedure = procedure or self.procedure
        rows = procedure.components.all()
        return [c.pk for c in rows if not names or any(c.name.startswith(n) for n in names)]

    def applicant(self, **overrides) -> dict:
        values = {
            "applicant_type": "organisation",
            "applicant_name": "Công ty Cổ phần Viễn thông Kinh Bắc",
            "applicant_id_number": "2400123456",
            "applicant_address": "Số 12 đường Nguyễn Văn Cừ, phường Hoàng Văn Thụ, Bắc Giang",
            "applicant_phone": "0204 3851 777",
            "applicant_email": "lienhe@vienthongkinhbac.vn",
        }
        values.update(overrides)
        return values

    def accept(self, when=None, procedure=None, **overrides):
        procedure = procedure or self.procedure
        values = {
            "agency": self.agency,
            "procedure": procedure,
            "received_components": self.components(
                "Đơn", "Bản vẽ", "Giấy phép", procedure=procedure
            ),
            "at": when,
            **self.applicant(),
        }
        values.update(overrides)
        return actions.accept_dossier(self.desk, **values)


def make_procedure(admin, agency, telecom, *, publish=True, steps=None, **overrides):
    steps = steps or [
        {
            "name": "Thẩm định hồ sơ",
            "responsible_unit": telecom,
            "responsible_role": "officer",
            "time_budget": 2,
        },
        {
            "name": "Trưởng phòng xem xét",
            "responsible_unit": telecom,
            "responsible_role": "unit_leader",
            "time_budget": 2,
        },
        {
            "name": "Lãnh đạo Sở ký duyệt",
            "responsible_unit": None,
            "responsible_role": "leader",
            "time_budget": 1,
        },
    ]
    procedure = actions.create_procedure(
        admin,
        agency=agency,
        components=COMPONENTS,
        steps=steps,
        **bts_fields(**overrides),
    )
    if publish:
        procedure = actions.publish_procedure(admin, procedure=procedure)
    return procedure


def build_office() -> Office:
    agency = AgencyFactory(
        organ_id="000.00.14.H06", name="Sở Thông tin và Truyền thông", short_name="STTTT"
    )
    telecom = UnitFactory(agency=agency, code="BCVT", name="Phòng Bưu chính, Viễn thông")
    press = UnitFactory(agency=agency, code="BCXB", name="Phòng Báo chí, Xuất bản")
    admin = make_member(agency, "admin", username="os_admin")
    desk = make_member(agency, "desk_officer", username="os_desk", full_name="Hoàng Văn Dũng")
    officer = make_member(agency, "officer", unit=telecom, username="os_officer")
    officer2 = make_member(agency, "officer", unit=press, username="os_officer2")
    unit_leader = make_member(agency, "unit_leader", unit=telecom, username="os_unit_leader")
    leader = make_member(agency, "leader", username="os_leader")
    other = AgencyFactory(organ_id="000.00.15.H06", name="Sở Nội vụ", short_name="SNV")
    outsider = make_member(other, "desk_officer", "leader", "officer", "admin", username="os_out")
    procedure = make_procedure(admin, agency, telecom)
    return Office(
        agency=agency,
        telecom=telecom,
        press=press,
        admin=admin,
        desk=desk,
        officer=officer,
        officer2=officer2,
        unit_leader=unit_leader,
        leader=leader,
        outsider=outsider,
        procedure=procedure,
    )


@pytest.fixture
def office(db) -> Office:
    return build_office()
