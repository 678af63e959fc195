"""``coquan gen_data --documents N [--agencies K] [--seed S]``: a generated data set."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Generate a province-shaped data set of incoming documents for tests and benchmarks "
        "(agencies, people, documents with their handling trail). Not for production data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, required=True, help="number of documents")
        parser.add_argument("--agencies", type=int, default=10, help="number of agencies (10)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--officers-per-unit", type=int, default=4, help="officers in each unit (4)"
        )

    def handle(self, *args, **options):
        from coquan.documents import generator

        if options["documents"] < 0 or options["agencies"] < 1:
            raise CommandError("--documents must be ≥ 0 and --agencies ≥ 1.")
        verbose = options["verbosity"] > 0
        report = generator.generate(
            options["documents"],
            options["agencies"],
            options["seed"],
            officers_per_unit=options["officers_per_unit"],
            progress=(lambda line: self.stdout.write("  " + line)) if verbose else None,
        )
        if verbose:
            self.stdout.write(
                f"{report.documents} documents, {report.steps} handling steps, "
                f"{report.grants} secrecy grants, {report.agencies} agencies, "
                f"{report.users} people in {report.seconds:.1f} s; "
                f"{report.hot_leader.username} has {report.hot_items} documents presented."
            )
