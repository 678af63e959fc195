"""Evaluation (issue 6 part 8; standards §3.8): the applicant's rating, the nine indicators
2/1/0 per dossier and per unit with the rounding of TT 01/2018 Art. 15.2, staff and unit
ratings, the page and the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coquan.onestop import actions, evaluation
from coquan.onestop.models import DossierRating
from coquan.onestop.tests.conftest import at
from coquan.onestop.tests.test_portal import register, submit

RATING = {
    "time_to_result": "satisfied",
    "bodies_contacted": "one_stop",
    "contact_count": 1,
    "information": "satisfied",
    "staff_attitude": "satisfied",
    "lawful_result": "satisfied",
}


def finish(office, dossier, start, approve_at):
    """Forward through the three steps from ``start`` and approve at ``approve_at``."""
    dossier = actions.forward(office.desk, dossier=dossier, at=start)
    dossier = actions.forward(office.officer, dossier=dossier, at=start + dt.timedelta(hours=1))
    dossier = actions.forward(office.unit_leader, dossier=dossier, at=start + dt.timedelta(hours=2))
    return actions.approve(office.leader, dossier=dossier, result_note="GP số 1", at=approve_at)


def test_rounding_is_half_up_to_one_decimal():
    assert evaluation.round1(Decimal("1.25")) == Decimal("1.3")  # banker's rounding: 1.2
    assert evaluation.average([2, 1, 1]) == Decimal("1.3")
    assert evaluation.average([2, 2, 1]) == Decimal("1.7")
    assert evaluation.average([2, 2, 2, 1]) == Decimal("1.8")  # 1.75
    assert evaluation.average([None, None]) is None


def test_bands():
    assert [evaluation.unit_band(Decimal(v)) for v in ("15", "14.9", "12", "9", "6", "5.9")] == [
        "excellent",
        "good",
        "good",
        "fair",
        "average",
        "weak",
    ]
    assert [evaluation.staff_band(Decimal(v)) for v in ("5", "4.9", "3.5", "3.4")] == [
        "full",
        "most",
        "most",
        "below",
    ]


@pytest.mark.django_db
def test_per_dossier_indicators_and_rating(office):
    # Received Mon 02/03/2026 09:00, 5 working days → appointment Mon 09/03 17:00; the
    # desk hands it over the same day (on time), the three steps finish before their
    # budgets and the result is approved on Tue 03/03 → early; indicator 2 is 1 (no leg
    # late, not all early).
    dossier = office.accept(when=at(2026, 3, 2, 9))
    dossier = finish(office, dossier, at(2026, 3, 2, 10), at(2026, 3, 3, 10))
    assert dossier.timeliness == "early"
    scores = evaluation.scores_of(dossier)["indicators"]
    assert scores == {1: 2, 2: 1, 3: None, 4: None, 6: 2, 7: None}
    with pytest.raises(PermissionDenied):
        actions.rate_dossier(office.officer, dossier=dossier, channel="paper", **RATING)
    with pytest.raises(ValidationError):
        actions.rate_dossier(office.desk, dossier=dossier, channel="online", **RATING)
    actions.rate_dossier(office.desk, dossier=dossier, channel="paper", **RATING)
    scores = evaluation.scores_of(dossier)["indicators"]
    assert scores == {1: 2, 2: 1, 3: 1, 4: 1, 6: 2, 7: 2}
    with pytest.raises(ValidationError) as error:
        actions.rate_dossier(office.desk, dossier=dossier, channel="paper", **RATING)
    assert error.value.code == "already_rated"


@pytest.mark.django_db
def test_complaint_and_late_dossier(office):
    # Received Mon 02/03 09:00 (appointment Mon 09/03 17:00), approved Tue 10/03 → late;
    # the steps' budgets passed too.
    dossier = office.accept(when=at(2026, 3, 2, 9))
    dossier = finish(office, dossier, at(2026, 3, 2, 10), at(2026, 3, 10, 9))
    assert dossier.timeliness == "late"
    actions.rate_dossier(
        office.desk,
        dossier=dossier,
        channel="device",
        **{**RATING, "contact_count": 3, "bodies_contacted": "several", "staff_complaint": True},
    )
    scores = evaluation.scores_of(dossier)["indicators"]
    assert scores == {1: 0, 2: 0, 3: 0, 4: 0, 6: 2, 7: 0}


@pytest.mark.django_db
def test_applicant_rates_only_a_finished_own_dossier(office):
    owner, other = register(), register(email="khac@example.vn")
    dossier = actions.accept_online(office.desk, dossier=submit(office, owner))
    with pytest.raises(ValidationError) as error:
        actions.rate_dossier(owner, dossier=dossier, **RATING)
    assert error.value.code == "not_finished"
    dossier = finish(office, dossier, dossier.received_at, dossier.received_at)
    with pytest.raises(PermissionDenied):
        actions.rate_dossier(other, dossier=dossier, **RATING)
    with pytest.raises(ValidationError) as error:
        actions.rate_dossier(owner, dossier=dossier, **{**RATING, "staff_attitude": "great"})
    assert "staff_attitude" in error.value.error_dict
    rating = actions.rate_dossier(owner, dossier=dossier, **RATING)
    assert rating.channel == "online" and rating.recorded_by is None
    assert DossierRating.objects.count() == 1


@pytest.mark.django_db
def test_unit_scores_average_and_rate(office, settings):
    settings.COQUAN_ONESTOP_UNIT_INDICATORS = {office.agency.organ_id: {"5": 2, "8": 1}}
    early = office.accept(when=at(2026, 3, 2, 9))
    early = finish(office, early, at(2026, 3, 2, 10), at(2026, 3, 3, 10))
    late = office.accept(when=at(2026, 3, 2, 9))
    late = finish(office, late, at(2026, 3, 2, 10), at(2026, 3, 10, 9))
    on_time = office.accept(when=at(2026, 3, 2, 9))
    on_time = finish(office, on_time, at(2026, 3, 2, 10), at(2026, 3, 9, 16))
    assert [early.timeliness, late.timeliness, on_time.timeliness] == [
        "early",
        "late",
        "on_time",
    ]
    actions.rate_dossier(office.desk, dossier=early, channel="paper", **RATING)
    result = evaluation.evaluate(office.agency, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    indicators = result["indicators"]
    assert result["dossiers"] == 3 and result["rated"] == 1
    assert indicators[1] == Decimal("1.0")  # (2 + 0 + 1) / 3
    assert indicators[3] == Decimal("1.0") and indicators[4] == Decimal("1.0")  # one rated
    assert indicators[5] == Decimal("2.0") and indicators[8] == Decimal("1.0")
    assert indicators[6] == Decimal("2.0")
    # No dossier came online: 0 for online services.
    assert indicators[9] == Decimal("0.0")
    expected_total = sum(v for v in indicators.values() if v is not None)
    assert result["total"] == expected_total
    assert result["band"] == evaluation.unit_band(expected_total)
    names = {row["name"] for row in result["people"]}
    assert office.desk.full_name in names
    officer_row = next(r for r in result["people"] if r["id"] == office.officer.pk)
    assert officer_row["dossiers"] == 3
    assert officer_row["band"] in ("full", "most", "below")
    assert {row["name"] for row in result["units"]} == {office.telecom.name}


@pytest.mark.django_db
def test_evaluation_has_constant_queries(office):
    def run():
        with CaptureQueriesContext(connection) as queries:
            evaluation.evaluate(office.agency, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
        return len(queries)

    dossier = office.accept(when=at(2026, 3, 2, 9))
    finish(office, dossier, at(2026, 3, 2, 10), at(2026, 3, 3, 10))
    first = run()
    for _ in range(3):
        dossier = office.accept(when=at(2026, 3, 2, 9))
        dossier = finish(office, dossier, at(2026, 3, 2, 10), at(2026, 3, 3, 10))
        actions.rate_dossier(office.desk, dossier=dossier, channel="paper", **RATING)
    assert run() == first


@pytest.mark.django_db
def test_page_and_api(client, api_client, office):
    dossier = office.accept(when=at(2026, 3, 2, 9))
    dossier = finish(office, dossier, at(2026, 3, 2, 10), at(2026, 3, 3, 10))
    client.force_login(office.desk)
    response = client.post(
        reverse("onestop:dossier_rating", args=[dossier.pk]),
        {"rating-channel": "paper", **{f"rating-{k}": v for k, v in RATING.items()}},
    )
    assert response.status_code == 302
    page = client.get(reverse("onestop:dossier_detail", args=[dossier.pk])).content.decode()
    assert 'data-testid="rating"' in page
    response = client.post(
        reverse("onestop:dossier_rating", args=[dossier.pk]),
        {"rating-channel": "paper", **{f"rating-{k}": v for k, v in RATING.items()}},
    )
    assert response.status_code == 400
    assert "Hồ sơ này đã được đánh giá" in response.content.decode()
    client.force_login(office.leader)
    url = reverse("onestop:evaluation") + "?start=01/03/2026&end=31/03/2026"
    page = client.get(url).content.decode()
    assert 'data-testid="unit-total"' in page and office.officer.full_name in page
    bad = client.get(reverse("onestop:evaluation") + "?start=31/03/2026&end=01/03/2026")
    assert bad.status_code == 400
    api_client.force_login(office.leader)
    response = api_client.get(
        "/api/v1/onestop/evaluation/",
        {"agency": office.agency.organ_id, "start": "2026-03-01", "end": "2026-03-31"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["dossiers"] == 1 and body["rated"] == 1
    assert [i["indicator"] for i in body["indicators"]] == list(range(1, 10))
    response = api_client.get(
        "/api/v1/onestop/evaluation/",
        {"agency": office.agency.organ_id, "start": "2026-03-31", "end": "2026-03-01"},
    )
    assert response.status_code == 400 and "error" in response.json()
    scores = api_client.get(f"/api/v1/onestop/dossiers/{dossier.pk}/scores/").json()
    assert {i["indicator"]: i["score"] for i in scores["indicators"]}[3] == "1.0"
    assert scores["rating"]["channel"] == "paper"


@pytest.mark.django_db
def test_applicant_rates_on_the_portal(client, office):
    from coquan.onestop.tests.test_portal import portal_sign_in

    owner = register()
    dossier = actions.accept_online(office.desk, dossier=submit(office, owner))
    url = reverse("onestop:portal_dossier", args=[dossier.pk])
    assert portal_sign_in(client).status_code == 302  # signed in (not refused)
    assert 'data-testid="rate-card"' not in client.get(url).content.decode()
    finish(office, dossier, dossier.received_at, dossier.received_at)
    assert 'data-testid="rate-card"' in client.get(url).content.decode()
    rate_url = reverse("onestop:portal_rate", args=[dossier.pk])
    bad = client.post(rate_url, {"rate-time_to_result": "satisfied"})
    assert bad.status_code == 400 and DossierRating.objects.count() == 0
    response = client.post(rate_url, {f"rate-{k}": v for k, v in RATING.items()})
    assert response.status_code == 302
    assert DossierRating.objects.get().channel == "online"
    assert 'data-testid="rating"' in client.get(url).content.decode()
