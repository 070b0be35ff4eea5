"""The two roles that are groups: Facilitator and Leder (manager)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FACILITATOR = "Facilitator"
MANAGER = "Leder"
# The facilitator manages the network's data in the admin.
FACILITATOR_MODELS = ["department", "location", "agent", "system", "systemrole", "user"]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the
    # facilitator's group can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    facilitator, _ = Group.objects.get_or_create(name=FACILITATOR)
    Group.objects.get_or_create(name=MANAGER)
    facilitator.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="agents", content_type__model__in=FACILITATOR_MODELS
        )
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[FACILITATOR, MANAGER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
