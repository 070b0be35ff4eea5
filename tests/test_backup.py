import shutil

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from agents.models import User

# Transactional, with the migrations' data (the groups) restored first: other transactional
# tests may have flushed it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KEPT = ["agents", "projects", "meetings", "competencies", "auth.group"]


def row_counts():
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in KEPT or label in KEPT:
            counts[label] = model.objects.count()
    return counts


def test_restore_into_an_empty_database_gives_back_every_row(tmp_path):
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    call_command("seed_demo", verbosity=0)
    before = row_counts()
    suffix = "dump" if connection.vendor == "postgresql" else "json"
    backup = tmp_path / f"backup.{suffix}"
    call_command("backup", output=str(backup), verbosity=0)
    # Signed in after the backup was made: the restored database knows no such session.
    later = Client()
    later.force_login(User.objects.filter(is_active=True).order_by("pk").first())
    assert later.get(reverse("home")).status_code == 200

    call_command("flush", interactive=False, verbosity=0)
    assert row_counts()["agents.agent"] == 0
    call_command("restore", str(backup), verbosity=0)

    assert row_counts() == before
    assert later.get(reverse("home")).status_code == 302
    assert before["projects.projectupdate"] > 50 and before["meetings.meeting"] >= 12
