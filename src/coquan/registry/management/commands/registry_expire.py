"""``coquan registry_expire``: enqueue the daily licence tasks.

``run_worker`` enqueues the same tasks every day (job ``registry_expire`` of
``COQUAN_DAILY_JOBS``); the command is for running them by hand. It enqueues two tasks:
``expire_licences_task`` marks every licence whose expiry date has passed as expired, and
``licence_reminders_task`` e-mails the registry editors about licences nearing their expiry
date (``COQUAN_LICENCE_REMINDER_DAYS``, each reminder once). ``--now`` runs both in this
process instead (no worker needed), ``--on dd/mm/yyyy`` (or ISO) works as of another day.
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
    help = (
        "Enqueue (or run with --now) the tasks that mark expired licences and send "
        "expiry reminders."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Run in this process.")
        parser.add_argument("--on", help="Work as of this day (dd/mm/yyyy).")

    def handle(self, *args, **options):
        from coquan.registry.actions import expire_licences, send_expiry_reminders
        from coquan.registry.tasks import expire_licences_task, licence_reminders_task

        day = _parse_day(options["on"]) if options.get("on") else None
        if options["now"]:
            count = expire_licences(None, on=day)
            self.stdout.write(f"{count} licence(s) expired.")
            sent = send_expiry_reminders(None, on=day)
            self.stdout.write(f"{sent} expiry reminder e-mail(s) sent.")
            return
        argument = day.isoformat() if day else None
        for task in (expire_licences_task, licence_reminders_task):
            result = task.enqueue(argument)
            self.stdout.write(f"Task enqueued: {result.id}")
