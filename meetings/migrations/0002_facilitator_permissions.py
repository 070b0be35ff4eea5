"""The facilitator manages erfa-days, speakers, proposals and attendance in the admin."""

from django.db import migrations

from agentnet.migration_helpers import grant


def forwards(apps, schema_editor):
    grant(apps, "Facilitator", "meetings",
          ["meeting", "agendaitem", "speaker", "topicproposal", "attendance", "action"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("agents", "0002_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
