"""The worker sends what the web request queued: Django's tasks framework with the database
backend, run for one batch as `manage.py db_worker --batch` runs it."""

import pytest
from django.core import mail
from django.core.management import call_command

from agents.services import send_password_link

# The worker commits as it claims and finishes a task, so these tests run outside a test
# transaction; serialized_rollback, as the suite's other such tests, leaves the database as
# they found it for the next.
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0
    )


@pytest.fixture
def database_tasks(settings):
    # The suite runs each task at once (tests/conftest.py); these tests queue for real.
    settings.TASKS = DATABASE_TASKS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_queued_mail_waits_for_the_worker_and_the_worker_sends_it(database_tasks):
    send_password_link.enqueue("Vælg en adgangskode", "Linket: …", "mette@example.dk")
    assert mail.outbox == []

    run_worker()

    [message] = mail.outbox
    assert message.to == ["mette@example.dk"]
    assert message.subject == "Vælg en adgangskode"

    run_worker()
    assert len(mail.outbox) == 1
