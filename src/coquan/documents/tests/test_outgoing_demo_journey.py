"""The "Must show" journey of outgoing documents, played by the demo users of ``make run``.

The demo data is loaded as the Makefile's ``demo`` target loads it (the recipe and the
``DEMO_AGENCY``/``DEMO_SIGNERS`` values are read from the Makefile): ``seed_demo``,
``registry_seed_demo``, ``onestop_seed_demo`` and ``documents_signing_key … --if-missing``.
Then the demo people sign in with the published demo password and work through the UI only:
the clerk registers a paper incoming document and presents it; the director assigns it to the
IT officer; the officer drafts the reply from it; the IT unit leader asks the telecoms unit
for its opinion and passes the draft on; the telecoms officer (a person added by
``onestop_seed_demo``) gives the opinion; the office checks the form; the director approves
and signs; the clerk numbers, seals and issues. The signed PDF downloaded from the page
validates with pyHanko (signer and seal). The keys are the self-signed test keys of the demo
(a certification authority cannot exist here); nothing else is faked.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from coquan.accounts.models import User
from coquan.core.testing.browser import assert_accessible, login
from coquan.documents.choices import IncomingStatus, OutgoingStatus, OutgoingStepKind, StepKind
from coquan.documents.models import IncomingDocument, OutgoingDocument
from coquan.documents.signing import trusted_certificates
from coquan.documents.signing.verify import verify_pdf
from coquan.documents.tests import samples
from coquan.documents.tests.conftest import ensure_reference_data
from coquan.org.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAKEFILE = Path(__file__).resolve().parents[4] / "Makefile"


def _demo_target() -> tuple[str, list[str], list[str]]:
    """(agency organ_id, signer usernames, management commands of the recipe, in order)."""
    text = MAKEFILE.read_text(encoding="utf-8")
    agency = re.search(r"^DEMO_AGENCY := (\S+)$", text, re.M).group(1)
    signers = re.search(r"^DEMO_SIGNERS := (.+)$", text, re.M).group(1).split()
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    commands = re.findall(r"\$\(COQUAN\) (\w+)", recipe)
    return agency, signers, commands


@pytest.fixture
def demo():
    """Load the demo data with the same management commands as ``make demo``."""
    ensure_reference_data()
    agency_id, signers, commands = _demo_target()
    assert commands == [
        "seed_demo",
        "registry_seed_demo",
        "onestop_seed_demo",
        "documents_signing_key",
        "documents_signing_key",
    ]
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("registry_seed_demo", stdout=out)
    call_command("onestop_seed_demo", stdout=out)
    call_command("documents_signing_key", agency_id, if_missing=True, stdout=out)
    for signer in signers:
        call_command("documents_signing_key", agency_id, user=signer, if_missing=True, stdout=out)
    # The password the demo prints is the one the people sign in with.
    assert f"password for all: {DEMO_PASSWORD}" in out.getvalue()
    return {"agency_id": agency_id, "signer": signers[0]}


def switch_user(page, live_server, username):
    page.context.clear_cookies()
    login(page, live_server, username, DEMO_PASSWORD)


def open_card(page, step: str):
    card = page.locator(f"[data-step-card={step}]")
    if card.get_attribute("open") is None:
        card.locator("> summary").click()
    return page.locator(f"form[data-step={step}]")


def open_queue(page, menu: str, queue: str):
    page.get_by_role("link", name=menu, exact=True).first.click()
    page.locator(f"[data-queue={queue}]").click()
    page.get_by_test_id(
        "incoming-table" if menu == "Văn bản đến" else "outgoing-table"
    ).get_by_role("link").first.click()


def test_demo_users_take_a_reply_from_incoming_to_issued(page, live_server, demo, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    names = dict(
        User.objects.filter(
            username__in=["vanthu", "giamdoc", "chuyenvien", "truongphong", "chuyenvienvt"]
        ).values_list("username", "full_name")
    )
    assert demo["signer"] == "giamdoc"
    scan = tmp_path / "CV 215 STC.pdf"
    scan.write_bytes(samples.PDF_BYTES)
    draft = tmp_path / "Du thao tra loi STC.pdf"
    draft.write_bytes(samples.draft_pdf_bytes("số liệu hạ tầng viễn thông quý I"))
    issued = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    year = timezone.localdate().year

    # 1. The clerk registers the paper incoming document and presents it to the director.
    login(page, live_server, "vanthu", DEMO_PASSWORD)
    page.get_by_role("link", name="Vào sổ văn bản đến").first.click()
    form = page.get_by_test_id("register-form")
    form.get_by_label(re.compile("^Loại văn bản")).select_option(label="Công văn")
    form.get_by_label("Số", exact=True).fill("215")
    form.get_by_label("Ký hiệu", exact=True).fill("STC-KHĐT")
    form.get_by_label(re.compile("^Ngày tháng văn bản")).fill(issued)
    form.get_by_label(re.compile("^Cơ quan ban hành")).fill("Sở Tài chính tỉnh Bắc Giang")
    form.get_by_label(re.compile("^Trích yếu")).fill(
        "V/v đề nghị báo cáo số liệu hạ tầng viễn thông quý I"
    )
    form.get_by_label("Bản quét văn bản và tệp đính kèm").set_input_files(str(scan))
    form.get_by_role("button", name="Vào sổ").click()
    expect(page.get_by_role("alert").filter(has_text="Đã vào sổ với số đến 1.")).to_be_visible()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã vào sổ")
    present = page.locator("form[data-step=present]")
    present.get_by_label(re.compile("^Lãnh đạo")).select_option(label=names["giamdoc"])
    present.get_by_role("button", name="Trình").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã trình")

    # 2. The director assigns it to the IT officer.
    switch_user(page, live_server, "giamdoc")
    page.get_by_role("link", name="Văn bản đến", exact=True).first.click()
    expect(page.get_by_test_id("count-to_assign")).to_have_text("1")
    page.locator("[data-queue=to_assign]").click()
    page.get_by_test_id("incoming-table").get_by_role(
        "link", name=re.compile("số liệu hạ tầng")
    ).click()
    assign = page.locator("form[data-step=assign]")
    assign.get_by_label(re.compile(r"^Chủ trì \(đơn vị")).select_option(
        label=f"{names['chuyenvien']} — Phòng Công nghệ thông tin"
    )
    assign.get_by_label("Hạn xử lý (số ngày làm việc)").fill("5")
    assign.get_by_label("Ý kiến chỉ đạo").fill("Giao phòng CNTT dự thảo văn bản trả lời.")
    assign.get_by_role("button", name="Phân công xử lý").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã giao xử lý")
    expect(page.get_by_test_id("lead")).to_contain_text(names["chuyenvien"])

    # 3. The IT officer drafts the reply from the incoming document and sends it for review.
    switch_user(page, live_server, "chuyenvien")
    page.get_by_role("link", name="Văn bản đến", exact=True).first.click()
    expect(page.get_by_test_id("count-to_handle")).to_have_text("1")
    page.locator("[data-queue=to_handle]").click()
    page.get_by_test_id("incoming-table").get_by_role("link").first.click()
    page.get_by_role("link", name="Soạn văn bản trả lời").click()
    expect(page.get_by_test_id("reply-note")).to_contain_text("số liệu hạ tầng viễn thông")
    form = page.get_by_test_id("draft-form")
    form.get_by_label(re.compile("^Loại văn bản")).select_option(label="Công văn")
    form.get_by_label(re.compile("^Trích yếu")).fill("V/v báo cáo số liệu hạ tầng viễn thông quý I")
    form.get_by_label("Người ký", exact=True).select_option(label=names["giamdoc"])
    form.get_by_label("Cơ quan nhận (liên thông điện tử)").select_option(
        label="Sở Tài chính tỉnh Bắc Giang (000.00.03.H06)"
    )
    form.get_by_label("Nơi nhận khác (mỗi dòng một nơi)").fill("Lưu: VT, CNTT.")
    form.get_by_label(re.compile("^Tệp dự thảo")).set_input_files(str(draft))
    form.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Dự thảo")
    expect(page.get_by_test_id("reply-to")).to_contain_text("số liệu hạ tầng viễn thông")
    open_card(page, "submit").get_by_role("button", name="Trình duyệt").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đang xem xét")

    # 4. The IT unit leader asks the telecoms unit for its opinion and passes the draft on.
    switch_user(page, live_server, "truongphong")
    page.get_by_role("link", name="Văn bản đi", exact=True).first.click()
    expect(page.get_by_test_id("count-to_review")).to_have_text("1")
    page.locator("[data-queue=to_review]").click()
    page.get_by_test_id("outgoing-table").get_by_role("link").first.click()
    ask = open_card(page, "request_opinions")
    ask.get_by_label("Đơn vị", exact=True).select_option(label="Phòng Bưu chính, Viễn thông")
    ask.get_by_label(re.compile("ngày làm việc")).fill("2")
    ask.get_by_role("button", name="Gửi xin ý kiến").click()
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Xin ý kiến: Phòng Bưu chính, Viễn thông"
    )
    review = open_card(page, "review")
    review.get_by_label("Ý kiến").fill("Nội dung đạt, đề nghị phòng BCVT cho ý kiến.")
    review.get_by_role("button", name="Đồng ý, chuyển bước tiếp").click()
    expect(page.get_by_test_id("chain")).to_contain_text("Đã hoàn thành")

    # 5. The telecoms officer (another unit, added by onestop_seed_demo) gives the opinion.
    switch_user(page, live_server, "chuyenvienvt")
    page.get_by_role("link", name="Văn bản đi", exact=True).first.click()
    expect(page.get_by_test_id("count-to_review")).to_have_text("1")
    page.locator("[data-queue=to_review]").click()
    page.get_by_test_id("outgoing-table").get_by_role("link").first.click()
    opinion = open_card(page, "opinion")
    opinion.get_by_label(re.compile("^Ý kiến")).fill("Phòng BCVT thống nhất, bổ sung số trạm BTS.")
    opinion.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Phòng BCVT thống nhất")

    # 6. The office (the clerk) checks the form.
    switch_user(page, live_server, "vanthu")
    page.get_by_role("link", name="Văn bản đi", exact=True).first.click()
    page.locator("[data-queue=to_review]").click()
    page.get_by_test_id("outgoing-table").get_by_role("link").first.click()
    open_card(page, "check").get_by_role("button", name="Thể thức đúng quy định").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Đã kiểm tra thể thức")

    # 7. The director approves and signs.
    switch_user(page, live_server, "giamdoc")
    page.get_by_role("link", name="Văn bản đi", exact=True).first.click()
    expect(page.get_by_test_id("count-to_sign")).to_have_text("1")
    page.locator("[data-queue=to_sign]").click()
    page.get_by_test_id("outgoing-table").get_by_role("link").first.click()
    open_card(page, "approve").get_by_role("button", name="Duyệt dự thảo").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã duyệt")
    open_card(page, "sign").get_by_role("button", name="Ký số").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã ký")
    expect(page.get_by_test_id("verification")).to_contain_text("Chữ ký số hợp lệ")

    # 8. The clerk numbers, seals and issues it: the first number of the year in the book.
    switch_user(page, live_server, "vanthu")
    page.get_by_role("link", name="Văn bản đi", exact=True).first.click()
    expect(page.get_by_test_id("count-to_issue")).to_have_text("1")
    page.locator("[data-queue=to_issue]").click()
    page.get_by_test_id("outgoing-table").get_by_role("link").first.click()
    open_card(page, "issue").get_by_role("button", name="Cấp số, ký số cơ quan và ban hành").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã ban hành")
    expect(page.get_by_test_id("number")).to_contain_text("Số: 01/STTTT-CNTT")
    expect(page.get_by_test_id("verification")).to_contain_text("Chữ ký số hợp lệ")
    expect(page.get_by_test_id("deliveries")).to_contain_text("Sở Tài chính tỉnh Bắc Giang")
    assert_accessible(page)

    # The timeline shows each step with the person who took it.
    timeline = page.get_by_test_id("timeline")
    for kind, username in (
        (OutgoingStepKind.CREATED, "chuyenvien"),
        (OutgoingStepKind.SUBMITTED, "chuyenvien"),
        (OutgoingStepKind.OPINION_REQUESTED, "truongphong"),
        (OutgoingStepKind.REVIEWED, "truongphong"),
        (OutgoingStepKind.OPINION, "chuyenvienvt"),
        (OutgoingStepKind.FORM_CHECKED, "vanthu"),
        (OutgoingStepKind.APPROVED, "giamdoc"),
        (OutgoingStepKind.SIGNED, "giamdoc"),
        (OutgoingStepKind.ISSUED, "vanthu"),
    ):
        row = timeline.locator(f"[data-step-kind={kind}]")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(f"bởi {names[username]}")

    # The signed PDF, downloaded from the page, validates with pyHanko: signer and seal.
    main_file = (
        page.get_by_test_id("files")
        .locator("li")
        .filter(has_text="Văn bản chính")
        .filter(has_text="Đã có chữ ký của người ký và của cơ quan")
    )
    expect(main_file).to_have_count(1)
    with page.expect_download() as download_info:
        main_file.get_by_role("link").click()
    signed = Path(download_info.value.path()).read_bytes()
    doc = OutgoingDocument.objects.select_related("register_book", "agency").get()
    result = verify_pdf(signed, trusted_certificates(doc.agency), use_cache=False)
    assert result.ok, result.message
    assert [s.signer for s in result.signatures] == [
        names["giamdoc"],
        "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
    ]

    # 9. The incoming document is closed (done) and lists the reply.
    page.get_by_test_id("reply-to").get_by_role("link").click()
    expect(page.get_by_test_id("document-status")).to_have_text("Đã hoàn thành")
    expect(page.get_by_test_id("replies")).to_contain_text("01/STTTT-CNTT")

    assert doc.status == OutgoingStatus.ISSUED
    assert doc.agency.organ_id == demo["agency_id"]
    assert doc.number_and_notation == "01/STTTT-CNTT"
    assert doc.register_book.year == year and doc.register_number == 1
    assert doc.register_book.last_number == 1
    assert (doc.drafter.username, doc.signer.username, doc.issued_by.username) == (
        "chuyenvien",
        "giamdoc",
        "vanthu",
    )
    incoming = IncomingDocument.objects.get()
    assert doc.reply_to_id == incoming.pk and incoming.status == IncomingStatus.DONE
    assert list(incoming.steps.values_list("kind", "actor__username")) == [
        (StepKind.REGISTERED, "vanthu"),
        (StepKind.PRESENTED, "vanthu"),
        (StepKind.ASSIGNED, "giamdoc"),
        (StepKind.DONE, "vanthu"),
    ]
