"""``coquan documents_signing_key <organ_id> [--user <username>]``: a self-signed test key.

Generates a key pair and a **self-signed** certificate for the agency's seal (the agency's
digital signature applied at issue), or with ``--user`` for that person's personal
signature in the agency, and installs it as the active key (earlier keys stay to verify
what they signed). The certificate is trusted only by this deployment: a certification
authority cannot exist inside CoQuan, so production keys are imported from a licensed CA
or replaced by a USB-token / remote-signing ``Signer`` (docs/documents.md). Runs as the
system (audit actor none).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from coquan.documents.actions.keys import generate_signing_key
from coquan.org.models import Agency


class Command(BaseCommand):
    help = "Create a self-signed test key for an agency's seal or for a person's signature."

    def add_arguments(self, parser):
        parser.add_argument("organ_id", help="the agency's identifier, e.g. 000.00.14.H06")
        parser.add_argument("--user", help="username of the person (default: the agency's seal)")
        parser.add_argument(
            "--algorithm", choices=["rsa", "ec"], default="rsa", help="RSA 2048 (default) or P-256"
        )

    def handle(self, *args, organ_id: str, user: str | None, algorithm: str, **options):
        from coquan.accounts.models import User

        agency = Agency.objects.filter(organ_id=organ_id).first()
        if agency is None:
            raise CommandError(f"No agency with identifier {organ_id}.")
        holder = None
        if user:
            holder = User.objects.filter(username=user).first()
            if holder is None:
                raise CommandError(f"No person with username {user}.")
        try:
            key = generate_signing_key(None, agency=agency, holder=holder, algorithm=algorithm)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        whose = holder.get_full_name() if holder else agency.name
        self.stdout.write(
            f"{agency.organ_id} — {whose}: self-signed test key {key.fingerprint[:16]} "
            f"valid until {key.not_after:%Y-%m-%d}"
        )
