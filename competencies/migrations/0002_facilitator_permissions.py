"""The facilitator keeps the competency framework and the course catalogue in the admin.

Assessments and the audit log are not given: the answers are personnel data."""

from django.db import migrations

from agentnet.migration_helpers import grant


def forwards(apps, schema_editor):
    grant(apps, "Facilitator", "competencies",
          ["framework", "area", "competency", "level", "course", "musround"])


class Migration(migrations.Migration):
    dependencies = [
        ("competencies", "0001_initial"),
        ("agents", "0002_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
