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


DB_FIXTURES = {"db", "transactional_db", "office", "world", "dept"}


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


# --- Outgoing documents -------------------------------------------------------------------------

_TEST_KEYS: dict[str, object] = {}


def shared_private_key(name: str = "default"):
    """An EC key pair reused across tests (RSA generation is slow; pyHanko signs with both)."""
    from coquan.documents.signing.keys import make_key_pair

    if name not in _TEST_KEYS:
        _TEST_KEYS[name] = make_key_pair("ec")
    return _TEST_KEYS[name]


def give_keys(agency, *people) -> None:
    """Self-signed test keys (the real action): the agency's seal and each person's key."""
    from coquan.documents.actions.keys import generate_signing_key

    generate_signing_key(None, agency=agency, private_key=shared_private_key("agency"))
    for person in people:
        generate_signing_key(
            None, agency=agency, holder=person, private_key=shared_private_key("person")
        )


@dataclass
class Dept:
    """Sở Thông tin và Truyền thông with an office (clerk), two units and their people."""

    agency: object
    office: object
    unit: object
    other_unit: object
    clerk: object
    leader: object
    unit_leader: object
    officer: object
    officer2: object
    admin: object
    outsider: object
    partner: object

    def doc_type(self, code: str = "cong-van"):
        return DocumentType.objects.get(agency=None, code=code)

    def draft(self, actor=None, **overrides):
        """A draft through the real action (a PDF main file, the leader as signer)."""
        from coquan.documents.choices import RecipientKind
        from coquan.documents.tests.samples import draft_pdf_upload

        values = {
            "agency": self.agency,
            "document_type": self.doc_type(),
            "subject": "V/v trả lời kiến nghị về hạ tầng viễn thông",
            "signer": self.leader,
            "recipients": [
                (RecipientKind.AGENCY, self.partner),
                (RecipientKind.UNIT, self.other_unit),
                (RecipientKind.TEXT, "Lưu: VT, CNTT."),
            ],
            "main_file": draft_pdf_upload(),
        }
        values.update(overrides)
        return actions.create_draft(actor or self.officer, **values)

    def advance(self, document, state: str, **submit_kwargs):
        """Take ``document`` through the real actions up to ``state``."""
        order = ["draft", "in_review", "approved", "signed", "issued", "recalled"]
        target = order.index(state)
        if target >= 1 and document.status in ("draft", "returned"):
            submit_kwargs.setdefault("form_check", True)
            document = actions.submit(self.officer, document=document, **submit_kwargs)
        if target >= 2:
            document = finish_chain(self, document)
        if target >= 3:
            document = actions.sign(self.leader, document=document)
        if target >= 4:
            document = actions.issue(self.clerk, document=document)
        if target >= 5:
            document = actions.recall(self.clerk, document=document, reason="Sai nội dung")
        return document


def finish_chain(dept, document):
    """Complete every pending task of the chain as its holder, up to the approval."""
    from coquan.documents.choices import TaskKind, TaskState
    from coquan.documents.models import ChainTask, OutgoingDocument

    for _round in range(20):
        document = OutgoingDocument.objects.get(pk=document.pk)
        if document.status != "in_review":
            return document
        task = (
            ChainTask.objects.filter(
                document=document, round=document.round, state=TaskState.PENDING
            )
            .order_by("stage", "pk")
            .first()
        )
        if task.kind == TaskKind.REVIEW:
            actions.review(task.assignee_user, document=document, comment="Đồng ý")
        elif task.kind == TaskKind.OPINION:
            person = task.assignee_user or dept.officer2
            actions.give_opinion(person, document=document, text="Nhất trí")
        elif task.kind == TaskKind.FORM_CHECK:
            actions.check_form(task.assignee_user or dept.clerk, document=document)
        else:
            actions.approve(task.assignee_user, document=document)
    raise AssertionError("the chain did not end")


def make_dept(with_keys: bool = True) -> Dept:
    from coquan.org.models import Position

    agency = AgencyFactory(
        organ_id="000.00.14.H06", name="Sở Thông tin và Truyền thông", short_name="STTTT"
    )
    office_unit = UnitFactory(agency=agency, code="VP", name="Văn phòng")
    unit = UnitFactory(agency=agency, code="CNTT", name="Phòng Công nghệ thông tin")
    other_unit = UnitFactory(agency=agency, code="BCVT", name="Phòng Bưu chính, Viễn thông")
    partner = AgencyFactory(organ_id="000.00.15.H06", name="Sở Tài chính", short_name="STC")
    other = AgencyFactory(organ_id="000.00.16.H06", name="Sở Nội vụ", short_name="SNV")
    dept = Dept(
        agency=agency,
        office=office_unit,
        unit=unit,
        other_unit=other_unit,
        clerk=make_member(
            agency, "clerk", unit=office_unit, username="vt_so", full_name="Trần Thị Thu"
        ),
        leader=make_member(agency, "leader", username="gd_so", full_name="Lê Văn Quyết"),
        unit_leader=make_member(
            agency, "unit_leader", unit=unit, username="tp_so", full_name="Phạm Văn Phòng"
        ),
        officer=make_member(agency, "officer", unit=unit, username="cv_so", full_name="Đỗ Đức Đạt"),
        officer2=make_member(
            agency, "officer", unit=other_unit, username="cv2_so", full_name="Vũ Thị Ý Kiến"
        ),
        admin=make_member(
            agency, "admin", unit=office_unit, username="qt_so", full_name="Ngô Quản Trị"
        ),
        outsider=make_member(
            other, "clerk", "leader", "officer", "unit_leader", "admin", username="ngoai_so"
        ),
        partner=partner,
    )
    position, _created = Position.objects.get_or_create(agency=agency, name="Giám đốc")
    from coquan.org.models import Membership

    Membership.objects.filter(user=dept.leader, agency=agency).update(position=position)
    if with_keys:
        give_keys(agency, dept.leader)
    return dept


@pytest.fixture
def dept(db):
    return make_dept()
