"""The hostile-input corpus (tests/hostile/README.md): every case is refused in time, with
bounded memory, and leaves only the quarantined raw package, one audit entry and, where the
sender can be told, a status 02."""

from __future__ import annotations

import base64
import time
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coquan.audit.models import AuditEntry
from coquan.exchange.actions import receive_package
from coquan.exchange.choices import PackageState
from coquan.exchange.edxml import (
    Attachment,
    PackageRefused,
    build_document_package,
    parse_package,
)
from coquan.exchange.edxml.problems import MESSAGES
from coquan.exchange.edxml.safe import decode_base64, parse_xml
from coquan.exchange.models import OutgoingStatus, ReceivedAttachment, ReceivedPackage
from coquan.exchange.tests.helpers import HOSTILE, make_package

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
TIME_LIMIT = 2.0
MEMORY_LIMIT = 16 * MIB

# file → (refusal code, status 02 sent)
CORPUS = {
    "xxe-file.edxml": ("doctype", False),
    "xxe-network.edxml": ("doctype", False),
    "doctype-after-comment.edxml": ("doctype", False),
    "billion-laughs.edxml": ("doctype", False),
    "quadratic-blowup.edxml": ("doctype", False),
    "deep-nesting.edxml": ("too_deep", False),
    "huge-attachment.edxml": ("attachment_too_large", True),
    "bad-base64.edxml": ("bad_base64", True),
    "wrong-namespace.edxml": ("wrong_namespace", False),
    "duplicate-messageheader.edxml": ("duplicate_element", False),
    "wrong-recipient.edxml": ("wrong_recipient", True),
    "truncated.edxml": ("malformed", False),
    "non-utf8.edxml": ("not_utf8", False),
    "invalid-utf8.edxml": ("not_utf8", False),
    "utf16.edxml": ("not_utf8", False),
}


def test_the_corpus_lists_every_file():
    assert sorted(p.name for p in HOSTILE.glob("*.edxml")) == sorted(CORPUS)


def measured(call):
    """Run ``call``; return its result, the seconds it took and its peak allocation."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = call()
    finally:
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, elapsed, peak


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_package_is_refused(name, recipient, clerk, settings):
    settings.COQUAN_EXCHANGE_MAX_ATTACHMENT_BYTES = 16 * 1024
    code, status_02 = CORPUS[name]
    raw = (HOSTILE / name).read_bytes()

    receipt, elapsed, peak = measured(
        lambda: receive_package(clerk, agency=recipient, raw=raw, source="api")
    )

    assert elapsed < TIME_LIMIT, f"{name}: {elapsed:.2f} s"
    assert peak < MEMORY_LIMIT, f"{name}: {peak / MIB:.1f} MiB"
    row = receipt.package
    assert (row.state, row.error_code) == (PackageState.QUARANTINED, code)
    refusal = receipt.refusal
    assert refusal.code == code
    assert refusal.message and refusal.message_vi
    assert refusal.status_reason.startswith("Từ chối tiếp nhận: ")
    # nothing stored but the raw package (quarantined), one audit entry, maybe a status 02
    assert ReceivedPackage.objects.count() == 1
    assert row.raw_file.name and row.raw_size == len(raw)
    assert ReceivedAttachment.objects.count() == 0
    assert AuditEntry.objects.filter(action="exchange.package.receive").count() == 1
    statuses = list(OutgoingStatus.objects.values_list("status_code", flat=True))
    assert statuses == (["02"] if status_02 else [])


def test_xxe_never_reads_the_file(recipient, clerk):
    raw = (HOSTILE / "xxe-file.edxml").read_bytes()
    receipt = receive_package(clerk, agency=recipient, raw=raw, source="api")
    assert "root:" not in str(receipt.package.header) + receipt.package.subject


def test_package_over_the_size_limit_is_refused_before_parsing(recipient, clerk):
    raw = b"<" * (50 * MIB + 1)  # not even XML: it must never reach the parser
    receipt, elapsed, peak = measured(
        lambda: receive_package(clerk, agency=recipient, raw=raw, source="api")
    )
    assert receipt.package.error_code == "too_large"
    assert elapsed < TIME_LIMIT
    assert peak < 4 * MIB  # the bytes are neither copied nor stored
    assert receipt.package.raw_file.name == ""


def _with_attachment(size: int) -> bytes:
    return build_document_package(
        make_package(
            attachments=[
                Attachment(
                    content_id="cid:1",
                    attachment_name="scan.pdf",
                    content_type="application/pdf",
                    data=b"\0" * size,
                )
            ]
        )
    )


@pytest.mark.parametrize(
    ("size", "code", "status_02"),
    [
        (7_200_000, "attachment_too_large", True),  # over the default limit of 7 000 000
        (8_000_000, "text_too_long", False),  # beyond libxml2's 10 MB text node: unread
    ],
)
def test_attachment_over_the_default_limit_is_refused(recipient, clerk, size, code, status_02):
    data = _with_attachment(size)
    receipt, elapsed, peak = measured(
        lambda: receive_package(clerk, agency=recipient, raw=data, source="api")
    )
    assert receipt.package.error_code == code
    assert elapsed < TIME_LIMIT
    assert peak < 3 * len(data)
    assert (receipt.status is not None) == status_02
    assert ReceivedAttachment.objects.count() == 0


def test_many_elements_are_refused_early():
    body = b"<edXML:Place>x</edXML:Place>" * 30_000
    raw = build_document_package(make_package()).replace(
        b"<edXML:ToPlaces>", b"<edXML:ToPlaces>" + body
    )
    with pytest.raises(PackageRefused) as refused:
        parse_xml(raw)
    assert refused.value.code == "too_many_elements"


@pytest.mark.parametrize(
    "text",
    [
        "aGVsbG8",  # missing padding
        "aGVsbG8=-_",  # URL-safe alphabet
        "aGVsbG8=aGVsbG8=",  # padding in the middle
        "aGVsbG8=ệ",  # not ASCII
    ],
)
def test_base64_is_strict(text):
    with pytest.raises(PackageRefused) as refused:
        decode_base64(text, name="a.txt")
    assert refused.value.code == "bad_base64"


def test_base64_line_breaks_are_accepted():
    encoded = base64.encodebytes(b"x" * 200).decode()  # MIME style, 76 characters a line
    assert "\n" in encoded
    assert decode_base64(encoded, name="a.txt") == b"x" * 200


VALID = build_document_package(make_package())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=len(VALID)),
    junk=st.binary(max_size=40),
    position=st.integers(min_value=0, max_value=len(VALID)),
)
def test_damaged_packages_parse_or_are_refused_never_crash(cut, junk, position):
    damaged = (VALID[:position] + junk + VALID[position:])[: max(cut, 1)]
    try:
        parse_package(damaged)
    except PackageRefused as refused:
        assert refused.code in MESSAGES
