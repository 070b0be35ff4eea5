"""Helpers for data migrations that give groups their permissions."""

from django.contrib.auth.management import create_permissions


def grant(apps, group_name, app_label, models):
    """Give a group every permission on the named models of an app.

    Permissions are normally created after all migrations have run; create them now so that
    the grant also works on a fresh database."""
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    )
