"""``coquan exchange_generate_key --agency <organ_id>``: a new signing key for an agency.

Generates an RSA key and a self-signed certificate naming the agency (its ``organ_id`` in
the subject), installs it as the agency's active key (earlier keys stay for verifying what
they signed) and prints the certificate's fingerprint. Runs as the system (audit actor
none). The private key is stored in the database as PEM (docs/exchange.md).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from coquan.exchange.actions import generate_agency_key
from coquan.org.models import Agency


class Command(BaseCommand):
    help = "Create a new signing key and self-signed certificate for an agency."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="organ_id, e.g. 000.00.14.H06")
        parser.add_argument("--bits", type=int, default=3072, choices=[2048, 3072, 4096])
        parser.add_argument("--days", type=int, default=730, help="validity in days")

    def handle(self, *args, agency: str, bits: int, days: int, **options):
        found = Agency.objects.filter(organ_id=agency).first()
        if found is None:
            raise CommandError(f"No agency with organ_id {agency}.")
        if not 1 <= days <= 3650:
            raise CommandError("--days must be between 1 and 3650.")
        try:
            key = generate_agency_key(None, agency=found, key_size=bits, days=days)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"{found.organ_id} {found.name}: key {key.fingerprint} "
            f"valid until {key.not_after:%Y-%m-%d}"
        )
