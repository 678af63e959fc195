"""``coquan registry_expire``: enqueue the daily licence-expiry task.

Run it once a day (cron, systemd timer); the background worker marks every licence whose
expiry date has passed as expired. ``--now`` runs the task in this process instead (no
worker needed), ``--on dd/mm/yyyy`` (or ISO) checks as of another day.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


def _parse_day(text: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"Invalid date {text!r}: use dd/mm/yyyy.")


class Command(BaseCommand):
    help = "Enqueue (or run with --now) the task that marks expired licences."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run in this process.")
        parser.add_argument("--on", help="Check as of this day (dd/mm/yyyy).")

    def handle(self, *args, **options):
        from coquan.registry.actions import expire_licences
        from coquan.registry.tasks import expire_licences_task

        day = _parse_day(options["on"]) if options.get("on") else None
        if options["now"]:
            count = expire_licences(None, on=day)
            self.stdout.write(f"{count} licence(s) expired.")
            return
        result = expire_licences_task.enqueue(day.isoformat() if day else None)
        self.stdout.write(f"Task enqueued: {result.id}")
