import json
import shutil

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
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


def _small_network():
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from tests import factories

    agent = factories.AgentFactory(user__username="mette", user__first_name="Mette")
    facilitator = factories.FacilitatorFactory(username="lise", first_name="Lise")
    LogEntry.objects.create(
        user=facilitator, content_type=ContentType.objects.get_for_model(agent),
        object_id=str(agent.pk), object_repr=str(agent), action_flag=CHANGE,
        change_message="Ændrede titel",
    )
    return agent


def _backup(tmp_path):
    suffix = "dump" if connection.vendor == "postgresql" else "json"
    path = tmp_path / f"backup.{suffix}"
    call_command("backup", output=str(path), verbosity=0)
    return path


def test_a_backup_is_readable_by_its_owner_only_and_keeps_the_admins_log(tmp_path):
    from django.contrib.admin.models import LogEntry

    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    _small_network()
    backup = _backup(tmp_path)

    assert backup.stat().st_mode & 0o777 == 0o600
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(backup), verbosity=0)

    [entry] = LogEntry.objects.all()
    assert (entry.user.username, entry.change_message) == ("lise", "Ændrede titel")


@pytest.mark.parametrize("damage", ["truncated", "unknown model", "not json"])
def test_a_bad_json_file_changes_nothing_and_says_why(tmp_path, damage):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL restores from pg_dump: see the test below")
    _small_network()
    good = _backup(tmp_path).read_text()
    bad = tmp_path / "bad.json"
    bad.write_text({
        "truncated": good[: len(good) // 2],
        "unknown model": '[{"model": "agents.nothing", "pk": 1, "fields": {}}]',
        "not json": "agentnet\n",
    }[damage])
    before = row_counts()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(bad), verbosity=0)

    assert "Nothing was changed" in str(refused.value)
    assert row_counts() == before
    assert User.objects.filter(username="mette").exists()


def test_a_restore_that_fails_halfway_rolls_back_the_flush(tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL restores from pg_dump: see the test below")
    _small_network()
    rows = json.loads(_backup(tmp_path).read_text())
    # Whole and of known models, but an agent whose user is not in the file.
    agent = next(row for row in rows if row["model"] == "agents.agent")
    agent["fields"]["user"] = ["nobody"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(rows))
    before = row_counts()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(bad), verbosity=0)

    assert "Nothing was changed" in str(refused.value)
    assert row_counts() == before


def test_a_file_with_a_bad_value_changes_nothing_and_says_why(tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL restores from pg_dump: see the test below")
    _small_network()
    rows = json.loads(_backup(tmp_path).read_text())
    agent = next(row for row in rows if row["model"] == "agents.agent")
    agent["fields"]["joined"] = "ikke-en-dato"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(rows))
    before = row_counts()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(bad), verbosity=0)

    assert "ikke-en-dato" in str(refused.value) and "Nothing was changed" in str(refused.value)
    assert row_counts() == before


@pytest.mark.skipif(
    not (shutil.which("pg_dump") and shutil.which("psql")),
    reason="needs pg_dump and psql",
)
def test_a_truncated_pg_dump_changes_nothing_and_says_why(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("runs when DATABASE_URL is PostgreSQL")
    _small_network()
    good = _backup(tmp_path).read_bytes()
    bad = tmp_path / "bad.dump"
    bad.write_bytes(good[: len(good) // 2])
    before = row_counts()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(bad), verbosity=0)

    assert "Nothing was changed" in str(refused.value)
    assert row_counts() == before
    assert User.objects.filter(username="mette").exists()
