import pytest
from django.core.management import call_command

from coquan.audit.services import verify
from coquan.org.models import Agency, Membership, Unit


@pytest.mark.django_db
def test_seed_demo_builds_the_province_and_is_idempotent(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "vanthu" in out and "CoQuan@2026" in out
    counts = (Agency.objects.count(), Unit.objects.count(), Membership.objects.count())
    doic = Agency.objects.get(organ_id="000.00.14.H06")
    assert doic.short_name == "STTTT"
    assert set(Unit.objects.filter(agency=doic).values_list("code", flat=True)) == {
        "VP",
        "TTRA",
        "CNTT",
        "BCVT",
        "BCXB",
    }
    roles = set(Membership.objects.filter(agency=doic).values_list("roles__code", flat=True))
    assert {"admin", "clerk", "leader", "unit_leader", "officer", "desk_officer"} <= roles
    assert Agency.objects.filter(level="district").count() == 10
    call_command("seed_demo", "--quiet-logins")
    assert (Agency.objects.count(), Unit.objects.count(), Membership.objects.count()) == counts
    assert verify().ok
