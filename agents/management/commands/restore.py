"""Restore a backup made by `backup` into the configured database, replacing its data."""

import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from agents.management.commands.backup import pg_env


class Command(BaseCommand):
    help = "Restores a backup file (from `backup`), replacing what the database holds."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.suffix == ".dump":
            if connection.vendor != "postgresql":
                raise CommandError("A .dump file is restored into PostgreSQL (DATABASE_URL).")
            program = shutil.which("pg_restore")
            if not program:
                raise CommandError("pg_restore is missing: apt-get install postgresql-client")
            env, conn, name = pg_env()
            connection.close()
            subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [program, *conn, "--clean", "--if-exists", "--no-owner",
                 "--single-transaction", "-d", name, str(path)],
                env=env, check=True,
            )
        else:
            call_command("migrate", verbosity=0)
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(path), verbosity=0)
        # Sessions are read from the cache first: one opened after the backup was made must
        # end with the database it no longer is in.
        caches[settings.SESSION_CACHE_ALIAS].clear()
        self.stdout.write(self.style.SUCCESS(f"Restored {path}"))
