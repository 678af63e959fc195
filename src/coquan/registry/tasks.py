"""Background tasks of the registry (django-tasks API, run by ``coquan run_worker``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def expire_licences_task(on: str | None = None) -> int:
    """Mark the licences whose expiry date has passed as expired (daily; enqueued by
    ``run_worker``'s schedule, job ``registry_expire``, or the command). ``on`` is an ISO date
    (default today). Returns the number of licences that expired."""
    from coquan.registry.actions import expire_licences

    return expire_licences(None, on=dt.date.fromisoformat(on) if on else None)


@task()
def licence_reminders_task(on: str | None = None) -> int:
    """E-mail the registry editors about licences nearing their expiry date (daily; enqueued
    with ``expire_licences_task`` by the ``registry_expire`` job or command). ``on`` is an ISO date
    (default today). Each reminder goes out once, however often the task runs. Returns the
    number of e-mails queued."""
    from coquan.registry.actions import send_expiry_reminders

    return send_expiry_reminders(None, on=dt.date.fromisoformat(on) if on else None)


@task()
def refresh_derived_indicators(agency_id: int, from_year: int) -> list[int]:
    """Recompute the province-wide derived indicators of ``agency_id`` from ``from_year`` on,
    after a register change (enqueued on commit by the register actions)."""
    from coquan.org.models import Agency
    from coquan.registry import derive

    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        return []
    return derive.refresh_from_year(agency, from_year)


@task()
def refresh_all_derived_indicators() -> int:
    """Recompute every stored derived value after an indicator definition changed."""
    from coquan.org.models import Agency
    from coquan.registry import derive
    from coquan.registry.models import IndicatorValue

    plan = derive.FormulaPlan.load()
    combos = (
        IndicatorValue.objects.values_list("agency_id", "year", "area_id").distinct().order_by()
    )
    agencies = {}
    count = 0
    for agency_id, year, area_id in combos:
        agency = agencies.setdefault(agency_id, Agency.objects.get(pk=agency_id))
        area = Agency.objects.get(pk=area_id) if area_id else None
        derive.refresh(agency, year, area, plan=plan)
        count += 1
    return count
