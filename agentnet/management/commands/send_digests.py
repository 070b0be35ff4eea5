"""Queues today's digests (agentnet/digest.py); the worker sends them. Run at 07:00 on
workdays by the systemd timer in docs/deployment.md; a second run the same day sends
nothing new."""

from datetime import date

from django.core.management.base import BaseCommand

from agentnet.digest import send_digests


class Command(BaseCommand):
    help = "Queues today's digest mails (at most one per person a day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="As if it were this day.")

    def handle(self, *args, date=None, **options):
        count = send_digests(date)
        self.stdout.write(f"{count} digest(s) queued.")
