"""The hash chain: appends link up, verify finds every kind of tampering, writes are guarded."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from coquan.audit import services
from coquan.audit.models import AppendOnlyError, AuditChainHead, AuditEntry
from coquan.audit.services import GENESIS_HASH, append, compute_hash, verify
from coquan.audit.tests.helpers import (
    insert_row,
    json_param,
    raw,
    rename_unit,
    shift_up_from,
    swap_seq,
)
from coquan.core.testing.factories import AgencyFactory, UnitFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    """Ten entries: seven plain appends and three real actions (agency admin renames)."""
    agency = AgencyFactory(name="Sở Thông tin và Truyền thông")
    admin = make_member(agency, "admin", username="quantri")
    unit = UnitFactory(agency=agency, code="CNTT", name="Phòng Công nghệ thông tin")
    for i in range(1, 8):
        if i in (3, 5, 7):
            rename_unit(admin, agency=agency, unit=unit, name=f"Phòng Chuyển đổi số {i}")
        else:
            append(
                action="test.plain",
                actor=admin,
                agency=agency,
                summary=f"Mục thử nghiệm {i}",
                before={"step": i - 1},
                after={"step": i, "note": "đã cập nhật"},
                request_id=f"req{i}",
                ip="192.0.2.10",
            )
    for i in range(8, 11):
        append(action="test.plain", summary=f"Mục {i}", after={"n": i})
    assert AuditEntry.objects.count() == 10
    return agency


def entry(seq: int) -> AuditEntry:
    return AuditEntry.objects.get(seq=seq)


# --- an intact chain ---------------------------------------------------------------------


def test_intact_chain_verifies(chain):
    result = verify()
    assert result.ok
    assert result.checked == 10
    assert result.last_seq == 10
    assert result.last_hash == entry(10).entry_hash
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (10, entry(10).entry_hash)


def test_each_entry_links_to_the_one_before(chain):
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, 11))
    assert entries[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.entry_hash
    assert all(compute_hash(e) == e.entry_hash for e in entries)


def test_many_entries_verify_in_small_chunks(chain, django_assert_max_num_queries):
    for i in range(40):
        append(action="test.bulk", summary=f"bulk {i}")
    # 50 entries in chunks of 7: 8 chunk queries and one head read.
    with django_assert_max_num_queries(9):
        result = verify(chunk_size=7)
    assert result.ok and result.checked == 50


def test_empty_chain_verifies():
    assert verify().ok
    assert verify().checked == 0


def test_append_returns_the_stored_entry(chain):
    agency = chain
    stored = append(action="test.returned", agency=agency, after={"x": 1.0, "y": 2.5})
    fresh = AuditEntry.objects.get(pk=stored.pk)
    assert fresh.seq == stored.seq == 11
    assert fresh.entry_hash == stored.entry_hash == compute_hash(fresh)
    assert fresh.agency_id == agency.pk
    assert fresh.after == {"x": 1, "y": 2.5}


def test_agency_may_be_given_as_an_id(chain):
    agency = chain
    by_id = append(action="test.by_id", agency=str(agency.pk))
    assert AuditEntry.objects.get(pk=by_id.pk).agency_id == agency.pk
    assert verify().ok


def test_append_inside_a_rolled_back_transaction_leaves_no_gap(chain):
    with pytest.raises(RuntimeError), transaction.atomic():
        append(action="test.lost", summary="rolled back")
        raise RuntimeError("caller fails")
    assert not AuditEntry.objects.filter(action="test.lost").exists()
    assert append(action="test.kept").seq == 11
    assert verify().ok


def test_hashes_survive_values_databases_rewrite(chain):
    append(
        action="test.values",
        summary="NUL\x00 removed",
        before={"big": 1e20, "whole": 100.0, "neg_zero": -0.0, "nested": [{"b": 1, "a": None}]},
        after={"date": dt.date(2026, 2, 13), "text": "Tết Bính Ngọ", "nan": float("nan")},
        ip="2001:0DB8:0000:0000:0000:0000:0000:0001",
    )
    stored = AuditEntry.objects.get(action="test.values")
    assert stored.summary == "NUL removed"
    assert stored.ip == "2001:db8::1"
    assert stored.after["date"] == "2026-02-13"
    assert verify().ok


@settings(max_examples=40, deadline=None)
@given(
    payload=st.recursive(
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**53), max_value=2**53)
        | st.floats(allow_nan=False, allow_infinity=False, width=64)
        | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=12,
    )
)
def test_any_json_payload_reads_back_with_the_same_hash(payload):
    stored = append(action="test.property", before={"value": payload}, after=payload)
    fresh = AuditEntry.objects.get(pk=stored.pk)
    assert compute_hash(fresh) == stored.entry_hash


@settings(max_examples=200, deadline=None)
@given(
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=6), children, max_size=4)
        ),
        max_leaves=15,
    )
)
def test_plain_json_shortcut_matches_the_encoder_round_trip(payload):
    through_encoder = services._canonical_values(json.loads(json.dumps(payload)))
    assert services.canonical_text(services.normalise_json(payload)) == services.canonical_text(
        through_encoder
    )


def test_deleting_a_person_keeps_the_chain(chain):
    agency = chain
    person = UserFactory(username="sap_nghi")
    append(action="test.by_person", actor=person, agency=agency)
    person.delete()
    stored = AuditEntry.objects.get(action="test.by_person")
    assert stored.actor_name == "sap_nghi"
    assert verify().ok


def test_a_missing_head_is_rebuilt_from_the_last_entry(chain):
    raw("DELETE FROM {head}")
    assert append(action="test.after_reset").seq == 11
    assert verify().ok


# --- tampering: edits, deletions, insertions, reordering ------------------------------------


def assert_broken(result, *, position, seq, code):
    assert not result.ok
    assert (result.position, result.broken_seq, result.code) == (position, seq, code)


def test_edited_summary_is_detected(chain):
    raw("UPDATE {table} SET summary = %s WHERE seq = %s", ["Nội dung đã bị sửa", 5])
    result = verify()
    assert_broken(result, position=5, seq=5, code="content")
    assert result.checked == 4


def test_edited_after_value_is_detected(chain):
    raw("UPDATE {table} SET after = %s WHERE seq = %s", [json_param({"n": 999}), 9])
    assert_broken(verify(), position=9, seq=9, code="content")


def test_edited_before_value_is_detected(chain):
    tampered = dict(entry(3).before, name="Tên khác")
    raw("UPDATE {table} SET before = %s WHERE seq = %s", [json_param(tampered), 3])
    assert_broken(verify(), position=3, seq=3, code="content")


def test_edited_actor_is_detected(chain):
    raw("UPDATE {table} SET actor_name = %s, actor_id = NULL WHERE seq = %s", ["ai_do", 2])
    assert_broken(verify(), position=2, seq=2, code="content")


def test_edit_with_recomputed_hash_breaks_the_next_link(chain):
    forged = entry(4)
    forged.summary = "Viết lại và tính lại hash"
    raw(
        "UPDATE {table} SET summary = %s, entry_hash = %s WHERE seq = %s",
        [forged.summary, compute_hash(forged), 4],
    )
    assert_broken(verify(), position=5, seq=5, code="link")


def test_deleted_entry_in_the_middle_is_detected(chain):
    raw("DELETE FROM {table} WHERE seq = %s", [6])
    result = verify()
    assert_broken(result, position=6, seq=7, code="sequence")
    assert "6" in result.reason and "7" in result.reason


def test_deleted_last_entry_is_detected(chain):
    raw("DELETE FROM {table} WHERE seq = %s", [10])
    result = verify()
    assert_broken(result, position=10, seq=10, code="head")
    assert result.checked == 9


def test_deleted_last_entries_are_detected(chain):
    raw("DELETE FROM {table} WHERE seq >= %s", [8])
    assert_broken(verify(), position=8, seq=8, code="head")


def test_deleted_first_entry_is_detected(chain):
    raw("DELETE FROM {table} WHERE seq = %s", [1])
    assert_broken(verify(), position=1, seq=2, code="sequence")


def test_inserted_entry_with_a_plausible_hash_is_detected(chain):
    """A forged entry slotted in after #5, renumbering the rest, with a correct own hash."""
    previous = entry(5)
    shift_up_from(6)
    forged = {
        "seq": 6,
        "created_at": previous.created_at + dt.timedelta(seconds=1),
        "actor_id": previous.actor_id,
        "actor_name": previous.actor_name,
        "agency_id": previous.agency_id,
        "action": "test.plain",
        "object_type": "",
        "object_id": "",
        "summary": "Mục chèn thêm",
        "before": None,
        "after": {"forged": True},
        "request_id": "",
        "ip": None,
        "prev_hash": previous.entry_hash,
    }
    forged["entry_hash"] = compute_hash(forged)
    insert_row(forged)
    result = verify()
    # The forged entry itself checks out; the next one no longer links to its predecessor.
    assert_broken(result, position=7, seq=7, code="link")
    assert result.checked == 6


