"""The facilitator keeps the network's people up to date, but grants no rights: deleting a
user (and with them their history) is a superuser's, and what makes someone staff, a
superuser or a member of a group is kept from the facilitator by the user admin
(agents/admin.py). The facilitator reads the changes of manager."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FACILITATOR = "Facilitator"


def _permissions(apps, codenames):
    app_config = apps.get_app_config("agents")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="agents", codename__in=codenames)


def reduce(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=FACILITATOR)
    group.permissions.remove(*_permissions(apps, ["delete_user"]))
    group.permissions.add(*_permissions(apps, ["view_managerchange"]))


def restore(apps, schema_editor):
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=FACILITATOR)
    group.permissions.add(*_permissions(apps, ["delete_user"]))
    group.permissions.remove(*_permissions(apps, ["view_managerchange"]))


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0004_manager_change"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(reduce, restore)]
