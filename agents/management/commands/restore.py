"""Restore a backup made by `backup` into the configured database, replacing its data.

The file is checked before anything is changed, and the restore runs in one transaction:
a truncated or foreign file changes nothing and says why."""

import json
import shutil
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction

from agents.management.commands.backup import pg_env

NOTHING_CHANGED = "Nothing was changed."


class Command(BaseCommand):
    help = "Restores a backup file (from `backup`), replacing what the database holds."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.suffix == ".dump":
            self.restore_dump(path)
        else:
            self.restore_json(path)
        # Sessions are read from the cache first: one opened after the backup was made must
        # end with the database it no longer is in.
        caches[settings.SESSION_CACHE_ALIAS].clear()
        self.stdout.write(self.style.SUCCESS(f"Restored {path}"))

    def restore_dump(self, path):
        if connection.vendor != "postgresql":
            raise CommandError("A .dump file is restored into PostgreSQL (DATABASE_URL).")
        program = shutil.which("pg_restore")
        if not program:
            raise CommandError("pg_restore is missing: apt-get install postgresql-client")
        env, conn, name = pg_env()
        # A file pg_restore cannot read as an archive is refused before the database is touched.
        self.run([program, "--list", str(path)], env, "is not a backup made by pg_dump")
        connection.close()
        # --single-transaction: the old data is dropped and the new restored in one
        # transaction, which stops at the first error and leaves the database as it was.
        self.run(
            [program, *conn, "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--exit-on-error", "-d", name, str(path)],
            env, "could not be restored",
        )

    @staticmethod
    def run(command, env, failure):
        done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            command, env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            reason = done.stderr.strip() or f"exit status {done.returncode}"
            raise CommandError(f"The file {command[-1]} {failure}: {reason}. {NOTHING_CHANGED}")

    def restore_json(self, path):
        check_json(path)
        call_command("migrate", verbosity=0)
        try:
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(path), verbosity=0)
        except (DatabaseError, CommandError, DeserializationError, ValueError) as error:
            raise CommandError(
                f"The file {path} could not be restored: {error}. {NOTHING_CHANGED}"
            ) from error


def check_json(path):
    """Raise CommandError unless the file reads as a whole JSON dump of known models."""
    try:
        with path.open(encoding="utf-8") as file:
            rows = json.load(file)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(
            f"The file {path} is not a whole JSON backup (truncated?): {error}. {NOTHING_CHANGED}"
        ) from error
    if not isinstance(rows, list) or not rows:
        raise CommandError(f"The file {path} holds no rows. {NOTHING_CHANGED}")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not isinstance(row.get("fields"), dict):
            raise CommandError(f"Row {number} of {path} is not a saved object. {NOTHING_CHANGED}")
        try:
            apps.get_model(row.get("model", ""))
        except (LookupError, ValueError) as error:
            raise CommandError(
                f"Row {number} of {path} is of an unknown model {row.get('model')!r}. "
                f"{NOTHING_CHANGED}"
            ) from error
