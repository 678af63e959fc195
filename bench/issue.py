"""Benchmark: issuing outgoing documents against pyHanko signing alone, in the same run.

The floor (a) adds the agency's seal signature to a signed PDF with pyHanko alone, in
memory, the way pyHanko's documentation does it (``signers.SimpleSigner`` + ``PdfSigner``):
the same key (RSA 2048), the same visible seal image, the same PDF, nothing else.
For information the script also times (a') the same signature with CoQuan's own signer
(``ServerKeySigner``: pyHanko with the private key parsed once instead of at every
signature), so the overhead of numbering and queuing can be read against both.
The measured path (b) is ``documents.actions.issue`` on a signed document, one transaction
per document: lock the document and the register book, take the next number, build the
seal image with the number, sign with pyHanko, store the signed PDF, queue the delivery to
the recipient agency, write the internal receipt, the timeline row and the audit entry.
Both run in the same process, in interleaved rounds. The script prints documents/s for
both and their ratio, checks that the numbers are 01..N without gap and that a sample of
issued PDFs verifies with pyHanko, and exits 1 when the ratio is below ``--target``
(issue 4: 0.7) or a check fails.

Preparing the signed documents (drafting, the chain, the personal signature) is not timed.

Database: a throw-away SQLite file in a temporary folder when DATABASE_URL is unset; with
DATABASE_URL (PostgreSQL) a throw-away database ``coquan_bench_issue`` on that server,
created and dropped by the script. Query logging is off during the timed loops.

    .venv/bin/python bench/issue.py [--n 200] [--target 0.7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/issue.py
"""

from __future__ import annotations

import argparse
import sys
import time

from harness import bench_main


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="documents per path (200)")
    parser.add_argument("--target", type=float, default=0.7, help="minimum issue/sign ratio (0.7)")
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds (10)")
    return parser.parse_args(argv)


def draft_pdf() -> bytes:
    import weasyprint

    html = (
        "<html lang='vi'><body style=\"font-family: 'Noto Serif'; font-size: 13pt\">"
        "<p><b>SỞ THÔNG TIN VÀ TRUYỀN THÔNG</b></p><p>V/v báo cáo số liệu viễn thông</p>"
        + "<p>Nội dung văn bản trả lời, đủ dài như một công văn thật.</p>" * 12
        + "</body></html>"
    )
    return weasyprint.HTML(string=html).write_pdf()


def setup_office():
    from coquan.accounts.models import User
    from coquan.documents.actions import generate_signing_key
    from coquan.org.choices import AgencyLevel, RoleCode
    from coquan.org.models import Agency, Membership, Role, Unit

    for code in RoleCode.values:
        Role.objects.get_or_create(code=code)
    agency = Agency.objects.create(
        organ_id="000.00.14.H98",
        name="Sở Thông tin và Truyền thông",
        short_name="STTTT",
        level=AgencyLevel.DEPARTMENT,
    )
    partner = Agency.objects.create(
        organ_id="000.00.15.H98",
        name="Sở Tài chính",
        short_name="STC",
        level=AgencyLevel.DEPARTMENT,
    )
    unit = Unit.objects.create(agency=agency, code="CNTT", name="Phòng Công nghệ thông tin")
    people = {}
    for username, role, member_unit in (
        ("officer", "officer", unit),
        ("leader", "leader", None),
        ("clerk", "clerk", None),
    ):
        user = User.objects.create(username=f"bench_{username}", full_name=f"Cán bộ {username}")
        membership = Membership.objects.create(user=user, agency=agency, unit=member_unit)
        membership.roles.set(Role.objects.filter(code=role))
        people[username] = user
    generate_signing_key(None, agency=agency)
    generate_signing_key(None, agency=agency, holder=people["leader"])
    return agency, partner, unit, people


def signed_documents(count: int, agency, partner, unit, people, pdf: bytes) -> list:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coquan.documents import actions
    from coquan.documents.choices import RecipientKind
    from coquan.documents.models import DocumentType

    doc_type = DocumentType.objects.get(agency=None, code="cong-van")
    documents = []
    for index in range(count):
        doc = actions.create_draft(
            people["officer"],
            agency=agency,
            document_type=doc_type,
            subject=f"V/v báo cáo số liệu viễn thông số {index}",
            signer=people["leader"],
            recipients=[
                (RecipientKind.AGENCY, partner),
                (RecipientKind.UNIT, unit),
                (RecipientKind.TEXT, "Lưu: VT, CNTT."),
            ],
            main_file=SimpleUploadedFile("du-thao.pdf", pdf, content_type="application/pdf"),
        )
        doc = actions.submit(people["officer"], document=doc, skip_review=True, form_check=False)
        doc = actions.approve(people["leader"], document=doc)
        documents.append(actions.sign(people["leader"], document=doc))
    return documents


