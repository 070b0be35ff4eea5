"""Read the municipality's systems, superusers and IT contacts from OS2kitos (agents/kitos)."""

from django.core.management.base import BaseCommand, CommandError

from agents.kitos import sync
from agents.kitos.client import KitosError


class Command(BaseCommand):
    help = (
        "Reads systems, superusers and IT contacts from OS2kitos: what changed since the last "
        "run, or everything with --full. Does nothing when KITOS_URL is unset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full", action="store_true",
            help="read every system usage, not only those changed since the last run",
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help="print what would change and change nothing",
        )

    def handle(self, *args, full=False, dry_run=False, **options):
        if not sync.is_enabled():
            self.stdout.write("KITOS_URL is not set: systems are kept by hand. Nothing to do.")
            return
        try:
            result = sync.run(full=full, dry_run=dry_run, client=sync.client_from_settings())
        except sync.NotConfigured as error:
            raise CommandError(str(error)) from error
        except KitosError as error:
            raise CommandError(f"Nothing was changed: {error}") from error
        if dry_run:
            for line in result.changes:
                self.stdout.write(line)
            self.stdout.write("Dry run: nothing was changed.")
        self.stdout.write(
            f"Systems created: {result.created}, updated: {result.updated}, "
            f"no longer in use: {result.retired}; roles added: {result.roles_added}, "
            f"removed: {result.roles_removed}."
        )
        for holder in result.unknown_holders:
            self.stdout.write(
                f"Not in AgentNet: {holder['name']} <{holder['email'] or '?'}>, "
                f"{holder['role']} of {holder['system']}"
            )
