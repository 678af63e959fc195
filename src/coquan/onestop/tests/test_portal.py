"""The online portal (issue 6 part 3): applicant accounts apart from staff, online
submission (status 1 until the desk accepts), the desk's queue and its three answers,
answering requests, withdrawal, and "online applicants see only their own dossiers"."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coquan.accounts.models import User
from coquan.onestop import actions, deadlines
from coquan.onestop.choices import Channel, DossierStatus
from coquan.onestop.models import Applicant, Dossier, DossierStatusChange
from coquan.onestop.tests.conftest import at, make_procedure

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "Mat-khau-2026!"


def pdf(name="don.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def register(email="dan@example.vn", name="Nguyễn Văn Dân") -> Applicant:
    return actions.register_applicant(None, email=email, password=PASSWORD, full_name=name)


def submit(office, applicant, when=None, **overrides) -> Dossier:
    values = {
        "procedure": office.procedure,
        "attached_components": office.components("Đơn", "Bản vẽ", "Giấy phép"),
        "files": [pdf()],
        "at": when,
        **office.applicant(),
    }
    values.update(overrides)
    return actions.submit_online(applicant, **values)


def portal_sign_in(client, email="dan@example.vn", password=PASSWORD):
    return client.post(reverse("onestop:portal_login"), {"email": email, "password": password})


@pytest.mark.django_db
def test_online_dossier_is_new_until_the_desk_accepts_it_as_at_the_desk(office):
    applicant = register()
    dossier = submit(office, applicant, when=at(2026, 2, 13, 10))
    assert dossier.status == DossierStatus.NEW
    assert dossier.channel == Channel.ONLINE
    assert dossier.dossier_code is None and dossier.due_at is None
    assert dossier.created_by is None and dossier.applicant_account == applicant
    assert dossier.files.get().uploaded_by is None
    change = DossierStatusChange.objects.get(dossier=dossier)
    assert (change.from_status, change.to_status, change.changed_by) == ("", "1", None)

    # Accepted on Fri 13/02/2026 at 16:00 (after 15:00, before Tết): same code format and
    # appointment as a reception at the desk at that moment.
    accepted = actions.accept_online(office.desk, dossier=dossier, at=at(2026, 2, 13, 16))
    assert accepted.status == DossierStatus.ACCEPTED
    assert accepted.dossier_code == "000.00.14.H06-260213-0001"
    assert accepted.due_at == at(2026, 3, 2, 17)
    assert accepted.due_at == deadlines.due_after(at(2026, 2, 13, 16), 5, office.procedure)
    desk_one = office.accept(when=at(2026, 2, 13, 16))
    assert desk_one.dossier_code == "000.00.14.H06-260213-0002"
    assert desk_one.due_at == accepted.due_at
    assert accepted.transfers.get().kind == "reception"


@pytest.mark.django_db
def test_desk_returns_then_the_applicant_completes_then_refusal(office):
    applicant = register()
    dossier = submit(office, applicant)
    dossier = actions.return_online(office.desk, dossier=dossier, items=["Bản vẽ rõ nét hơn"])
    assert dossier.status == DossierStatus.SUPPLEMENT and dossier.dossier_code is None
    with pytest.raises(ValidationError) as error:
        actions.answer_request(applicant, dossier=dossier)
    assert "files" in error.value.error_dict
    dossier = actions.answer_request(
        applicant, dossier=dossier, files=[pdf("ban-ve.pdf")], note="Đã bổ sung bản vẽ"
    )
    assert dossier.status == DossierStatus.NEW
    request = dossier.supplements.get()
    assert request.answered_at is not None and request.resolved_at is not None
    assert dossier.files.count() == 2
    # Answering twice: nothing is open any more.
    with pytest.raises(ValidationError) as error:
        actions.answer_request(applicant, dossier=dossier, note="lần nữa")
    assert error.value.code == "invalid_transition"
    dossier = actions.refuse_online(office.desk, dossier=dossier, reason="Sai thẩm quyền")
    assert dossier.status == DossierStatus.NOT_ACCEPTED and dossier.dossier_code is None


@pytest.mark.django_db
def test_answer_during_processing_then_the_desk_restarts_the_clock(office):
    applicant = register()
    dossier = actions.accept_online(
        office.desk, dossier=submit(office, applicant), at=at(2026, 3, 2, 9)
    )
    dossier = actions.forward(office.desk, dossier=dossier, at=at(2026, 3, 2, 10))
    dossier = actions.request_supplement(
        office.officer, dossier=dossier, items=["Bản đồ vị trí"], at=at(2026, 3, 3, 9)
    )
    dossier = actions.answer_request(
        applicant, dossier=dossier, files=[pdf("ban-do.pdf")], note="Bản đồ", at=at(2026, 3, 4, 9)
    )
    assert dossier.status == DossierStatus.SUPPLEMENT  # the desk checks the answer first
    assert dossier.supplements.get().answered_at == at(2026, 3, 4, 9)
    dossier = actions.resubmit(office.desk, dossier=dossier, at=at(2026, 3, 4, 10))
    assert dossier.status == DossierStatus.IN_PROGRESS
    assert dossier.due_at == deadlines.due_after(at(2026, 3, 4, 10), 5, office.procedure)


@pytest.mark.django_db
def test_withdraw_stops_the_dossier_once(office):
    applicant = register()
    dossier = actions.accept_online(office.desk, dossier=submit(office, applicant))
    dossier = actions.withdraw(applicant, dossier=dossier, reason="Không còn nhu cầu")
    assert dossier.status == DossierStatus.WITHDRAWN and dossier.withdrawn_at
    with pytest.raises(ValidationError) as error:
        actions.withdraw(applicant, dossier=dossier)
    assert error.value.code == "invalid_transition"
    with pytest.raises(ValidationError) as error:
        actions.forward(office.leader, dossier=dossier)
    assert error.value.code == "invalid_transition"


@pytest.mark.django_db
def test_bad_input_changes_nothing(office, settings):
    applicant = register()
    settings.COQUAN_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        submit(office, applicant, files=[SimpleUploadedFile("to.pdf", PDF + b" " * 2000)])
    assert "files" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        submit(office, applicant, attached_components=office.components("Đơn"))
    assert "components" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        submit(office, applicant, files=[])
    assert "files" in error.value.error_dict
    disguised = SimpleUploadedFile("don.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError) as error:
        submit(office, applicant, files=[disguised])
    assert "files" in error.value.error_dict
    offline = actions.new_version(office.admin, procedure=office.procedure)
    with pytest.raises(ValidationError) as error:
        submit(office, applicant, procedure=offline)  # a draft
    assert "procedure" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        register(email="dan@example.vn")
        register(email="DAN@example.vn")
    assert "email" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        actions.register_applicant(None, email="x@example.vn", password="123", full_name="X")
    assert "password" in error.value.error_dict
    assert Dossier.objects.count() == 0
    assert Applicant.objects.count() == 1


@pytest.mark.django_db
def test_applicants_act_only_on_their_own_dossiers(office):
    owner, other = register(), register(email="khac@example.vn", name="Trần Thị Khác")
    dossier = submit(office, owner)
    with pytest.raises(PermissionDenied):
        actions.withdraw(other, dossier=dossier)
    with pytest.raises(PermissionDenied):
        actions.accept_online(owner, dossier=dossier)  # an applicant is never desk staff
    with pytest.raises(PermissionDenied):
        actions.withdraw(office.desk, dossier=dossier)  # staff do not withdraw for them
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.NEW


@pytest.mark.django_db
def test_portal_pages_show_only_ones_own_dossiers(client, office):
    owner, other = register(), register(email="khac@example.vn", name="Trần Thị Khác")
    mine = submit(office, owner)
    theirs = submit(office, other, applicant_name="Công ty Khác Bí Mật")
    desk_dossier = office.accept()
    assert portal_sign_in(client).status_code == 302
    page = client.get(reverse("onestop:portal_dossiers")).content.decode()
    assert reverse("onestop:portal_dossier", args=[mine.pk]) in page
    assert reverse("onestop:portal_dossier", args=[theirs.pk]) not in page
    for dossier in (theirs, desk_dossier):
        assert client.get(reverse("onestop:portal_dossier", args=[dossier.pk])).status_code == 404
        response = client.post(
            reverse("onestop:portal_withdraw", args=[dossier.pk]), {"withdraw-reason": "x"}
        )
        assert response.status_code == 404
        response = client.post(
            reverse("onestop:portal_answer", args=[dossier.pk]), {"answer-note": "x"}
        )
        assert response.status_code == 404
    assert Dossier.objects.get(pk=theirs.pk).status == DossierStatus.NEW
    assert "Công ty Khác Bí Mật" not in page


@pytest.mark.django_db
def test_applicants_never_reach_staff_pages_and_staff_are_not_applicants(client, office):
    register()
    portal_sign_in(client)
    # The applicant's session is not a staff session.
    staff_page = client.get(reverse("onestop:dossier_list"))
    assert staff_page.status_code == 302 and "/accounts/login/" in staff_page["Location"]
    assert client.get("/api/v1/onestop/dossiers/").status_code in (401, 403)
    # The applicant's e-mail and password do not open the staff sign-in: no User exists.
    assert not User.objects.filter(email__iexact="dan@example.vn").exists()
    assert not User.objects.filter(username__iexact="dan@example.vn").exists()
    # A staff member signed in is no applicant on the portal.
    client.logout()
    client.force_login(office.desk)
    response = client.get(reverse("onestop:portal_dossiers"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("onestop:portal_login"))


@pytest.mark.django_db
def test_register_submit_follow_through_the_pages(client, office):
    home = client.get(reverse("onestop:portal_home"))
    assert home.status_code == 200 and office.procedure.name in home.content.decode()
    detail = client.get(reverse("onestop:portal_procedure", args=[office.procedure.pk]))
    assert "Đơn đề nghị cấp giấy phép" in detail.content.decode()
    submit_url = reverse("onestop:portal_submit", args=[office.procedure.pk])
    assert client.get(submit_url)["Location"].startswith(reverse("onestop:portal_login"))
    response = client.post(
        reverse("onestop:portal_register"),
        {
            "email": "Dan@Example.vn",
            "full_name": "Nguyễn Văn Dân",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert Applicant.objects.get().email == "dan@example.vn"
    values = {**office.applicant(), "set_count": 1, "note": ""}
    values["components"] = [str(pk) for pk in office.components("Đơn")]
    values["files"] = [pdf()]
    response = client.post(submit_url, values)
    assert response.status_code == 400
    assert "Cần đính kèm đủ giấy tờ bắt buộc" in response.content.decode()
    values["components"] = [str(pk) for pk in office.components("Đơn", "Bản vẽ", "Giấy phép")]
    values["files"] = [pdf()]
    response = client.post(submit_url, values)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.NEW
    # The desk sees it in its "submitted online" queue and accepts it on the detail page.
    client.force_login(office.desk)
    queue = client.get(reverse("onestop:dossier_list") + "?queue=online").content.decode()
    assert reverse("onestop:dossier_detail", args=[dossier.pk]) in queue
    response = client.post(
        reverse("onestop:dossier_step", args=[dossier.pk, "accept_online"]),
        {"accept_online-note": ""},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.dossier_code.startswith("000.00.14.H06-")
    client.logout()
    portal_sign_in(client)
    page = client.get(reverse("onestop:portal_dossier", args=[dossier.pk])).content.decode()
    assert dossier.dossier_code in page and "Được tiếp nhận" in page


@pytest.mark.django_db
def test_portal_lists_have_constant_queries(client, office):
    applicant = register()
    portal_sign_in(client)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    submit(office, applicant)
    first = (count(reverse("onestop:portal_dossiers")), count(reverse("onestop:portal_home")))
    for _ in range(4):
        submit(office, applicant)
    make_procedure(office.admin, office.agency, office.telecom, code="1.000001", name="Khác")
    again = (count(reverse("onestop:portal_dossiers")), count(reverse("onestop:portal_home")))
    assert first == again


@pytest.mark.django_db
def test_sign_in_errors_and_rate_limit(client, office, settings):
    register()
    response = portal_sign_in(client, password="sai-mat-khau")
    assert response.status_code == 200
    assert "Thư điện tử hoặc mật khẩu không đúng" in response.content.decode()
    for _ in range(10):
        portal_sign_in(client, password="sai-mat-khau")
    response = portal_sign_in(client)
    assert response.status_code == 429
