"""``coquan rebuild_search_index [--model documents.IncomingDocument] [--resume]``.

Re-indexes every object of the declared models (or of one), in primary-key order, one chunk
at a time (bounded memory), committing a cursor after each chunk. Interrupted (Ctrl-C, a
killed process, a lost connection), it resumes after the last committed chunk with
``--resume``. Prints progress and, at the end, the peak memory of the process.
"""

from __future__ import annotations

import resource
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from coquan.search import registry
from coquan.search.backends import get_backend


def peak_memory_mb() -> float:
    """Peak resident memory of this process in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class Command(BaseCommand):
    help = "Rebuild the search index in chunks (resumable)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--model", help="Only this model, e.g. documents.IncomingDocument (default: all)."
        )
        parser.add_argument(
            "--resume",
            action="store_true",
            help="Continue after the last chunk of an interrupted rebuild.",
        )
        parser.add_argument(
            "--chunk", type=int, default=1000, help="Objects per chunk and transaction (1000)."
        )

    def handle(self, *args, model=None, resume=False, chunk=1000, verbosity=1, **options):
        if model:
            try:
                registry.get(model)
            except LookupError as exc:
                known = ", ".join(index.label for index in registry.indexes())
                raise CommandError(f"{exc} Indexed models: {known}.") from None
        if chunk < 1:
            raise CommandError("--chunk must be at least 1.")
        started = time.monotonic()
        last_report = [started]

        def progress(label: str, done: int, last_pk: int) -> None:
            now = time.monotonic()
            if verbosity >= 2 or now - last_report[0] >= 5:
                last_report[0] = now
                self.stdout.write(f"{label}: {done} indexed (last id {last_pk})")
                self.stdout.flush()

        done = get_backend().rebuild(model, chunk, resume=resume, progress=progress)
        elapsed = time.monotonic() - started
        for label, count in done.items():
            self.stdout.write(self.style.SUCCESS(f"{label}: {count} objects in the index."))
        self.stdout.write(f"Took {elapsed:.1f} s; peak memory {peak_memory_mb():.0f} MiB.")
