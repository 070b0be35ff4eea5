"""A fictional network of digital agents to try AgentNet with. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from agents import demo as agents_demo
from competencies import demo as competencies_demo
from meetings import demo as meetings_demo
from projects import demo as projects_demo


class Command(BaseCommand):
    help = "Loads a fictional network of digital agents (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        # Each app seeds its own records on top of those of the apps below it.
        agents_demo.load()
        projects_demo.load()
        meetings_demo.load()
        competencies_demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo network ready: {len(agents_demo.AGENTS)} agents, "
                f"{len(agents_demo.DEPARTMENTS)} departments, {len(agents_demo.SYSTEMS)} systems, "
                f"{len(projects_demo.PROJECTS)} projects. "
                f"Password for every demo user: {agents_demo.DEMO_PASSWORD}"
            )
        )
