""""Who has done this before?": one search over projects, updates, ideas, systems and agents.

On PostgreSQL it is full-text search with the Danish configuration (stemming, ranking) on
each table's stored text vector and its GIN index (the column search_vector, which
PostgreSQL keeps: migration 0007); elsewhere a plain case-insensitive contains-search.

A hit is its line of the page, made from a few columns rather than from model objects: so one
statement per kind does all of it. On PostgreSQL each statement is written out below rather
than built by the ORM, which took longer to assemble the five full-text queries than
PostgreSQL took to answer them (docs/performance.md).

The index finds the matching rows, but ranking reads each one's vector from the table: a
common word ("robot" in thousands of updates) would cost a row read per match. So each kind
that grows with use (projects, updates) ranks only its CANDIDATES newest matches and
shows the best LIMIT of them; the others (ideas, systems, agents) are as many as the network
is large, and rank all their matches. For the updates, which grow every week, the newest
matches are looked for among the RECENT newest rows first: for a common word they are all
there, and the rows before are never read (see NEWEST).
"""

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from agentnet import dates
from agentnet.links import url_of
from agentnet.markup import link
from agents.models import Agent, System, User, name_columns
from projects.models import Idea, Project, ProjectUpdate

LIMIT = 10
CANDIDATES = 50
SHOWN = 160  # characters of an update's or an idea's text
# A word in one update of twenty has its CANDIDATES newest matches among the RECENT newest
# updates; the rows before are read only for a rarer word, whose matches are few.
RECENT = 1000
CONFIG = "danish"

QUERY = f"websearch_to_tsquery('{CONFIG}'::regconfig, %(text)s)"


@dataclass(frozen=True)
class Kind:
    label: str
    rows: Callable[[], QuerySet]  # the rows that may be found
    fields: tuple  # the text searched (on PostgreSQL, that of its search_vector)
    columns: tuple  # what a hit is made of, in the order hit() takes them
    hit: Callable  # the line of the page a hit is, from its columns (pk first)
    # PostgreSQL (see BEST): the same columns as `columns`; the rows of alias r that may be
    # found (by default every match), where {table} is the kind's table, {match} the text
    # search on its alias m, {names} matches the names of alias n and {newest} is NEWEST;
    # and the joins that the columns need.
    shown: str
    found: str = "r.id IN (SELECT m.id FROM {table} m WHERE {match})"
    joins: str = ""
    name_fields: tuple = ()  # matched as written, not stemmed (people's names)

    def statement(self, text):
        """PostgreSQL: BEST filled in with this kind's parts, and its parameters."""
        match = f"m.search_vector @@ {QUERY}"
        table = self.rows().model._meta.db_table
        params = {"text": text, "limit": LIMIT, "candidates": CANDIDATES, "recent": RECENT}
        names = []
        if self.name_fields:
            for number, word in enumerate(text.split()):
                params[f"word{number}"] = f"%{connection.ops.prep_for_like_query(word)}%"
                names.append(
                    "(" + " OR ".join(
                        f"UPPER(n.{field.rsplit('__', 1)[-1]}) LIKE UPPER(%(word{number})s)"
                        for field in self.name_fields
                    ) + ")"
                )
        found = self.found.format(
            table=table, match=match, names=" AND ".join(names) or "FALSE",
            newest=NEWEST.format(table=table, match=match),
        )
        sql = BEST.format(
            shown=self.shown, table=table, found=found, joins=self.joins, query=QUERY,
        )
        return sql, params

    def search_postgresql(self, text):
        with connection.cursor() as cursor:
            cursor.execute(*self.statement(text))
            return cursor.fetchall()

    def search_elsewhere(self, text):
        """Every word in one of the fields or names, newest first."""
        condition = Q()
        for word in text.split():
            word_condition = Q()
            for field in (*self.fields, *self.name_fields):
                word_condition |= Q(**{f"{field}__icontains": word})
            condition &= word_condition
        rows = self.rows().filter(condition).order_by("-pk").values_list(*self.columns)
        return list(rows[:LIMIT])


def shortened(text):
    """The start of a long text, as truncatechars:SHOWN would show it."""
    return text if len(text) <= SHOWN else f"{text[:SHOWN - 1]}…"


# Each hit is a line of the page, written here: a template loop over forty hits, with their
# links, names and dates, took nearly as long as the five statements that find them. The
# values are escaped as in agentnet/markup.py.

def line(url, text, after=""):
    """A hit's line: a link to its page and what follows it (`after`, escaped already)."""
    return mark_safe(f"{link(url, text)}{after}")  # noqa: S308 - escaped


def project_hit(pk, title, status, *lead):
    status = str(Project.Status(status).label).lower()
    return line(
        url_of("projects:detail", pk), title,
        f" – {escape(User.name_of(*lead))}, {escape(status)}",
    )


def update_hit(pk, project_id, project, text, created_at, *author):
    day = dates.date(timezone.localtime(created_at), "SHORT_DATE_FORMAT")
    author = User.name_of(*author) or "–"
    return line(
        url_of("projects:detail", project_id), project,
        f": {escape(shortened(text))} ({escape(author)}, {escape(day)})",
    )


