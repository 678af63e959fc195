"""``coquan exchange_deliver``: deliver the outbox (documents and statuses).

Without options: one pass until nothing is due. ``--loop``: keep delivering, polling every
``--interval`` seconds (a dedicated delivery worker). ``--enqueue``: hand the work to the
background worker (``coquan run_worker``) as the self-rescheduling ``deliver_outbox`` task.
``--pull``: each pass also fetches what the pull-style hubs of the directory hold for this
deployment's agencies (``transports.pull_all``).
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand

from coquan.exchange import outbox


class Command(BaseCommand):
    help = "Deliver the exchange outbox: queued documents and statuses, with retries."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep delivering.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--enqueue", action="store_true", help="Run it in the worker.")
        parser.add_argument("--limit", type=int, default=20, help="Messages claimed at once.")
        parser.add_argument(
            "--pull", action="store_true", help="Also fetch what the directory's hubs hold."
        )

    def handle(
        self, *args, loop=False, interval=1.0, enqueue=False, limit=20, pull=False, **options
    ):
        if enqueue:
            from coquan.exchange.tasks import deliver_outbox

            result = deliver_outbox.enqueue(follow=True)
            self.stdout.write(f"enqueued {result.id}")
            return
        while True:
            if pull:
                from coquan.exchange.transports import pull_all

                pulled = pull_all()
                if pulled:
                    self.stdout.write(json.dumps({"pulled": pulled}))
            counts = outbox.run_until_idle(limit=limit)
            if counts:
                self.stdout.write(json.dumps(counts))
            if not loop:
                return
            time.sleep(interval)
