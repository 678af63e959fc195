"""``coquan documents_signing_key <organ_id> [--user <username>]``: a self-signed test key.

Generates a key pair and a **self-signed** certificate for the agency's seal (the agency's
digital signature applied at issue), or with ``--user`` for that person's personal
signature in the agency, and installs it as the active key (earlier keys stay to verify
what they signed). The certificate is trusted only by this deployment: a certification
authority cannot exist inside CoQuan, so production keys are imported from a licensed CA
or replaced by a USB-token / remote-signing ``Signer`` (docs/documents.md). Runs as the
system (audit actor none).

``--if-missing`` does nothing when the agency (or the person) already has an active key, so
``make demo`` can run it every time: running it twice neither fails nor adds a key.
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
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="do nothing when an active key already exists (idempotent, for demo data)",
        )

    def handle(
        self,
        *args,
        organ_id: str,
        user: str | None,
        algorithm: str,
        if_missing: bool = False,
        **options,
    ):
        from coquan.accounts.models import User
        from coquan.documents.models import SigningKey

        agency = Agency.objects.filter(organ_id=organ_id).first()
        if agency is None:
            raise CommandError(f"No agency with identifier {organ_id}.")
        holder = None
        if user:
            holder = User.objects.filter(username=user).first()
            if holder is None:
                raise CommandError(f"No person with username {user}.")
        whose = holder.get_full_name() if holder else agency.name
        if if_missing:
            existing = (
                SigningKey.objects.personal_key(agency, holder)
                if holder is not None
                else SigningKey.objects.agency_key(agency)
            )
            if existing is not None:
                self.stdout.write(
                    f"{agency.organ_id} — {whose}: active key {existing.fingerprint[:16]} "
                    "already there"
                )
                return
        try:
            key = generate_signing_key(None, agency=agency, holder=holder, algorithm=algorithm)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"{agency.organ_id} — {whose}: self-signed test key {key.fingerprint[:16]} "
            f"valid until {key.not_after:%Y-%m-%d}"
        )
