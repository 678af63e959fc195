"""The handling path of an incoming document, its timeline, and refused moves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coquan.audit.models import AuditEntry
from coquan.documents import actions
from coquan.documents.choices import AssignmentRole, IncomingStatus, Secrecy, StepKind
from coquan.documents.models import Attachment, IncomingDocument, SecrecyGrant
from coquan.documents.tests import samples
from coquan.documents.tests.samples import pdf_upload, upload


def kinds(document):
    return list(document.steps.order_by("created_at", "pk").values_list("kind", flat=True))


@pytest.mark.django_db
def test_full_path_registered_to_done_writes_the_timeline(office):
    doc = office.register(files=[pdf_upload()])
    doc = actions.present(office.clerk, document=doc, leader=office.leader, note="Kính trình")
    assert doc.status == IncomingStatus.PRESENTED and doc.presented_to == office.leader
    due = timezone.localdate() + dt.timedelta(days=10)
    doc = actions.assign(
        office.leader,
        document=doc,
        lead_user=office.officer,
        co_handlers=[office.other_unit],
        for_info=[office.unit_leader],
        due_date=due,
        instruction="Nghiên cứu, tham mưu trả lời",
    )
    assert doc.status == IncomingStatus.ASSIGNED
    assert (doc.lead_user, doc.due_date, doc.assignment_round) == (office.officer, due, 1)
    doc = actions.start_handling(office.officer, document=doc)
    assert doc.status == IncomingStatus.IN_PROGRESS
    step = actions.add_opinion(
        office.officer2,
        document=doc,
        text="Phòng KHTC thống nhất",
        files=[upload("y-kien.docx", samples.docx_bytes())],
    )
    assert step.attachments.get().mime_type.endswith("wordprocessingml.document")
    doc = actions.complete(office.officer, document=doc, result_note="Đã trả lời bằng CV 15")
    assert doc.status == IncomingStatus.DONE and doc.completed_at is not None
    assert kinds(doc) == [
        StepKind.REGISTERED,
        StepKind.PRESENTED,
        StepKind.ASSIGNED,
        StepKind.ASSIGNED,
        StepKind.ASSIGNED,
        StepKind.STARTED,
        StepKind.OPINION,
        StepKind.DONE,
    ]
    roles = dict(doc.steps.filter(kind=StepKind.ASSIGNED).values_list("role", "deadline"))
    assert roles == {
        AssignmentRole.LEAD: due,
        AssignmentRole.CO_HANDLER: due,
        AssignmentRole.FOR_INFO: None,
    }
    codes = list(
        AuditEntry.objects.filter(object_id=str(doc.pk), object_type="documents.incomingdocument")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert codes == [
        "documents.incoming.register",
        "documents.incoming.present",
        "documents.incoming.assign",
        "documents.incoming.start",
        "documents.incoming.opinion",
        "documents.incoming.complete",
    ]


@pytest.mark.django_db
def test_deadline_in_working_days_uses_the_calendar(office):
    from coquan.workdays.calendar import add_working_days

    doc = office.register()
    doc = actions.present(office.clerk, document=doc, leader=office.leader)
    doc = actions.assign(office.leader, document=doc, lead_unit=office.unit, due_days=3)
    expected = timezone.localtime(add_working_days(timezone.now(), 3)).date()
    assert doc.due_date == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "step",
    ["assign", "start", "complete", "reopen"],
)
def test_illegal_moves_from_registered_are_refused(office, step):
    doc = office.register()
    calls = {
        "assign": lambda: actions.assign(
            office.leader, document=doc, lead_user=office.officer, due_days=2
        ),
        "start": lambda: actions.start_handling(office.leader, document=doc),
        "complete": lambda: actions.complete(office.leader, document=doc, result_note="x"),
        "reopen": lambda: actions.reopen(office.leader, document=doc, reason="x"),
    }
    with pytest.raises(ValidationError) as exc:
        calls[step]()
    assert exc.value.code == "invalid_transition"
    assert "Đã vào sổ" in exc.value.messages[0]
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.REGISTERED and kinds(doc) == [StepKind.REGISTERED]


@pytest.fixture
def assigned(office):
    doc = office.register()
    doc = actions.present(office.clerk, document=doc, leader=office.leader)
    return actions.assign(
        office.leader, document=doc, lead_unit=office.unit, due_days=5, instruction="Xử lý"
    )


@pytest.mark.django_db
def test_only_involved_people_handle(office, assigned):
    with pytest.raises(PermissionDenied):
        actions.start_handling(office.officer2, document=assigned)  # other unit
    with pytest.raises(PermissionDenied):
        actions.present(office.officer, document=assigned, leader=office.leader)
    with pytest.raises(PermissionDenied):
        actions.reopen(office.officer, document=assigned, reason="x")
    with pytest.raises(PermissionDenied):
        actions.start_handling(office.outsider, document=assigned)
    # Any member of the lead unit may start when no person was named.
    doc = actions.start_handling(office.officer, document=assigned)
    assert doc.status == IncomingStatus.IN_PROGRESS


@pytest.mark.django_db
def test_complete_needs_a_result_and_reopen_a_reason(office, assigned):
    with pytest.raises(ValidationError) as exc:
        actions.complete(office.officer, document=assigned, result_note="   ")
    assert "result_note" in exc.value.error_dict
    doc = actions.complete(office.officer, document=assigned, result_note="Xong")
    with pytest.raises(ValidationError):
        actions.reopen(office.leader, document=doc, reason="")
    doc = actions.reopen(office.leader, document=doc, reason="Bổ sung số liệu")
    assert doc.status == IncomingStatus.IN_PROGRESS and doc.completed_at is None
    assert kinds(doc)[-2:] == [StepKind.DONE, StepKind.REOPENED]


@pytest.mark.django_db
def test_unit_leader_reassigns_inside_the_unit_only(office, assigned):
    doc = actions.assign(
        office.unit_leader,
        document=assigned,
        lead_user=office.officer,
        instruction="Đồng chí Đức xử lý",
    )
    assert doc.lead_unit == office.unit and doc.lead_user == office.officer
    assert doc.assignment_round == 1  # same round as the leader's assignment
    with pytest.raises(ValidationError):
        actions.assign(office.unit_leader, document=doc, lead_user=office.officer2)
    with pytest.raises(ValidationError):
        actions.assign(
            office.unit_leader, document=doc, lead_unit=office.other_unit, lead_user=office.officer2
        )
    # Now only the named person handles; other members of the unit no longer lead.
    assert IncomingDocument.objects.handled_by(office.officer).filter(pk=doc.pk).exists()
    assert not IncomingDocument.objects.handled_by(office.unit_leader).filter(pk=doc.pk).exists()


@pytest.mark.django_db
def test_a_new_assignment_round_replaces_co_handlers(office, assigned):
    doc = actions.assign(
        office.leader,
        document=assigned,
        lead_unit=office.unit,
        co_handlers=[office.officer2],
        due_days=3,
    )
    assert IncomingDocument.objects.co_handled_by(office.officer2).filter(pk=doc.pk).exists()
    doc = actions.assign(office.leader, document=doc, lead_unit=office.unit, due_days=3)
    assert doc.assignment_round == 3
    assert not IncomingDocument.objects.co_handled_by(office.officer2).filter(pk=doc.pk).exists()


@pytest.mark.django_db
def test_assignment_targets_must_belong_to_the_agency(office, assigned):
    from coquan.core.testing.factories import UnitFactory

    foreign_unit = UnitFactory()
    with pytest.raises(ValidationError):
        actions.assign(office.leader, document=assigned, lead_unit=foreign_unit, due_days=2)
    with pytest.raises(ValidationError):
        actions.assign(office.leader, document=assigned, lead_user=office.outsider, due_days=2)
    with pytest.raises(ValidationError):
        actions.assign(office.leader, document=assigned, due_days=2)
    with pytest.raises(ValidationError):
        actions.assign(
            office.leader,
            document=assigned,
            lead_user=office.officer,
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )


@pytest.mark.django_db
def test_return_then_present_again_or_refuse(office):
    doc = office.register()
    doc = actions.present(office.clerk, document=doc, leader=office.leader)
    doc = actions.return_document(office.leader, document=doc, reason="Không thuộc thẩm quyền")
    assert doc.status == IncomingStatus.RETURNED
    doc = actions.present(office.clerk, document=doc, leader=office.leader)
    doc = actions.return_document(office.leader, document=doc, reason="Gửi nhầm")
    doc = actions.refuse(office.clerk, document=doc, reason="Gửi nhầm cơ quan")
    assert doc.status == IncomingStatus.REFUSED
    with pytest.raises(ValidationError):
        actions.present(office.clerk, document=doc, leader=office.leader)


@pytest.mark.django_db
def test_present_only_to_a_leader(office):
    doc = office.register()
    with pytest.raises(ValidationError) as exc:
        actions.present(office.clerk, document=doc, leader=office.officer)
    assert "leader" in exc.value.error_dict


@pytest.mark.django_db
def test_secret_documents_go_to_named_people_who_are_granted(office):
    doc = office.register(secrecy=Secrecy.TOP_SECRET)
    doc = actions.present(office.clerk, document=doc, leader=office.leader)
    with pytest.raises(ValidationError) as exc:
        actions.assign(office.leader, document=doc, lead_unit=office.unit, due_days=2)
    assert exc.value.error_dict["lead"][0].code == "secret_to_unit"
    actions.assign(
        office.leader,
        document=doc,
        lead_user=office.officer,
        for_info=[office.unit_leader],
        due_days=2,
    )
    granted = set(
        SecrecyGrant.objects.filter(document=doc).values_list("user__username", flat=True)
    )
    assert granted == {"vanthu", "giamdoc", "chuyenvien", "truongphong"}


@pytest.mark.django_db
def test_corrections_are_new_versions(office):
    doc = office.register(files=[pdf_upload("ban-scan.pdf")])
    original = doc.attachments.get()
    fixed = actions.add_attachment(
        office.clerk, document=doc, file=pdf_upload("ban-scan-lai.pdf"), replaces=original
    )
    assert (fixed.version, fixed.replaces) == (2, original)
    with pytest.raises(ValidationError):
        actions.add_attachment(
            office.clerk, document=doc, file=pdf_upload("again.pdf"), replaces=original
        )
    current = {a.pk: a.is_current for a in Attachment.objects.with_current_flag()}
    assert current == {original.pk: False, fixed.pk: True}
    # The detail page's flag, computed from the document's whole list, is the same.
    from coquan.documents.models.attachments import mark_current

    assert {a.pk: a.is_current for a in mark_current(doc.attachments.all())} == current
    assert kinds(doc)[-1] == StepKind.ATTACHMENT
