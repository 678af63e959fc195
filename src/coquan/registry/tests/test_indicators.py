"""ICT indicators: entry, derived values recomputed on change, history, import, definitions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from coquan.audit.models import AuditEntry
from coquan.core.testing.factories import UserFactory
from coquan.registry import actions, derive
from coquan.registry.models import Indicator, IndicatorValue, IndicatorValueRevision
from coquan.registry.tasks import refresh_derived_indicators
from coquan.registry.tests.conftest import xlsx_file

pytestmark = pytest.mark.django_db


def value(agency, code, year=2008, area=None):
    row = IndicatorValue.objects.filter(
        agency=agency, indicator__code=code, year=year, area=area
    ).first()
    return row.value if row else None


def test_derived_indicators_follow_their_inputs(dept):
    actions.set_indicator_values(
        dept.officer,
        agency=dept.agency,
        year=2008,
        values={"subscribers": 950_000, "population": 1_616_000},
    )
    assert round(value(dept.agency, "phone_density"), 1) == Decimal("58.8")
    actions.set_indicator_values(
        dept.officer,
        agency=dept.agency,
        year=2008,
        values={"postal_revenue": "40", "telecom_revenue": "766.7", "revenue_plan": "549.9"},
    )
    assert value(dept.agency, "revenue") == Decimal("806.7")
    assert round(value(dept.agency, "revenue_vs_plan"), 1) == Decimal("46.7")
    # A change of an input recomputes the derived values, each change kept as history.
    actions.set_indicator_values(
        dept.leader, agency=dept.agency, year=2008, values={"population": 1_900_000}
    )
    assert round(value(dept.agency, "phone_density"), 1) == Decimal("50.0")
    density = IndicatorValue.objects.get(indicator__code="phone_density", agency=dept.agency)
    history = list(density.revisions.order_by("pk").values_list("source", flat=True))
    assert history == ["formula", "formula"]
    assert (
        density.revisions.order_by("-pk").first().old_value
        == density.revisions.order_by("pk").first().new_value
    )
    assert AuditEntry.objects.filter(action="registry.indicator.set_values").count() == 3


def test_values_per_area_and_no_register_counts_for_a_commune(dept):
    actions.set_indicator_values(
        dept.officer,
        agency=dept.agency,
        year=2025,
        area=dept.commune,
        values={"subscribers": 3_000, "population": 5_000},
    )
    assert value(dept.agency, "phone_density", 2025, dept.commune) == Decimal("60")
    assert value(dept.agency, "phone_density", 2025) is None
    assert value(dept.agency, "bts_stations", 2025, dept.commune) is None


def test_formula_indicators_cannot_be_typed_and_bad_numbers_are_refused(dept):
    with pytest.raises(ValidationError) as info:
        actions.set_indicator_values(
            dept.officer, agency=dept.agency, year=2008, values={"phone_density": 58}
        )
    assert "phone_density" in info.value.message_dict
    with pytest.raises(ValidationError):
        actions.set_indicator_values(
            dept.officer, agency=dept.agency, year=1800, values={"subscribers": 1}
        )
    with pytest.raises(PermissionDenied):
        actions.set_indicator_values(
            dept.clerk, agency=dept.agency, year=2008, values={"subscribers": 1}
        )
    assert not IndicatorValue.objects.exists()


def test_register_counts_refresh_after_a_register_change(dept, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dept.issue(issue_date=dt.date(2008, 5, 5))
        dept.issue(number="02/GP-XBBT", issue_date=dt.date(2008, 6, 5))
    assert value(dept.agency, "publishing_licences") == 2
    # The task itself, as the worker runs it.
    dept.issue(number="03/GP-XBBT", issue_date=dt.date(2008, 7, 5))
    refresh_derived_indicators.call(dept.agency.pk, 2008)
    assert value(dept.agency, "publishing_licences") == 3


def test_definitions_are_checked_and_reserved_to_superusers(dept):
    admin = UserFactory(username="hethong_reg")
    admin.is_superuser = True
    admin.save()
    fields = {
        "code": "broadband_density",
        "name": "Mật độ băng rộng",
        "unit": "%",
        "kind": "formula",
        "formula": "internet_subscribers / population * 100",
        "decimals": 1,
        "section": "telecom",
        "sort_order": 500,
        "description": "",
        "is_active": True,
    }
    with pytest.raises(PermissionDenied):
        actions.define_indicator(dept.leader, **fields)
    indicator = actions.define_indicator(admin, **fields)
    assert indicator.is_formula
    for formula, word in [
        ("internet_subscribers / nobody", "nobody"),
        ("broadband_density + 1", "chính nó"),
        ("import os", "vị trí"),
    ]:
        with pytest.raises(ValidationError) as info:
            actions.define_indicator(admin, indicator=indicator, formula=formula)
        assert word in " ".join(info.value.message_dict["formula"])
    # A cycle through another formula is found too.
    with pytest.raises(ValidationError):
        actions.define_indicator(
            admin, indicator=Indicator.objects.get(code="revenue"), formula="revenue_vs_plan * 2"
        )


def test_indicator_import_stores_valid_rows_and_reports_the_others(client, dept):
    client.force_login(dept.officer)
    upload = xlsx_file(
        [
            ["Mã chỉ tiêu", "Năm", "Địa bàn", "Giá trị"],
            ["subscribers", 2008, "Toàn tỉnh", 950000],
            ["population", 2008, "", "1616000"],
            ["subscribers", 2008, "UBND xã Tân Tiến", 4000],
            ["phone_density", 2008, "", 58],
            ["nonsense", 2008, "", 1],
            ["computers", "năm ngoái", "", 1],
            ["lan_networks", 2008, "Xã Không Có", 3],
            ["subscribers", 2008, "", 1],
        ]
    )
    response = client.post(reverse("registry:indicator_import"), {"file": upload})
    result = response.context["result"]
    assert result.created == 3
    assert sorted({e.row for e in result.errors}) == [5, 6, 7, 8, 9]
    assert round(value(dept.agency, "phone_density"), 1) == Decimal("58.8")
    assert value(dept.agency, "subscribers", 2008, dept.commune) == 4000
    assert IndicatorValueRevision.objects.filter(source="import").count() == 3


def test_values_form_and_history_page(client, dept):
    client.force_login(dept.officer)
    url = reverse("registry:indicator_values") + "?year=2008"
    page = client.get(url).content.decode()
    assert "Tổng số thuê bao điện thoại (thuê bao)" in page
    assert "Mật độ điện thoại" not in page  # computed, not typed
    response = client.post(url, {"value_subscribers": "950000", "value_population": "1616000"})
    assert response.status_code == 302
    listing = client.get(reverse("registry:indicators"), {"year": 2008}).content.decode()
    assert "58,8" in listing and "950.000" in listing
    bad = client.post(url, {"value_subscribers": "nhiều"})
    assert bad.status_code == 200 and "Nhập một số." in bad.content.decode()
    history = client.get(reverse("registry:indicator_history", args=["subscribers"])).content
    assert "950000" in history.decode()


def test_derive_plan_orders_formulas_by_dependency():
    plan = derive.FormulaPlan(
        [
            Indicator(code="c", kind="formula", formula="b * 2"),
            Indicator(code="b", kind="formula", formula="a + 1"),
            Indicator(code="a", kind="entered"),
        ]
    )
    assert [indicator.code for indicator, _tree in plan.steps] == ["b", "c"]
    assert plan.compute({"a": Decimal(1)}, None) == {"b": Decimal(2), "c": Decimal(4)}
    assert plan.compute({}, None) == {}
