"""The change history of a project: each entry keeps the field's name and plain values (a
status's key, a date as ISO text, a yes/no as a boolean, people and things by name), and is
shown in the reader's language, whoever wrote it in which."""

from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from projects.models import Project, Rollout

# Entries for a department's row in the rollout, beside the project's own fields.
ROLLOUT = "rollout"  # the row's status
ROLLOUT_CONTACT = "rollout_contact"  # the row's contact person


def entry(name, old, new, **extra):
    return {"name": name, "old": old, "new": new, **extra}


def names(items):
    """People or things of a many-to-many field as the history keeps them."""
    return ", ".join(sorted(str(item) for item in items))


def stored(project, name):
    """The value of a tracked field as the history keeps it."""
    field = project._meta.get_field(name)
    if field.many_to_many:
        return names(getattr(project, name).all())
    value = getattr(project, name)
    if value is None:
        return ""
    if isinstance(value, bool | str | int):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def shown(item):
    """(what, old, new) of one entry, as text in the active language."""
    if "name" not in item:
        # Written before the history kept field names: labels and values as they were stored.
        return item["field"], item["old"], item["new"]
    name = item["name"]
    if name == ROLLOUT:
        statuses = dict(Rollout.Status.choices)
        return (
            f"{_('Rollout')}: {item['department']}",
            str(statuses.get(item["old"], item["old"])),
            str(statuses.get(item["new"], item["new"])),
        )
    if name == ROLLOUT_CONTACT:
        contact = Rollout._meta.get_field("contact").verbose_name
        return f"{_('Rollout')}: {item['department']} ({contact})", item["old"], item["new"]
    field = Project._meta.get_field(name)
    return str(field.verbose_name), _value(field, item["old"]), _value(field, item["new"])


def _value(field, value):
    if value in ("", None):
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if field.get_internal_type() == "DateField":
        return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return str(value)
