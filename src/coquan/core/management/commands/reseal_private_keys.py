"""``coquan reseal_private_keys``: encrypt the stored private keys with the current passphrase."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from coquan.core.keyvault import reseal_private_keys


class Command(BaseCommand):
    help = (
        "Encrypt every private signing key still stored plain, and with "
        "--old-passphrase-env re-encrypt the keys sealed with an earlier passphrase under the "
        "current one (COQUAN_KEY_PASSPHRASE, or derived from COQUAN_SECRET_KEY)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--old-passphrase-env",
            metavar="NAME",
            help="the environment variable holding the earlier passphrase (not on the "
            "command line, where other users of the machine could read it); for a "
            "passphrase that was derived from an earlier secret key, the variable holds "
            "'secret-key:' followed by that key",
        )

    def handle(self, *args, old_passphrase_env=None, **options):
        old_secret = None
        if old_passphrase_env:
            old_secret = os.environ.get(old_passphrase_env)
            if not old_secret:
                raise CommandError(f"The environment variable {old_passphrase_env} is empty.")
        results = reseal_private_keys(None, old_secret=old_secret)
        unreadable = []
        for label, counts in results.items():
            self.stdout.write(
                f"{label}: {counts['sealed']} sealed, {counts['resealed']} re-encrypted, "
                f"{counts['unchanged']} unchanged, {len(counts['unreadable'])} unreadable"
            )
            unreadable += [f"{label}#{pk}" for pk in counts["unreadable"]]
        if unreadable:
            raise CommandError(
                "These keys cannot be opened with the current or the old passphrase: "
                + ", ".join(unreadable)
            )