def stock_pyhanko_signer(agency):
    """The agency's key in pyHanko's own ``SimpleSigner`` (the library as documented)."""
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from coquan.documents.models import SigningKey
    from coquan.documents.signing.server import ServerKeySigner

    class StockSigner(ServerKeySigner):
        def _pyhanko_signer(self):
            return signers.SimpleSigner(
                signing_cert=self._certificate,
                signing_key=self._key,
                cert_registry=SimpleCertificateStore.from_certs([self._certificate]),
            )

    key = SigningKey.objects.agency_key(agency)
    return StockSigner(certificate_pem=key.certificate_pem, private_key_pem=key.private_key_pem)


def measure_sign(signer, data: bytes, request, count: int) -> float:
    """(a) pyHanko adds the seal signature in memory ``count`` times; returns seconds."""
    start = time.perf_counter()
    for _ in range(count):
        signer.sign_pdf(data, request)
    return time.perf_counter() - start


def measure_issue(documents, clerk) -> float:
    """(b) ``actions.issue`` per document, each in its own transaction; returns seconds."""
    from coquan.documents import actions

    start = time.perf_counter()
    for document in documents:
        actions.issue(clerk, document=document)
    return time.perf_counter() - start


def run(args) -> int:
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0, skip_checks=True)
    from coquan.documents import files as file_store
    from coquan.documents.actions.outgoing_common import current_main
    from coquan.documents.models import Delivery, OutgoingDocument
    from coquan.documents.signing import get_signer, trusted_certificates
    from coquan.documents.signing.placement import seal_request
    from coquan.documents.signing.verify import verify_pdf

    agency, partner, unit, people = setup_office()
    pdf = draft_pdf()
    warmup = min(5, args.n)
    print(f"preparing {args.n + warmup} signed documents ...", flush=True)
    documents = signed_documents(args.n + warmup, agency, partner, unit, people, pdf)
    settings.DEBUG = False  # no query log in the timed loops, as in production
    signed_bytes = file_store.read_bytes(current_main(documents[0]).file.name)
    sample = OutgoingDocument.objects.get(pk=documents[0].pk)
    sample.code_number, sample.code_notation = "01", "STTTT-CNTT"
    request = seal_request(sample)
    stock = stock_pyhanko_signer(agency)
    tuned = get_signer(agency)

    measure_sign(stock, signed_bytes, request, warmup)
    measure_sign(tuned, signed_bytes, request, warmup)
    measure_issue(documents[:warmup], people["clerk"])
    rest = documents[warmup:]
    sign_seconds = tuned_seconds = issue_seconds = 0.0
    size = max(1, -(-args.n // args.rounds))
    for number, start in enumerate(range(0, args.n, size)):
        batch = rest[start : start + size]
        if number % 2:
            issue_seconds += measure_issue(batch, people["clerk"])
            sign_seconds += measure_sign(stock, signed_bytes, request, len(batch))
            tuned_seconds += measure_sign(tuned, signed_bytes, request, len(batch))
        else:
            sign_seconds += measure_sign(stock, signed_bytes, request, len(batch))
            tuned_seconds += measure_sign(tuned, signed_bytes, request, len(batch))
            issue_seconds += measure_issue(batch, people["clerk"])
    sign_rate = args.n / sign_seconds
    tuned_rate = args.n / tuned_seconds
    issue_rate = args.n / issue_seconds
    ratio = issue_rate / sign_rate

    issued = list(
        OutgoingDocument.objects.filter(status="issued")
        .order_by("register_number")
        .values_list("register_number", flat=True)
    )
    numbers_ok = issued == list(range(1, len(documents) + 1))
    deliveries = Delivery.objects.filter(state="queued").count()
    trusted = trusted_certificates(agency)
    checked = OutgoingDocument.objects.filter(status="issued").order_by("?")[:5]
    verified = all(
        verify_pdf(file_store.read_bytes(current_main(doc).file.name), trusted, use_cache=False).ok
        for doc in checked
    )
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"documents: {args.n} per path, in {args.rounds} interleaved rounds")
    print(f"(a)  pyHanko seal signature alone:     {sign_rate:8.1f} documents/s")
    print(f"(a') CoQuan's signer (key parsed once): {tuned_rate:8.1f} documents/s")
    print(f"(b)  issue (number + sign + queue):     {issue_rate:8.1f} documents/s")
    print(
        f"ratio b/a: {ratio:.2f} (target >= {args.target:.2f}); b/a': {issue_rate / tuned_rate:.2f}"
    )
    print(f"numbers 01..{len(documents):02d} gapless: {'OK' if numbers_ok else 'BROKEN'}")
    print(
        f"deliveries queued: {deliveries}; sample PDFs verified: {'OK' if verified else 'FAILED'}"
    )
    if not numbers_ok or not verified or deliveries != len(documents):
        print("FAIL: a check failed")
        return 1
    if ratio < args.target:
        print("FAIL: issuing is below the target ratio")
        return 1
    print("PASS")
    return 0


def main(argv=None) -> int:
    return bench_main(
        "issue",
        "issue benchmark",
        run,
        parse_args(argv),
        env=lambda tmp: {"COQUAN_MEDIA_ROOT": str(tmp / "files")},
    )


if __name__ == "__main__":
    sys.exit(main())
