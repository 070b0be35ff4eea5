"""The facilitator manages projects, updates, goals and types in the admin."""

from django.db import migrations

from agentnet.migration_helpers import grant


def forwards(apps, schema_editor):
    grant(apps, "Facilitator", "projects",
          ["project", "projectupdate", "strategygoal", "projecttype", "projectchange"])


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("agents", "0002_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
