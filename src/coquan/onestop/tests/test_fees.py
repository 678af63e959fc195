"""Fees requested during processing (issue 6 part 4, "request fees"): status 6 pauses the
clock, the payment moves the deadlines later by the working days paused (not a restart),
the fee is shown to the applicant and on the control slip (form 05)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coquan.onestop import actions, deadlines
from coquan.onestop.choices import DossierStatus, PendingState
from coquan.onestop.models import Dossier, DossierFee
from coquan.onestop.pdf import render_form
from coquan.onestop.tests.conftest import at
from coquan.onestop.tests.test_pdf import pdf_text
from coquan.onestop.tests.test_portal import portal_sign_in, register, submit


def at_step1(office, dossier=None):
    # Received Mon 02/03/2026 09:00, 5 working days → appointment Mon 09/03 17:00; step 1
    # (2 days) from 10:00 → step deadline Wed 04/03 17:00.
    dossier = dossier or office.accept(when=at(2026, 3, 2, 9))
    return actions.forward(office.desk, dossier=dossier, at=at(2026, 3, 2, 10))


@pytest.mark.django_db
def test_fees_pause_the_clock_and_payment_moves_the_deadlines(office):
    dossier = at_step1(office)
    assert dossier.due_at == at(2026, 3, 9, 17)
    assert dossier.step_due_at == at(2026, 3, 4, 17)
    dossier = actions.request_fees(
        office.officer,
        dossier=dossier,
        amount=150000,
        reason="Lệ phí cấp phép",
        at=at(2026, 3, 3, 10),
    )
    assert dossier.status == DossierStatus.FINANCIAL
    assert dossier.due_at is None and deadlines.pending_state(dossier) == PendingState.PAUSED
    # Paid Thu 05/03 10:00: paused Wed 04 and Thu 05 → two working days later.
    dossier = actions.record_payment(
        office.desk,
        dossier=dossier,
        payment_method="cash",
        payment_reference="BL 0012",
        at=at(2026, 3, 5, 10),
    )
    assert dossier.status == DossierStatus.IN_PROGRESS
    assert dossier.due_at == at(2026, 3, 11, 17)
    assert dossier.step_due_at == at(2026, 3, 6, 17)
    assert dossier.clock_started_at == at(2026, 3, 2, 9)  # not a restart
    fee = DossierFee.objects.get()
    assert (fee.amount, fee.payment_method, fee.payment_reference) == (150000, "cash", "BL 0012")
    statuses = list(dossier.status_changes.values_list("to_status", flat=True))
    assert statuses[-2:] == ["6", "4"]


@pytest.mark.django_db
def test_bad_input_and_order(office):
    dossier = office.accept(when=at(2026, 3, 2, 9))
    with pytest.raises(ValidationError) as error:
        actions.request_fees(office.leader, dossier=dossier, amount=1000, reason="x")
    assert error.value.code == "invalid_transition"  # still at the desk (status 2)
    dossier = at_step1(office, dossier)
    with pytest.raises(ValidationError) as error:
        actions.request_fees(office.officer, dossier=dossier, amount=0, reason="Lệ phí")
    assert "amount" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        actions.request_fees(office.officer, dossier=dossier, amount=1000, reason=" ")
    assert "reason" in error.value.error_dict
    with pytest.raises(PermissionDenied):
        actions.request_fees(office.officer2, dossier=dossier, amount=1000, reason="Lệ phí")
    with pytest.raises(ValidationError) as error:
        actions.record_payment(office.desk, dossier=dossier, payment_method="cash")
    assert error.value.code == "invalid_transition"
    dossier = actions.request_fees(office.officer, dossier=dossier, amount=1000, reason="Lệ phí")
    with pytest.raises(ValidationError) as error:
        actions.record_payment(office.desk, dossier=dossier, payment_method="bitcoin")
    assert "payment_method" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        actions.request_fees(office.officer, dossier=dossier, amount=1000, reason="Lần hai")
    assert error.value.code == "invalid_transition"
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.FINANCIAL
    assert DossierFee.objects.get().paid_at is None


@pytest.mark.django_db
def test_fee_shown_to_the_applicant_and_on_form_05(client, office, tmp_path):
    owner = register()
    dossier = actions.accept_online(office.desk, dossier=submit(office, owner))
    dossier = actions.forward(office.desk, dossier=dossier)
    dossier = actions.request_fees(
        office.officer, dossier=dossier, amount=150000, reason="Lệ phí cấp giấy phép BTS"
    )
    portal_sign_in(client)
    page = client.get(reverse("onestop:portal_dossier", args=[dossier.pk])).content.decode()
    assert "150000 đ" in page and "Lệ phí cấp giấy phép BTS" in page
    assert "Yêu cầu thực hiện nghĩa vụ tài chính" in page
    text = pdf_text(render_form("05", Dossier.objects.get(pk=dossier.pk)), tmp_path)
    assert "150000 đồng" in text and "Lệ phí cấp giấy phép BTS" in text


@pytest.mark.django_db
def test_fee_steps_through_the_page(client, office):
    dossier = at_step1(office)
    client.force_login(office.officer)
    url = reverse("onestop:dossier_step", args=[dossier.pk, "request_fees"])
    bad = client.post(url, {"request_fees-amount": "-5", "request_fees-reason": "Lệ phí"})
    assert bad.status_code == 400
    ok = client.post(url, {"request_fees-amount": "150000", "request_fees-reason": "Lệ phí"})
    assert ok.status_code == 302
    client.force_login(office.desk)
    page = client.get(reverse("onestop:dossier_detail", args=[dossier.pk])).content.decode()
    assert 'data-step="record_payment"' in page and 'data-testid="fees"' in page
    response = client.post(
        reverse("onestop:dossier_step", args=[dossier.pk, "record_payment"]),
        {"record_payment-payment_method": "transfer", "record_payment-payment_reference": "FT1"},
    )
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.IN_PROGRESS


@pytest.mark.django_db
def test_api_errors_are_structured(api_client, office):
    dossier = at_step1(office)
    api_client.force_login(office.officer)
    url = f"/api/v1/onestop/dossiers/{dossier.pk}/fees/"
    response = api_client.post(url, {"amount": 0, "reason": "Lệ phí"}, format="json")
    assert response.status_code == 400 and "amount" in response.json()["error"]["details"]
    response = api_client.post(
        f"/api/v1/onestop/dossiers/{dossier.pk}/fees/paid/",
        {"payment_method": "cash"},
        format="json",
    )
    assert response.status_code == 400
    assert "Ghi nhận đã nộp phí" in str(response.json()["error"]["details"])
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.IN_PROGRESS
    assert not DossierFee.objects.exists()
