"""A large fictional network for the benchmark (bench/seed.py), on an empty database."""

from dataclasses import fields

from django.core.management.base import BaseCommand, CommandError

from bench.seed import PASSWORD, Counts, SeedError, seed_large


class Command(BaseCommand):
    help = (
        "Bulk-loads a large fictional network into an empty, migrated database "
        "(the benchmark's data; see docs/performance.md)."
    )

    def add_arguments(self, parser):
        defaults = Counts()
        for f in fields(Counts):
            parser.add_argument(
                f"--{f.name.replace('_', '-')}",
                dest=f.name,
                type=int,
                default=getattr(defaults, f.name),
                help=f"default {getattr(defaults, f.name)}",
            )

    def handle(self, *args, **options):
        counts = Counts(**{f.name: options[f.name] for f in fields(Counts)})
        try:
            report = seed_large(counts, log=self.stdout.write)
        except SeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Large network ready: {report.rows} rows in {report.seconds:.2f} s. "
                f"Password for every user: {PASSWORD}"
            )
        )