def test_entry_added_after_the_last_one_is_detected(chain):
    last = entry(10)
    forged = {
        "seq": 11,
        "created_at": last.created_at + dt.timedelta(seconds=1),
        "actor_id": None,
        "actor_name": "",
        "agency_id": None,
        "action": "test.plain",
        "object_type": "",
        "object_id": "",
        "summary": "Thêm vào cuối",
        "before": None,
        "after": None,
        "request_id": "",
        "ip": None,
        "prev_hash": last.entry_hash,
    }
    forged["entry_hash"] = compute_hash(forged)
    insert_row(forged)
    assert_broken(verify(), position=11, seq=11, code="head")


def test_reordered_pair_is_detected(chain):
    swap_seq(4, 5)
    assert_broken(verify(), position=4, seq=4, code="link")


def test_entry_moved_before_the_start_is_detected(chain):
    raw("UPDATE {table} SET seq = %s WHERE seq = %s", [0, 3])
    assert_broken(verify(), position=1, seq=0, code="sequence")


def test_missing_head_is_detected(chain):
    raw("DELETE FROM {head}")
    assert_broken(verify(), position=10, seq=10, code="head_missing")


# --- the management command ------------------------------------------------------------------


def test_command_reports_ok(chain, capsys):
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "OK: 10 entries verified" in out
    assert entry(10).entry_hash in out


