"""Write a backup of the whole database: pg_dump on PostgreSQL, a JSON dump elsewhere."""

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

# Rows that migrate recreates or that are not worth keeping. The admin's change log is kept:
# it says who changed what in the admin.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes"]


def pg_env():
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432),
            "-U", db.get("USER") or "postgres"]
    return env, args, db["NAME"]


class Command(BaseCommand):
    help = "Backs up the database to var/backups/ (or --output)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file to write")

    def handle(self, *args, output=None, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        postgres = connection.vendor == "postgresql"
        default = Path(settings.VAR_DIR) / "backups" / (
            f"agentnet-{stamp}.dump" if postgres else f"agentnet-{stamp}.json"
        )
        path = Path(output) if output else default
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # The backup holds personnel data: readable by its owner only, from the start.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        path.chmod(0o600)
        if postgres:
            program = shutil.which("pg_dump")
            if not program:
                raise CommandError("pg_dump is not installed (apt-get install postgresql-client).")
            env, conn, name = pg_env()
            subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [program, *conn, "--format=custom", "--no-owner", "--file", str(path), name],
                env=env, check=True,
            )
        else:
            call_command(
                "dumpdata", "--natural-foreign", "--natural-primary", "--indent", "1",
                *[f"--exclude={e}" for e in EXCLUDE], output=str(path),
            )
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
