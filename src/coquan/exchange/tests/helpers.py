"""Test helpers: the interop samples, a valid package builder, test keys.

Keys are generated with ``cryptography`` (2048 bits to keep the suite fast): a real
certification authority cannot exist in a test run, so every certificate is self-signed
and trust comes from the agency keys known to the deployment.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cryptography import x509

from coquan.exchange.edxml import (
    Attachment,
    Business,
    Code,
    DocumentPackage,
    DocumentType,
    Organization,
    OtherInfo,
    PromulgationInfo,
    SignerInfo,
    StaffInfo,
    TraceHeader,
)
from coquan.exchange.edxml.signing import Signer, generate_agency_certificate

HERE = Path(__file__).parent
INTEROP = HERE / "interop"
HOSTILE = HERE / "hostile"

SAMPLE_NEW = INTEROP / "hub-sample-new.edxml"
SAMPLE_UPDATE = INTEROP / "hub-sample-update.edxml"
SAMPLE_STATUS = INTEROP / "hub-sample-status-05.edxml"

# The recipient of hub-sample-new.edxml and its sender.
SAMPLE_RECIPIENT = "000.00.01.A53"
SAMPLE_SENDER = "000.00.11.H53"

SENDER = "000.00.14.H06"  # Sở Thông tin và Truyền thông (demo province)
RECIPIENT = "000.01.40.H06"  # UBND xã Đức Thắng


def minimal_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table (readable by pyHanko)."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


MINIMAL_PDF = minimal_pdf()


def signed_pdf(organ_id: str, data: bytes | None = None) -> bytes:
    """``data`` (default: ``minimal_pdf()``) signed (PAdES) with ``organ_id``'s test key."""
    from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key_pem, cert_pem = key_pair(organ_id)
    certificate = next(iter(load_certs_from_pemder_data(cert_pem)))
    signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=load_private_key_from_pemder_data(key_pem, None),
        cert_registry=SimpleCertificateStore.from_certs([certificate]),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data or minimal_pdf()))

    def sign():
        metadata = signers.PdfSignatureMetadata(field_name="ChuKySo")
        return signers.sign_pdf(writer, metadata, signer=signer).getvalue()

    # pyHanko runs its own event loop: keep it off the thread where browser tests run one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(sign).result()


def sample(path: Path) -> bytes:
    return path.read_bytes()


def make_package(
    *,
    sender: str = SENDER,
    recipients: tuple[str, ...] = (RECIPIENT,),
    number: str = "125",
    notation: str = "STTTT-CĐS",
    issued: dt.date = dt.date(2026, 3, 2),
    subject: str = "V/v triển khai chuyển đổi số cấp xã năm 2026",
    attachments: list[Attachment] | None = None,
    **overrides,
) -> DocumentPackage:
    """A valid new-document package (every field filled, one attachment)."""
    document_id = f"{sender},{issued:%Y/%m/%d},{number}/{notation}"
    if attachments is None:
        attachments = [
            Attachment(
                content_id="cid:1",
                attachment_name="cong-van-125.pdf",
                description="Công văn số 125",
                content_type="application/pdf",
                data=MINIMAL_PDF,
            )
        ]
    values = {
        "sender": Organization(
            organ_id=sender,
            organization_in_charge="UBND tỉnh Bắc Giang",
            organ_name="Sở Thông tin và Truyền thông tỉnh Bắc Giang",
            organ_add="Số 2 Hoàng Văn Thụ, thành phố Bắc Giang",
            email="stttt@bacgiang.gov.vn",
            telephone="0204 3854 331",
            website="https://stttt.bacgiang.gov.vn",
        ),
        "recipients": [
            Organization(organ_id=organ_id, organ_name=f"Cơ quan {organ_id}")
            for organ_id in recipients
        ],
        "document_id": document_id,
        "code": Code(code_number=number, code_notation=notation),
        "promulgation_info": PromulgationInfo(place="Bắc Giang", promulgation_date=issued),
        "document_type": DocumentType(type=1, type_detail=18, type_name="Công văn"),
        "subject": subject,
        "content": "Đề nghị UBND các xã triển khai kế hoạch chuyển đổi số.",
        "signer_info": SignerInfo(
            competence="KT. GIÁM ĐỐC", position="Phó Giám đốc", full_name="Nguyễn Văn Đức"
        ),
        "due_date": issued + dt.timedelta(days=14),
        "other_info": OtherInfo(
            priority=1,
            sphere_of_promulgation="Liên thông văn bản",
            typer_notation="TVC",
            promulgation_amount=12,
            page_amount=2,
            direction=False,
            appendixes=["Phụ lục kế hoạch"],
        ),
        "steering_type": 1,
        "to_places": ["Như trên", "Lưu: VT, CĐS"],
        "trace_headers": [TraceHeader(organ_id=sender, timestamp=dt.datetime(2026, 3, 2, 9, 30))],
        "business": Business(
            document_id=document_id,
            doc_type=0,
            doc_reason="Văn bản điện tử mới",
            paper=0,
            staff_info=StaffInfo(
                department="Văn phòng Sở", staff="Trần Thị Văn Thư", email="vt@bacgiang.gov.vn"
            ),
        ),
        "attachments": attachments,
    }
    values.update(overrides)
    return DocumentPackage(**values)


@functools.lru_cache(maxsize=16)
def key_pair(organ_id: str, days: int = 365) -> tuple[bytes, bytes]:
    """A cached RSA key (2048 bits) and self-signed certificate for ``organ_id``."""
    return generate_agency_certificate(
        organ_id=organ_id, name=f"Cơ quan {organ_id}", key_size=2048, days=days
    )


def signer_for(organ_id: str) -> Signer:
    key_pem, cert_pem = key_pair(organ_id)
    return Signer(private_key_pem=key_pem, certificate_pem=cert_pem)


def certificate_for(organ_id: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(key_pair(organ_id)[1])


class Downstream(http.server.ThreadingHTTPServer):
    """A node behind a hub, as a recording HTTP server (201 to every POST): another CoQuan
    node cannot run inside the test database."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.received.append((dict(self.headers), body))
                self.send_response(201)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


UNREACHABLE = "http://127.0.0.1:9/"  # nothing listens on the discard port


def issue_unreachable(dept, settings, *, attempts: int, subject: str | None = None):
    """Route ``dept.partner`` to a port where nothing listens, allow ``attempts`` delivery
    attempts, issue a document to it and run the outbox until idle; the document and what
    the run did (``outbox.run_until_idle``)."""
    from coquan.exchange import outbox
    from coquan.exchange.models import Route

    settings.COQUAN_EXCHANGE_MAX_ATTEMPTS = attempts
    Route.objects.create(organ_id=dept.partner.organ_id, transport="http", endpoint=UNREACHABLE)
    draft = dept.draft(subject=subject) if subject else dept.draft()
    document = dept.advance(draft, "issued")
    return document, outbox.run_until_idle()
