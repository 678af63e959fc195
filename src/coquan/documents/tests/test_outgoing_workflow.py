"""Drafts, versions and the review and approval chain of outgoing documents (issue 4, 1–2)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import make_member
from coquan.documents import actions
from coquan.documents.choices import (
    OutgoingStatus,
    OutgoingStepKind,
    RecipientKind,
    TaskKind,
    TaskState,
)
from coquan.documents.models import ChainTask, OutgoingDocument, OutgoingFile
from coquan.documents.outgoing_views import version_diffs
from coquan.documents.tests import samples

pytestmark = pytest.mark.django_db


def _tasks(document):
    document.refresh_from_db()
    return list(
        ChainTask.objects.filter(document=document, round=document.round)
        .order_by("stage", "pk")
        .values_list("stage", "kind", "state")
    )


def _steps(document):
    return list(document.steps.order_by("created_at", "pk").values_list("kind", flat=True))


def _stored_files(tmp_path) -> list:
    root = tmp_path / "files"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_create_draft_writes_version_one_recipients_files_and_audit(dept):
    doc = dept.draft()
    assert doc.status == OutgoingStatus.DRAFT
    assert doc.drafting_unit == dept.unit  # the drafter's unit by default
    assert doc.signer_position == "Giám đốc"  # the signer's position in the agency
    assert doc.version == 1 and doc.versions.get().number == 1
    assert [r.kind for r in doc.recipients.all()] == [
        RecipientKind.AGENCY,
        RecipientKind.UNIT,
        RecipientKind.TEXT,
    ]
    main = doc.files.get()
    assert main.kind == "main" and main.mime_type == "application/pdf" and main.version == 1
    assert default_storage.exists(main.file.name)
    assert main.file.name.startswith(f"documents/outgoing/{dept.agency.pk}/")
    assert _steps(doc) == [OutgoingStepKind.CREATED]
    entry = AuditEntry.objects.filter(action="documents.outgoing.create").get()
    assert entry.object_id == str(doc.pk)


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"subject": "  "}, "subject"),
        ({"signer": "officer"}, "signer"),
        ({"copies": 0}, "copies"),
        ({"main_file": samples.upload("cong-van.pdf", samples.EXE_BYTES)}, "files"),
        ({"recipients": [(RecipientKind.AGENCY, "self")]}, "recipients"),
    ],
)
def test_bad_drafts_are_refused_and_nothing_is_stored(dept, tmp_path, overrides, field):
    values = dict(overrides)
    if values.get("signer") == "officer":
        values["signer"] = dept.officer2
    if values.get("recipients") == [(RecipientKind.AGENCY, "self")]:
        values["recipients"] = [(RecipientKind.AGENCY, dept.agency)]
    with pytest.raises(ValidationError) as caught:
        dept.draft(**values)
    assert field in caught.value.message_dict
    assert not OutgoingDocument.objects.exists()
    assert not OutgoingFile.objects.exists()
    assert _stored_files(tmp_path) == []


def test_only_officers_and_leaders_draft(dept):
    with pytest.raises(PermissionDenied):
        dept.draft(actor=dept.clerk)
    with pytest.raises(PermissionDenied):
        dept.draft(actor=dept.outsider)
    assert not OutgoingDocument.objects.exists()


def test_a_change_is_a_new_version_with_a_diff_and_files_keep_their_history(dept):
    doc = dept.draft()
    first_main = doc.files.get()
    doc = actions.update_draft(
        dept.officer,
        document=doc,
        changes={"subject": "V/v trả lời kiến nghị (bản sửa)", "urgency": 1},
        main_file=samples.draft_pdf_upload("du-thao-v2.pdf", "bản sửa"),
    )
    assert doc.version == 2
    versions = list(doc.versions.order_by("number"))
    assert versions[1].data["subject"] == "V/v trả lời kiến nghị (bản sửa)"
    newest = version_diffs(versions)[0]
    labels = {str(label) for label, _before, _after in newest["changes"]}
    assert {"Trích yếu", "Độ khẩn", "Tệp"} <= labels
    files = list(doc.files.with_current_flag().order_by("version"))
    assert [(f.version, f.is_current) for f in files] == [(1, False), (2, True)]
    assert files[1].replaces == first_main
    assert OutgoingFile.objects.get(pk=first_main.pk).sha256 == first_main.sha256
    assert _steps(doc)[-1] == OutgoingStepKind.EDITED
    with pytest.raises(ValidationError) as caught:
        actions.update_draft(dept.officer, document=doc, changes={"subject": doc.subject})
    assert caught.value.code == "unchanged"
    assert OutgoingDocument.objects.get(pk=doc.pk).version == 2


def test_submit_builds_the_chain_and_starts_the_first_stage(dept):
    doc = dept.draft()
    doc = actions.submit(dept.officer, document=doc, opinions=[dept.other_unit], opinion_due_days=3)
    assert doc.status == OutgoingStatus.IN_REVIEW and doc.round == 1
    assert _tasks(doc) == [
        (1, TaskKind.REVIEW, TaskState.PENDING),
        (2, TaskKind.OPINION, TaskState.WAITING),
        (3, TaskKind.FORM_CHECK, TaskState.WAITING),
        (4, TaskKind.APPROVAL, TaskState.WAITING),
    ]
    review = ChainTask.objects.get(document=doc, kind=TaskKind.REVIEW)
    assert review.assignee_user == dept.unit_leader  # the drafting unit's leader
    check = ChainTask.objects.get(document=doc, kind=TaskKind.FORM_CHECK)
    assert check.pool_role == "clerk" and check.assignee_user is None
    assert ChainTask.objects.get(document=doc, kind=TaskKind.APPROVAL).assignee_user == dept.leader
    assert _steps(doc) == [
        OutgoingStepKind.CREATED,
        OutgoingStepKind.SUBMITTED,
        OutgoingStepKind.OPINION_REQUESTED,
    ]


def test_submit_needs_a_signer_and_a_file(dept):
    doc = dept.draft(signer=None, main_file=None)
    with pytest.raises(ValidationError) as caught:
        actions.submit(dept.officer, document=doc)
    assert {"signer", "main_file"} <= set(caught.value.message_dict)
    assert OutgoingDocument.objects.get(pk=doc.pk).status == OutgoingStatus.DRAFT
    assert not ChainTask.objects.exists()


def test_the_chain_runs_stage_by_stage_to_approval(dept):
    from coquan.workdays.calendar import add_working_days

    doc = actions.submit(dept.officer, document=dept.draft(), opinions=[dept.other_unit])
    with pytest.raises(PermissionDenied):  # the signer's stage has not come yet
        actions.approve(dept.leader, document=doc)
    actions.review(dept.unit_leader, document=doc, comment="Nội dung đạt")
    opinion = ChainTask.objects.get(document=doc, kind=TaskKind.OPINION)
    assert opinion.state == TaskState.PENDING
    expected = timezone.localtime(add_working_days(timezone.now(), 3)).date()
    assert opinion.deadline == expected  # working days on the workdays calendar
    with pytest.raises(PermissionDenied):  # not a member of the unit asked
        actions.give_opinion(dept.officer, document=doc, text="Tự cho ý kiến")
    actions.give_opinion(
        dept.officer2, document=doc, text="Đề nghị bổ sung số liệu", files=[samples.pdf_upload()]
    )
    actions.check_form(dept.clerk, document=doc)  # any clerk: the check went to the office
    doc = actions.approve(dept.leader, document=doc, comment="Đồng ý ký")
    assert doc.status == OutgoingStatus.APPROVED and doc.approved_at
    assert all(state == TaskState.DONE for _s, _k, state in _tasks(doc))
    assert _steps(doc)[-4:] == [
        OutgoingStepKind.REVIEWED,
        OutgoingStepKind.OPINION,
        OutgoingStepKind.FORM_CHECKED,
        OutgoingStepKind.APPROVED,
    ]
    opinion_step = doc.steps.get(kind=OutgoingStepKind.OPINION)
    assert opinion_step.files.get().kind == "opinion"
    assert doc.files.filter(kind="main").count() == 1  # opinion files are not draft files


def test_sequential_opinions_wait_for_each_other(dept):
    doc = actions.submit(
        dept.officer,
        document=dept.draft(),
        opinions=[dept.other_unit, dept.admin],
        sequential=True,
        form_check=False,
    )
    actions.review(dept.unit_leader, document=doc)
    states = [(k, s) for _st, k, s in _tasks(doc)]
    assert states == [
        (TaskKind.REVIEW, TaskState.DONE),
        (TaskKind.OPINION, TaskState.PENDING),
        (TaskKind.OPINION, TaskState.WAITING),
        (TaskKind.APPROVAL, TaskState.WAITING),
    ]
    actions.give_opinion(dept.officer2, document=doc, text="Ý kiến 1")
    assert [s for _st, _k, s in _tasks(doc)][2] == TaskState.PENDING
    actions.give_opinion(dept.admin, document=doc, text="Ý kiến 2")
    assert _tasks(doc)[-1][2] == TaskState.PENDING


def test_the_reviewer_asks_for_an_opinion_that_comes_before_the_form_check(dept):
    doc = actions.submit(dept.officer, document=dept.draft())
    actions.request_opinions(dept.unit_leader, document=doc, targets=[dept.officer2], due_days=2)
    actions.review(dept.unit_leader, document=doc)
    kinds = [(k, s) for _st, k, s in _tasks(doc)]
    assert kinds == [
        (TaskKind.REVIEW, TaskState.DONE),
        (TaskKind.OPINION, TaskState.PENDING),
        (TaskKind.FORM_CHECK, TaskState.WAITING),
        (TaskKind.APPROVAL, TaskState.WAITING),
    ]
    with pytest.raises(PermissionDenied):  # an officer on no task cannot ask
        actions.request_opinions(dept.officer2, document=doc, targets=[dept.admin])


def test_reject_to_the_drafter_returns_the_draft_and_a_new_round_starts(dept):
    doc = actions.submit(dept.officer, document=dept.draft())
    with pytest.raises(ValidationError) as caught:
        actions.reject(dept.unit_leader, document=doc, comment=" ")
    assert "comment" in caught.value.message_dict
    doc = actions.reject(dept.unit_leader, document=doc, comment="Sửa lại phần căn cứ")
    assert doc.status == OutgoingStatus.RETURNED
    assert {s for _st, _k, s in _tasks(doc)} == {TaskState.REJECTED, TaskState.CANCELLED}
    step = doc.steps.get(kind=OutgoingStepKind.REJECTED)
    assert step.text == "Sửa lại phần căn cứ" and step.user == dept.officer
    doc = actions.update_draft(dept.officer, document=doc, changes={"description": "Đã sửa"})
    doc = actions.submit(dept.officer, document=doc)
    assert doc.round == 2 and doc.status == OutgoingStatus.IN_REVIEW
    assert _tasks(doc)[0] == (1, TaskKind.REVIEW, TaskState.PENDING)


def test_reject_to_the_previous_step_reopens_it(dept):
    doc = actions.submit(dept.officer, document=dept.draft())
    actions.review(dept.unit_leader, document=doc)
    doc = actions.reject(dept.clerk, document=doc, comment="Sai thể thức", back_to="previous")
    assert doc.status == OutgoingStatus.IN_REVIEW
    assert [(k, s) for _st, k, s in _tasks(doc)][:2] == [
        (TaskKind.REVIEW, TaskState.PENDING),
        (TaskKind.FORM_CHECK, TaskState.WAITING),
    ]
    assert doc.steps.get(kind=OutgoingStepKind.REJECTED).user == dept.unit_leader
    actions.review(dept.unit_leader, document=doc)
    assert _tasks(doc)[1][2] == TaskState.PENDING


def test_withdraw_by_the_drafter_cancels_the_chain(dept):
    doc = actions.submit(dept.officer, document=dept.draft())
    with pytest.raises(PermissionDenied):
        actions.withdraw(dept.unit_leader, document=doc)
    doc = actions.withdraw(dept.officer, document=doc, reason="Không cần ban hành")
    assert doc.status == OutgoingStatus.WITHDRAWN
    assert {s for _st, _k, s in _tasks(doc)} == {TaskState.CANCELLED}
    with pytest.raises(ValidationError):
        actions.submit(dept.officer, document=doc)


def test_a_change_after_approval_returns_it_to_the_signer(dept):
    doc = dept.advance(dept.draft(), "approved")
    assert doc.status == OutgoingStatus.APPROVED
    doc = actions.update_draft(dept.officer, document=doc, changes={"copies": 3})
    assert doc.status == OutgoingStatus.IN_REVIEW and doc.approved_at is None
    approval = ChainTask.objects.get(document=doc, kind=TaskKind.APPROVAL)
    assert approval.state == TaskState.PENDING and approval.assignee_user == dept.leader
    assert _steps(doc)[-2:] == [OutgoingStepKind.EDITED, OutgoingStepKind.BACK_TO_SIGNER]
    doc = actions.approve(dept.leader, document=doc)
    assert doc.status == OutgoingStatus.APPROVED


def test_changing_the_signer_moves_the_approval(dept):
    other_leader = make_member(
        dept.agency, "leader", username="pgd_so", full_name="Hà Phó Giám Đốc"
    )
    doc = actions.submit(dept.officer, document=dept.draft())
    actions.update_draft(dept.officer, document=doc, changes={"signer": other_leader})
    approval = ChainTask.objects.get(document=doc, kind=TaskKind.APPROVAL)
    assert approval.assignee_user == other_leader
    doc.refresh_from_db()
    assert doc.signer_name == "Hà Phó Giám Đốc"


# --- Visibility ---------------------------------------------------------------------------------


def _sees(user, doc) -> bool:
    return OutgoingDocument.objects.visible_to(user).filter(pk=doc.pk).exists()


def test_a_draft_is_visible_only_to_its_chain_and_the_drafting_units_leaders(dept):
    doc = dept.draft()
    assert _sees(dept.officer, doc) and _sees(dept.unit_leader, doc)
    for person in (dept.leader, dept.clerk, dept.officer2, dept.admin, dept.outsider):
        assert not _sees(person, doc), person
    actions.submit(dept.officer, document=doc, opinions=[dept.other_unit])
    # the signer and the office (form check by any clerk) are on the chain now
    assert _sees(dept.leader, doc) and _sees(dept.clerk, doc)
    assert _sees(dept.officer2, doc)  # a member of the unit asked for an opinion
    assert not _sees(dept.admin, doc) and not _sees(dept.outsider, doc)


def test_an_issued_document_is_visible_to_the_agency_overseers_and_recipients(dept):
    doc = dept.advance(dept.draft(recipients=[(RecipientKind.UNIT, dept.office)]), "issued")
    assert _sees(dept.admin, doc)  # overseeing role once issued
    stranger = make_member(dept.agency, "officer", unit=dept.other_unit, username="la_so")
    assert not _sees(stranger, doc)
    receiver = make_member(dept.agency, "officer", unit=dept.office, username="vp_so")
    assert _sees(receiver, doc)  # received internally by the unit
    assert not _sees(dept.outsider, doc)


def test_visible_to_is_one_query(dept, django_assert_num_queries):
    dept.draft()
    with django_assert_num_queries(1):
        list(OutgoingDocument.objects.visible_to(dept.unit_leader))


def test_visible_in_an_agency_gives_the_same_rows_as_visible_to(dept):
    """The role-reduced rule of the search (``visible_in``) changes the plan, never the rows."""
    from coquan.accounts.models import User
    from coquan.core.access import clear_access_cache
    from coquan.documents.choices import Secrecy

    dept.draft()  # chain: the officer and the unit leader only
    dept.advance(dept.draft(), "in_review", opinions=[dept.other_unit])
    dept.advance(dept.draft(), "signed")
    dept.advance(dept.draft(recipients=[(RecipientKind.UNIT, dept.office)]), "issued")
    dept.advance(dept.draft(secrecy=Secrecy.SECRET), "issued")
    dept.advance(dept.draft(), "recalled")
    superuser = User.objects.create_superuser("vanhanh_di", "vhd@example.gov.vn", "x")
    people = [
        dept.clerk, dept.leader, dept.unit_leader, dept.officer, dept.officer2, dept.admin,
        dept.outsider, superuser,
        make_member(dept.agency, username="khong_vai_tro"),
        make_member(dept.agency, "officer", unit=dept.office, username="vp_nhan"),
        make_member(dept.agency, "unit_leader", unit=dept.other_unit, username="tp_bcvt"),
    ]  # fmt: skip
    counts = set()
    for user in people:
        clear_access_cache(user)
        expected = set(
            OutgoingDocument.objects.visible_to(user)
            .for_agency(dept.agency)
            .values_list("pk", flat=True)
        )
        got = set(
            OutgoingDocument.objects.visible_in(user, dept.agency).values_list("pk", flat=True)
        )
        assert got == expected, user.username
        counts.add(len(got))
    assert len(counts) >= 4  # the people really see different sets