def test_command_reports_the_first_broken_position(chain):
    raw("UPDATE {table} SET summary = %s WHERE seq = %s", ["sửa", 5])
    swap_seq(7, 8)
    with pytest.raises(CommandError) as error:
        call_command("audit_verify", chunk_size=3)
    assert error.value.returncode == 1
    message = str(error.value)
    assert "BROKEN at position 5 (seq 5)" in message
    assert "content was changed" in message  # English on the command line


@pytest.mark.django_db(transaction=True)
def test_command_exit_codes(capsys):
    for i in range(3):
        append(action="test.cli", summary=str(i))
    ManagementUtility(["coquan", "audit_verify"]).execute()  # returns: exit status 0
    assert "OK: 3 entries verified" in capsys.readouterr().out
    raw("DELETE FROM {table} WHERE seq = %s", [2])
    with pytest.raises(SystemExit) as broken_exit:
        ManagementUtility(["coquan", "audit_verify"]).execute()
    assert broken_exit.value.code == 1
    assert "BROKEN at position 2 (seq 3)" in capsys.readouterr().err


# --- append-only guards ----------------------------------------------------------------------


def test_saving_an_existing_entry_is_refused(chain):
    stored = entry(3)
    stored.summary = "sửa qua ORM"
    with pytest.raises(AppendOnlyError):
        stored.save()
    assert entry(3).summary != "sửa qua ORM"


def test_creating_entries_outside_append_is_refused(chain):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.create(seq=99, action="forged", prev_hash="", entry_hash="")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry(seq=98, action="forged")])


def test_deleting_an_entry_is_refused(chain):
    with pytest.raises(AppendOnlyError):
        entry(3).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq__gt=5).delete()
    assert AuditEntry.objects.count() == 10


def test_queryset_update_is_refused(chain):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=2).update(summary="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(summary="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry(2)], ["summary"])
    assert verify().ok


# --- concurrency ------------------------------------------------------------------------------

THREADS = 6
PER_THREAD = 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_form_a_gapless_chain():
    """Several threads append at once; the chain stays gapless and verifies.

    On PostgreSQL the threads really race (the head row lock orders them). The SQLite test
    database lives in memory, shared between connections, where concurrent writers would
    fail with "table is locked" instead of waiting; there the same threads append one at a
    time (serialised by a lock), which still checks per-thread connections and ordering.
    """
    racing = connection.vendor == "postgresql"
    start = threading.Barrier(THREADS)
    serialise = threading.Lock()
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            start.wait(timeout=30)
            for i in range(PER_THREAD):
                if racing:
                    append(action="test.concurrent", summary=f"{number}-{i}")
                else:
                    with serialise:
                        append(action="test.concurrent", summary=f"{number}-{i}")
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    total = THREADS * PER_THREAD
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    summaries = set(AuditEntry.objects.values_list("summary", flat=True))
    assert summaries == {f"{n}-{i}" for n in range(THREADS) for i in range(PER_THREAD)}
    result = verify()
    assert result.ok and result.checked == total
    assert services.verify(chunk_size=4).ok
