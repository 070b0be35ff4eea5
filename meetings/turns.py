"""Which project updates an erfa-day's round brings: the departments take turns.

The rule: the updates written between the previous erfa-day and this one, grouped by the
department of the project's lead (ProjectUpdate.lead_department). Within a department its
urgent updates (problems, and updates flagged for the erfa-day) come first, then the
newest. The departments take turns, each bringing its first update, then each its second,
and so on, until the round holds `size` updates: at turn t, urgent before other, newer
before older. The round lists them oldest first. tests/meetings/test_turns.py holds the
query to the rule written out in plain Python.
"""

from django.db.models import Case, F, IntegerField, Value, When, Window
from django.db.models.functions import RowNumber

from projects.models import URGENT, ProjectUpdate

# What the round shows of an update: a project's summary and benefits stay in the database.
SHOWN = (
    "kind", "text", "for_erfa", "created_at", "lead_department", "project__title",
    "project__lead__user__first_name", "project__lead__user__last_name",
    "project__lead__user__username", "author__first_name", "author__last_name",
    "author__username",
)


def round_updates(since, until, size):
    """The updates the round brings, oldest first: at most `size`, written at `since` or
    later and before `until`, with their projects, leads and authors."""
    urgent = Case(When(URGENT, then=Value(1)), default=Value(0), output_field=IntegerField())
    turn = Window(
        RowNumber(),
        partition_by=F("lead_department"),
        order_by=[urgent.desc(), F("created_at").desc(), F("pk").desc()],
    )
    # The turns are taken over every update of the period, some thousands in a busy month
    # of a large network, so on their narrow rows; only the chosen ones are read whole.
    chosen = (
        ProjectUpdate.objects.filter(created_at__gte=since, created_at__lt=until)
        .annotate(urgent=urgent, turn=turn)
        # A department never brings more than the whole round.
        .filter(turn__lte=size)
        .order_by("turn", "-urgent", "-created_at", "-pk")
        .values("pk")[:size]
    )
    return (
        ProjectUpdate.objects.filter(pk__in=chosen)
        .select_related("project__lead__user", "author")
        .only(*SHOWN)
        .order_by("created_at", "pk")
    )
