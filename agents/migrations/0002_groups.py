"""The two roles that are groups: Facilitator and Leder (manager)."""

from django.db import migrations

from agentnet.migration_helpers import grant

FACILITATOR = "Facilitator"
MANAGER = "Leder"


def create_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=MANAGER)
    # The facilitator manages the network's data in the admin.
    grant(apps, FACILITATOR, "agents",
          ["department", "location", "agent", "system", "systemrole", "user"])


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[FACILITATOR, MANAGER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
