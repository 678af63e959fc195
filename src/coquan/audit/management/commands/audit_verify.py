"""``coquan audit_verify``: check the audit hash chain from the command line (cron, CI)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, no_translations

from coquan.audit.services import verify


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain. Prints 'OK: N entries verified' and exits 0, or "
        "prints the first broken position with its sequence number and reason and exits 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=2000,
            help="entries read per query (bounds memory; default 2000)",
        )

    @no_translations
    def handle(self, *args, chunk_size: int, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")
        result = verify(chunk_size=chunk_size)
        if not result.ok:
            raise CommandError(
                f"BROKEN at position {result.position} (seq {result.broken_seq}): "
                f"{result.reason} [{result.code}]; "
                f"{result.checked} entries verified before it",
                returncode=1,
            )
        self.stdout.write(f"OK: {result.checked} entries verified")
        if result.checked:
            self.stdout.write(f"head: seq {result.last_seq} hash {result.last_hash}")
