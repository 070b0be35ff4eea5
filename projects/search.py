""""Who has done this before?": one search over projects, updates, ideas, systems and agents.

On PostgreSQL it is full-text search with the Danish configuration, so "robotterne" finds
"robot", and the best matches come first. Each searchable table keeps its text vector in a
column PostgreSQL fills in itself, search_vector, with a GIN index on it (migration 0007).
Elsewhere (SQLite, for trying the portal) it is a case-insensitive contains-search, newest
first.

Projects and updates grow with use: a common word matches thousands of updates, and ranking
reads every match. So for those two kinds only the CANDIDATES newest matches are ranked, and
the best LIMIT of them shown. Ideas, systems and agents are as many as the network is large:
all their matches are ranked.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agents.models import Agent, System
from projects.models import Idea, Project, ProjectUpdate

LIMIT = 10  # hits shown per kind
CANDIDATES = 50  # newest matches ranked, for the kinds that grow with use
# A word found in one update of twenty has its CANDIDATES newest matches among the RECENT
# newest updates: older updates are read only for rarer words, which match few.
RECENT = 1000
CONFIG = "danish"


@dataclass(frozen=True)
class Kind:
    label: Promise
    rows: Callable[[], QuerySet]  # the rows that may be found, with what a hit shows of them
    fields: tuple  # the text searched (on PostgreSQL, what its search_vector is made of)
    name_fields: tuple = ()  # matched as written, not stemmed: people's names
    grows: bool = False  # rank only the CANDIDATES newest matches

    def hits(self, text):
        """Up to LIMIT rows matching `text`, best first (newest first off PostgreSQL)."""
        rows = self.rows()
        if connection.vendor != "postgresql":
            words = every_word(text, (*self.fields, *self.name_fields))
            return list(rows.filter(words).order_by("-pk")[:LIMIT])
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        vector = stored_vector(rows.model)
        if self.grows:
            rows = rows.filter(pk__in=newest_matches(rows.model, query))
        else:
            found = Q(vector=query)
            if self.name_fields:
                found |= every_word(text, self.name_fields)
            rows = rows.alias(vector=vector).filter(found)
        rows = rows.annotate(rank=SearchRank(vector, query)).order_by("-rank", "-pk")
        return list(rows[:LIMIT])


KINDS = {
    "projects": Kind(
        _("Projects"), Project.objects.for_search, ("title", "summary", "benefit"), grows=True
    ),
    "updates": Kind(_("Project updates"), ProjectUpdate.objects.for_search, ("text",), grows=True),
    "ideas": Kind(_("Ideas"), Idea.objects.for_search, ("text",)),
    "systems": Kind(_("Systems"), System.objects.all, ("name", "description")),
    "agents": Kind(
        _("Agents"), lambda: Agent.objects.active().for_list(), ("title", "bio"),
        name_fields=("user__first_name", "user__last_name"),
    ),
}


@dataclass(frozen=True)
class Group:
    """The hits of one kind, as the page shows them."""

    kind: str
    label: Promise
    hits: list


def search(text):
    """The hits of each kind (Group), in the order of KINDS. One query per kind, and on
    PostgreSQL one more for each kind that grows."""
    return [Group(name, kind.label, kind.hits(text)) for name, kind in KINDS.items()]


def stored_vector(model):
    """The text vector PostgreSQL keeps in each row of `model`'s table (migration 0007).

    The ORM does not know the column (it exists only on PostgreSQL), so it is named here,
    qualified by the table: a joined table may have a search_vector of its own. Only in a
    query's own table, never in a subquery (Django gives the table there another alias)."""
    column = f"{connection.ops.quote_name(model._meta.db_table)}.search_vector"
    return RawSQL(column, (), output_field=SearchVectorField())  # noqa: S611 - no input in it


def every_word(text, fields):
    """Each word of `text`, as written, in one of `fields`."""
    condition = Q()
    for word in text.split():
        condition &= Q.create([(f"{field}__icontains", word) for field in fields], Q.OR)
    return condition


def newest_matches(model, query):
    """The pks of the CANDIDATES newest rows whose vector matches `query`. A query of its
    own, as the column is named by its table (stored_vector()).

    The matches among the RECENT newest rows are asked for first, and PostgreSQL stops at
    the limit, so older rows are read only when the recent ones hold too few matches (a rare
    word). Each part is sorted by pk + 0, which no index provides: PostgreSQL then takes the
    matches from the GIN index rather than testing the vector of every row it passes on the
    way back through the primary key."""
    matches = (
        model.objects.alias(vector=stored_vector(model))
        .filter(vector=query)
        .annotate(newest=F("pk") + 0)
        .order_by("-newest")
        .values_list("newest", flat=True)
    )
    since = Subquery(model.objects.order_by("-pk").values("pk")[:1]) - RECENT
    recent = matches.filter(pk__gt=since)[:CANDIDATES]
    older = matches.filter(pk__lte=since)[:CANDIDATES]
    return list(recent.union(older, all=True).order_by()[:CANDIDATES])
