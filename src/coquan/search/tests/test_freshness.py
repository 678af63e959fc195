"""Index freshness: dirty marks on change, the index task on commit, repair and rebuild."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from coquan.audit.models import AuditEntry
from coquan.documents import actions
from coquan.documents.tests.samples import PDF_BYTES, upload
from coquan.search import indexing, registry
from coquan.search.models import RebuildCursor, SearchEntry

pytestmark = pytest.mark.django_db


def entry_of(doc) -> SearchEntry:
    return SearchEntry.objects.get(object_id=doc.pk, content_type__model="incomingdocument")


def test_registering_indexes_the_document_after_commit(desk):
    doc = desk.register(subject="Công văn về việc đôn đốc nộp báo cáo", code_number="7")
    entry = entry_of(doc)
    assert not entry.dirty and entry.indexed_at is not None
    assert entry.title == doc.subject and entry.number == "07/BKHCN-CĐS"
    assert entry.text_a == "07 bkhcn cds cong van ve viec don doc nop bao cao"
    assert entry.text_b == "bo khoa hoc va cong nghe"
    assert (entry.type_code, entry.status, entry.year) == (
        "cong-van",
        "registered",
        doc.issued_date.year,
    )
    assert entry.agency_id == desk.agency.pk


def test_before_commit_the_entry_is_only_marked_dirty(desk):
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        doc = actions.register_incoming(
            desk.clerk,
            agency=desk.agency,
            document_type=desk.doc_type(),
            subject="Giấy mời họp giao ban tháng 12",
            issued_date=dt.date(2026, 1, 5),
            issuer_name="Văn phòng UBND tỉnh",
        )
    entry = entry_of(doc)
    assert entry.dirty and entry.title == ""  # a placeholder until the task runs
    assert len(callbacks) >= 1
    assert desk.search("giao ban").count == 0
    # The queued task was lost: the periodic repair job catches up.
    call_command("repair_search_index", verbosity=0)
    entry.refresh_from_db()
    assert not entry.dirty and entry.title == doc.subject
    assert desk.titles("giao ban") == [doc.subject]


def test_a_failed_action_leaves_no_mark(desk):
    before = SearchEntry.objects.count()
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        desk.register(subject="")
    assert SearchEntry.objects.count() == before


def test_status_changes_reach_the_index(desk):
    doc = desk.register(subject="Tờ trình phê duyệt dự án")
    with TestCase.captureOnCommitCallbacks(execute=True):
        actions.present(desk.clerk, document=doc, leader=desk.leader)
    assert entry_of(doc).status == "presented"
    page = desk.search("phe duyet", facets=True)
    assert [(v.value, v.label) for v in page.facets["status"]] == [("presented", "Đã trình")]


def test_a_new_attachment_marks_its_document_and_reindexes_the_file_text(desk, monkeypatch):
    doc = desk.register(subject="Công văn kèm hồ sơ thiết kế", code_number="31")
    monkeypatch.setattr(
        "coquan.documents.search.attachment_text",
        lambda document: "Phụ lục: danh mục trạm BTS tại huyện Lục Ngạn, xã Quý Sơn.",
    )
    with TestCase.captureOnCommitCallbacks(execute=False):
        actions.add_attachment(desk.clerk, document=doc, file=upload("a.pdf", PDF_BYTES))
        assert entry_of(doc).dirty
    call_command("repair_search_index", verbosity=0)
    hits = desk.search("luc ngan").hits
    assert [h.object_id for h in hits] == [doc.pk]
    assert "<mark>Lục</mark> <mark>Ngạn</mark>" in hits[0].snippet_html
    # Attached-file text ranks below the same words in a subject (weight C < A).
    other = desk.register(subject="Trạm BTS huyện Lục Ngạn", code_number="32")
    assert [h.object_id for h in desk.search("luc ngan").hits] == [other.pk, doc.pk]


def test_index_task_removes_the_entry_of_a_vanished_object(desk):
    from coquan.search.tasks import index_object

    declaration = registry.get("documents.IncomingDocument")
    indexing.mark_dirty(declaration, 987654, desk.agency.pk)
    result = index_object.enqueue("documents.IncomingDocument", 987654)
    assert result.return_value == "removed"
    assert not SearchEntry.objects.filter(object_id=987654).exists()


@pytest.fixture
def many(desk):
    return [
        desk.register(subject=f"Báo cáo tuần số {i}", code_number=str(200 + i)) for i in range(7)
    ]


def test_rebuild_restores_a_lost_index_in_chunks(desk, many):
    SearchEntry.objects.all().delete()
    assert desk.search("bao cao tuan").count == 0
    statements, progress = [], []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        done = indexing.rebuild(
            "documents.IncomingDocument",
            chunk=3,
            progress=lambda label, count, last_pk: progress.append(count),
        )
    assert done == {"documents.IncomingDocument": 7}
    assert progress == [3, 6, 7]
    assert desk.search("bao cao tuan").count == 7
    reads = [
        sql for sql in statements if 'FROM "documents_incomingdocument"' in sql and "LIMIT 3" in sql
    ]
    assert len(reads) == 4  # 3 + 3 + 1, then an empty read ends it: never everything at once


def test_an_interrupted_rebuild_resumes_after_the_last_chunk(desk, many):
    SearchEntry.objects.all().delete()
    calls = []

    def stop_after_two_chunks(label, done, last_pk):
        calls.append(last_pk)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        indexing.rebuild("documents.IncomingDocument", chunk=2, progress=stop_after_two_chunks)
    cursor = RebuildCursor.objects.get(model_label="documents.IncomingDocument")
    assert cursor.done == 4 and cursor.last_pk == calls[-1] and cursor.finished_at is None
    assert SearchEntry.objects.count() == 4
    resumed = []
    indexing.rebuild(
        "documents.IncomingDocument",
        chunk=2,
        resume=True,
        progress=lambda label, done, last_pk: resumed.append(last_pk),
    )
    assert resumed[0] > calls[-1]  # started after the cursor, not from the beginning
    cursor.refresh_from_db()
    assert cursor.done == 7 and cursor.finished_at is not None
    assert desk.search("bao cao tuan").count == 7


def test_rebuild_drops_entries_of_objects_that_no_longer_exist(desk, many):
    declaration = registry.get("documents.IncomingDocument")
    indexing.mark_dirty(declaration, 555555, desk.agency.pk)
    indexing.rebuild()
    assert not SearchEntry.objects.filter(object_id=555555).exists()
    assert SearchEntry.objects.count() == 7


def test_rebuild_and_repair_commands(desk, many, capsys):
    call_command("rebuild_search_index", "--model", "documents.IncomingDocument", "--chunk", "5")
    out = capsys.readouterr().out
    assert "documents.IncomingDocument: 7 objects in the index." in out and "peak memory" in out
    call_command("rebuild_search_index", "--resume")
    SearchEntry.objects.filter(pk__in=SearchEntry.objects.values("pk")[:2]).update(dirty=True)
    call_command("repair_search_index")
    assert "2 dirty entries re-indexed" in capsys.readouterr().out
    assert not SearchEntry.objects.filter(dirty=True).exists()


def test_the_worker_schedule_repairs_dirty_entries(desk, many, settings):
    """No cron needed: run_worker's schedule enqueues the repair every few minutes."""
    from django.utils import timezone

    from coquan.core import schedule

    settings.COQUAN_SCHEDULER = True
    settings.COQUAN_DAILY_JOBS = {}
    stale = SearchEntry.objects.order_by("pk").first()
    SearchEntry.objects.filter(pk=stale.pk).update(dirty=True, title="cũ")
    assert schedule.tick(now=timezone.now(), worker_id="w1") == ["repair_search_index"]
    stale.refresh_from_db()
    assert not stale.dirty and stale.title != "cũ"


def test_rebuild_command_refuses_an_unknown_model(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"Indexed models: documents\.IncomingDocument"):
        call_command("rebuild_search_index", "--model", "documents.Nothing")


def test_no_index_write_is_an_audited_action(desk):
    # Index writes are derived data: registering writes its one audit entry, nothing more.
    before = AuditEntry.objects.count()
    desk.register(subject="Thông báo lịch nghỉ Tết")
    assert AuditEntry.objects.count() == before + 1


def test_missing_fts_triggers_are_restored_after_migrate(desk):
    from django.db import connection

    from coquan.search.engines import restore_sqlite_triggers

    doc = desk.register(subject="Công văn đôn đốc báo cáo thống kê")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER search_fts_update")
        assert restore_sqlite_triggers() is True
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
            assert cursor.fetchone()[0] >= 3
    assert restore_sqlite_triggers() is False  # in place (PostgreSQL: nothing to do)
    assert [h.object_id for h in desk.search("don doc thong ke").hits] == [doc.pk]
