"""``coquan repair_search_index``: re-index every entry left dirty (the periodic job).

Run it every few minutes from cron or a systemd timer (or ``--enqueue`` to hand the work to
the background worker). An entry stays dirty when its object changed and the queued index
task was lost or failed; this command is the safety net, not the normal path.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from coquan.search.backends import get_backend
from coquan.search.models import SearchEntry


class Command(BaseCommand):
    help = "Re-index the search entries marked dirty."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the repair task for the worker instead of running it here.",
        )

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from coquan.search.tasks import repair_index

            result = repair_index.enqueue()
            self.stdout.write(f"Repair task queued ({result.id}).")
            return
        waiting = SearchEntry.objects.filter(dirty=True).count()
        repaired = get_backend().repair()
        self.stdout.write(
            self.style.SUCCESS(f"{repaired} dirty entries re-indexed ({waiting} were waiting).")
        )
