"""``coquan exchange_node``: register a peer node (prints its token once) or import routes.

``coquan exchange_node add NAME [--senders "000.00.14.H06,..."]`` → the token to give
the other node (its ``Route.token`` for us). ``coquan exchange_node import-directory FILE``
imports the directory CSV (``organ_id,name,transport,endpoint,token``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from coquan.exchange.directory import add_peer_node, import_directory


class Command(BaseCommand):
    help = "Register a peer node allowed to send packages here, or import the directory."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["add", "import-directory"])
        parser.add_argument("value", help="node name, or CSV file")
        parser.add_argument("--senders", default="*", help="organ_ids it may send for (, sep.)")

    def handle(self, *args, what, value, senders="*", **options):
        if what == "add":
            _node, token = add_peer_node(
                None, name=value, sender_organ_ids="\n".join(senders.split(","))
            )
            self.stdout.write(token)
            return
        with open(value, encoding="utf-8") as handle:
            text = handle.read()
        try:
            result = import_directory(None, text=text)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        self.stdout.write(f"{result['created']} created, {result['updated']} updated")
