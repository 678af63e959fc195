"""``coquan onestop_gen_data``: a province of dossiers that obey the rules of the actions
(appointments on the working-day calendar, classification by ``deadlines.classify``),
spread over channels and outcomes, codes unique across runs, and the report's invariant
holds on it."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import call_command

from coquan.accounts.models import User
from coquan.onestop import deadlines, reports
from coquan.onestop.models import Dossier, DossierCounter
from coquan.org.models import Agency


@pytest.mark.django_db
def test_generated_province_obeys_the_rules():
    out = io.StringIO()
    call_command("onestop_gen_data", dossiers=400, year=2025, chunk=150, stdout=out)
    assert "400 dossiers generated" in out.getvalue()
    accepted = Dossier.objects.accepted()
    assert accepted.count() == 400
    # About 5 % more are refused at the desk (size // 20 per chunk: 7 + 7 + 5).
    assert Dossier.objects.filter(received_at__isnull=True, status="3").count() == 19
    province = Agency.objects.get(organ_id="000.00.00.H99")
    assert Agency.objects.filter(parent=province).count() == 36
    statuses = Counter(accepted.values_list("status", flat=True))
    assert {"4", "9", "10"} <= set(statuses)
    channels = Counter(accepted.values_list("channel", flat=True))
    assert set(channels) == {"1", "2", "3"}
    for dossier in accepted.filter(result_ready_at__isnull=False).select_related("procedure"):
        assert dossier.timeliness == deadlines.classify(dossier.result_ready_at, dossier.due_at)
        limit = dossier.procedure.time_limit
        assert dossier.due_at == deadlines.due_after(dossier.received_at, limit, dossier.procedure)
    # A second run continues the day's numbers: no duplicate code.
    call_command("onestop_gen_data", dossiers=200, year=2025, chunk=200, stdout=io.StringIO())
    assert Dossier.objects.accepted().count() == 600
    last = DossierCounter.objects.order_by("-last_value").first()
    code = f"{last.agency.organ_id}-{last.period:%y%m%d}-{last.last_value:04d}"
    assert Dossier.objects.filter(dossier_code=code).exists()
    # The province view adds up, and received = resolved + in progress + paused.
    leader = User.objects.get(username="gen_lanhdao")
    period = reports.Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    report = reports.build(leader, province, period, group_by="agency", tree=True)
    total = report.total
    assert len(report.rows) == 36
    assert total.received_total == total.resolved_total + total.progress_total + total.paused_total
    assert total.carried_over > 0 and total.early > total.late > 0
