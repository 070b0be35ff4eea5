"""Which project updates an erfa-day's round brings: the departments take turns.

The rule: the updates written between the previous erfa-day and this one, grouped by the
department of the project's lead (ProjectUpdate.lead_department). Within a department its
urgent updates (problems, and updates flagged for the erfa-day) come first, then the
newest. The departments take turns, each bringing its first update, then each its second,
and so on, until the round holds `size` updates: at turn t, urgent before other, newer
before older. The round lists them oldest first.

Two ways to the same answer (tests/meetings/test_turns.py holds them to it):

- Any database (the ORM): number every update of the period within its department and
  keep the first `size` by turn. It reads every update of the period, some 3,000 in a busy
  month of a large network.
- PostgreSQL: read each department's first few updates from the two partial indexes on
  (department, time) (projects/migrations/0008), newest first, urgent and other, with
  a LATERAL join. First each department's first `per_department` turns, twice its share
  of the round (`size` ÷ departments); when that leaves the round short (few departments
  with news), the departments that had more bring up to `size` each, in the same
  statement. It reads some two or three times `size` updates, however busy the month.
"""

from django.db import connection
from django.db.models import Case, DateTimeField, F, Value, When, Window
from django.db.models.functions import RowNumber

from agentnet.prepared import Param, Prepared
from agents.models import name_columns
from projects.models import URGENT, ProjectUpdate

# What the round shows of each update, in this order.
COLUMNS = (
    "kind", "text", "for_erfa", "created_at", "project_id", "project__title",
    "lead_department_id", *name_columns("project__lead__user"), *name_columns("author"),
)


def round_updates(since, until, size, departments):
    """The rows (COLUMNS) of the updates the round brings, oldest first: at most `size`,
    written at `since` or later and before `until`, taken in turns by the `departments`
    (how many there are)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                POSTGRESQL,
                {
                    "since": since,
                    "until": until,
                    "size": size,
                    "per_department": min(size, 2 * -(-size // max(departments, 1))),
                },
            )
            return cursor.fetchall()
    return ROUND_UPDATES.rows(size, since=since, until=until)


def _round_query(size):
    """The ORM's way, on any database: every update of the period numbered within its
    department. The Params `since` and `until` bound the period."""
    urgent = Case(When(URGENT, then=Value(1)), default=Value(0))
    turn = Window(
        RowNumber(),
        partition_by=[F("lead_department")],
        order_by=[urgent.desc(), F("created_at").desc(), F("pk").desc()],
    )
    # The turns are taken on the narrow rows alone; only the chosen ones are fetched whole.
    chosen = (
        ProjectUpdate.objects.filter(
            created_at__gte=Param("since", DateTimeField()),
            created_at__lt=Param("until", DateTimeField()),
        )
        .annotate(turn=turn, urgent=urgent)
        .order_by("turn", "-urgent", "-created_at", "-pk")
        .values("pk")[:size]
    )
    return (
        ProjectUpdate.objects.filter(pk__in=chosen)
        .order_by("created_at", "pk")
        .values_list(*COLUMNS)
    )


# Built and compiled once per connection and size: that took longer than the database takes
# to answer it (agentnet/prepared.py).
ROUND_UPDATES = Prepared(ProjectUpdate, _round_query)


def _first_of_department(department, limit):
    """SQL: the first `limit` updates of the period of one department, in the order the
    department takes its turns, each with its turn. The urgent ones and the others are each
    read newest first from a partial index of their own (the conditions are the indexes'),
    at most `limit` of each."""
    branch = """(SELECT u.id, {urgent} AS urgent, u.created_at
          FROM projects_projectupdate u
          WHERE u.lead_department_id = {department} AND {condition}
            AND u.created_at >= %(since)s AND u.created_at < %(until)s
          ORDER BY u.created_at DESC, u.id DESC LIMIT {limit})"""
    condition = "(u.kind = 'problem' OR u.for_erfa)"
    urgent = branch.format(urgent=1, department=department, condition=condition, limit=limit)
    other = branch.format(
        urgent=0, department=department, condition=f"NOT {condition}", limit=limit
    )
    return f"""SELECT s.id, s.urgent, s.created_at,
          row_number() OVER (ORDER BY s.urgent DESC, s.created_at DESC, s.id DESC) AS turn
        FROM ({urgent} UNION ALL {other}) s
        ORDER BY s.urgent DESC, s.created_at DESC, s.id DESC LIMIT {limit}"""  # noqa: S608 - SQL of constants, the values are parameters


POSTGRESQL = f"""
WITH early AS (
    -- Each department's first turns, and one more: whether it has more than that.
    SELECT d.id AS department, f.*
    FROM agents_department d
    CROSS JOIN LATERAL ({_first_of_department("d.id", "%(per_department)s + 1")}) f
), later AS (
    -- When the first turns fall short of the round's size: up to `size` of each
    -- department that had more. PostgreSQL reads none of this otherwise.
    SELECT m.*
    FROM early d
    CROSS JOIN LATERAL ({_first_of_department("d.department", "%(size)s")}) m
    WHERE d.turn = %(per_department)s + 1
      AND (SELECT count(*) FROM early WHERE turn <= %(per_department)s) < %(size)s
), chosen AS (
    SELECT c.id
    FROM (
        SELECT id, urgent, created_at, turn FROM early WHERE turn <= %(per_department)s
        UNION ALL
        SELECT id, urgent, created_at, turn FROM later WHERE turn > %(per_department)s
    ) c
    ORDER BY c.turn, c.urgent DESC, c.created_at DESC, c.id DESC
    LIMIT %(size)s
)
SELECT u.kind, u.text, u.for_erfa, u.created_at, u.project_id, p.title, u.lead_department_id,
       lead.first_name, lead.last_name, lead.username,
       author.first_name, author.last_name, author.username
FROM chosen
JOIN projects_projectupdate u ON u.id = chosen.id
JOIN projects_project p ON p.id = u.project_id
JOIN agents_agent a ON a.id = p.lead_id
JOIN agents_user lead ON lead.id = a.user_id
LEFT JOIN agents_user author ON author.id = u.author_id
ORDER BY u.created_at, u.id
"""  # noqa: S608 - SQL of constants, the values are parameters
