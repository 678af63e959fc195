"""The arrival-date filters compare with the bounds of the local day (index-friendly)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_local_day_bounds(client, office):
    zone = timezone.get_current_timezone()
    day = timezone.localdate() - dt.timedelta(days=3)
    late = office.register(
        arrival_date=dt.datetime.combine(day, dt.time(23, 30), tzinfo=zone),
        code_number="1",
        issued_date=day - dt.timedelta(days=1),
    )
    early = office.register(
        arrival_date=dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 10), tzinfo=zone),
        code_number="2",
        issued_date=day - dt.timedelta(days=1),
    )
    client.force_login(office.clerk)

    def listed(**params):
        response = client.get(reverse("documents:incoming_list"), {"queue": "all", **params})
        return {doc.pk for doc in response.context["page"].object_list}

    text = day.strftime("%d/%m/%Y")
    assert listed(arrived_from=text, arrived_to=text) == {late.pk}
    after = (day + dt.timedelta(days=1)).isoformat()
    assert listed(arrived_from=after) == {early.pk}
    api = client.get("/api/v1/incoming-documents/", {"arrived_to": day.isoformat()}).json()
    assert [row["id"] for row in api["results"]] == [late.pk]