def idea_hit(pk, text, department):
    after = f" ({escape(department)})" if department else ""
    return line(url_of("projects:idea", pk), shortened(text), after)


def system_hit(pk, name, vendor):
    return line(url_of("agents:system", pk), name, f" ({escape(vendor)})" if vendor else "")


def agent_hit(pk, title, department, *name):
    return line(
        url_of("agents:agent", pk), User.name_of(*name),
        f" – {escape(title)}, {escape(department)}",
    )


# The best LIMIT of the rows found, best first: ranked on the table's own rows, and only those
# shown are joined to what they show (a lead's name, a department).
BEST = """
    SELECT {shown} FROM (
        SELECT r.*, ts_rank(r.search_vector, {query}) AS rank FROM {table} r
        WHERE {found}
        ORDER BY rank DESC, r.id DESC LIMIT %(limit)s
    ) r {joins}
    ORDER BY r.rank DESC, r.id DESC
"""

# A common word's CANDIDATES newest matches, in a statement that reads no more than it must.
# Sorting all matches by id, every one would be read from the table, thousands for a common
# word. So the matches among the RECENT newest rows come first (the GIN index and the primary
# key together pick them out, a few hundred at most) and then those before: PostgreSQL reads
# the parts of a UNION ALL in turn and stops at the LIMIT, so the older part is read only when
# the recent rows hold fewer than CANDIDATES matches (a rare word). Each part is ordered by
# id + 0, which no index provides: walking the primary key backwards instead, the planner
# would test the vector of every row it passes until enough match; this way the GIN index
# finds the matches first.
NEWEST = """
    (SELECT m.id + 0 FROM {table} m
     WHERE {match} AND m.id > (SELECT max(id) FROM {table}) - %(recent)s
     ORDER BY 1 DESC LIMIT %(candidates)s)
    UNION ALL
    (SELECT m.id + 0 FROM {table} m
     WHERE {match} AND m.id <= (SELECT max(id) FROM {table}) - %(recent)s
     ORDER BY 1 DESC LIMIT %(candidates)s)
    LIMIT %(candidates)s
"""

KINDS = {
    "projects": Kind(
        label=_("Projects"),
        rows=Project.objects.all,
        fields=("title", "summary", "benefit"),
        columns=("pk", "title", "status", *name_columns("lead__user")),
        hit=project_hit,
        found="""r.id IN (SELECT m.id FROM {table} m WHERE {match}
                          ORDER BY m.id + 0 DESC LIMIT %(candidates)s)""",
        shown="r.id, r.title, r.status, u.first_name, u.last_name, u.username",
        joins="JOIN agents_agent a ON a.id = r.lead_id JOIN agents_user u ON u.id = a.user_id",
    ),
    "updates": Kind(
        label=_("Project updates"),
        rows=ProjectUpdate.objects.all,
        fields=("text",),
        columns=("pk", "project_id", "project__title", "text", "created_at",
                 *name_columns("author")),
        hit=update_hit,
        found="r.id IN ({newest})",
        shown="r.id, r.project_id, p.title, r.text, r.created_at, "
              "u.first_name, u.last_name, u.username",
        joins="JOIN projects_project p ON p.id = r.project_id "
              "LEFT JOIN agents_user u ON u.id = r.author_id",
    ),
    "ideas": Kind(
        label=_("Ideas"),
        rows=Idea.objects.all,
        fields=("text",),
        columns=("pk", "text", "department__name"),
        hit=idea_hit,
        shown="r.id, r.text, d.name",
        joins="LEFT JOIN agents_department d ON d.id = r.department_id",
    ),
    "systems": Kind(
        label=_("Systems"),
        rows=System.objects.all,
        fields=("name", "description"),
        columns=("pk", "name", "vendor"),
        hit=system_hit,
        shown="r.id, r.name, r.vendor",
    ),
    # A name match is a subquery of its own: an OR beside the vector in one WHERE would test
    # the vector of every agent instead of asking the GIN index.
    "agents": Kind(
        label=_("Agents"),
        rows=Agent.objects.active,
        fields=("title", "bio"),
        name_fields=("user__first_name", "user__last_name"),
        columns=("pk", "title", "department__name", *name_columns("user")),
        hit=agent_hit,
        found="""r.is_active AND (
            r.id IN (SELECT m.id FROM {table} m WHERE {match})
            OR r.id IN (SELECT m.id FROM {table} m JOIN agents_user n ON n.id = m.user_id
                        WHERE {names}))""",
        shown="r.id, r.title, d.name, u.first_name, u.last_name, u.username",
        joins="JOIN agents_department d ON d.id = r.department_id "
              "JOIN agents_user u ON u.id = r.user_id",
    ),
}


def search(text):
    """Up to LIMIT hits per kind, best first: {kind: (label, [(pk, line of HTML)])}. One
    query per kind."""
    postgres = connection.vendor == "postgresql"
    results = {}
    for name, kind in KINDS.items():
        rows = kind.search_postgresql(text) if postgres else kind.search_elsewhere(text)
        results[name] = (kind.label, [(row[0], kind.hit(*row)) for row in rows])
    return results
