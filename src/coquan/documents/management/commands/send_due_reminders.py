"""``coquan send_due_reminders``: notify due-soon and overdue handlers (daily; idempotent)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Notify the handlers of incoming documents due soon or overdue (once a day each)."

    def handle(self, *args, **options):
        from coquan.documents.reminders import due_reminders

        created = due_reminders()
        if options["verbosity"] > 0:
            self.stdout.write(f"{created} reminders")
