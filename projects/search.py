""""Who has done this before?": one search over projects, updates, ideas, systems and agents.

On PostgreSQL it is full-text search with the Danish configuration (stemming, ranking), using
the GIN indexes of migration 0004; elsewhere a plain case-insensitive contains-search.

The index finds the matching rows, but ranking reads each one's text and builds its vector
again: a common word ("robot" in thousands of updates) would cost a vector per match. So each
kind that grows with use (projects, updates) ranks only its CANDIDATES newest matches and
shows the best LIMIT of them; the others (ideas, systems, agents) are as many as the network
is large, and rank all their matches. For the updates, which grow every week, the newest
matches are looked for among the RECENT newest rows first: for a common word they are all
there, and the rows before are never read (see _newest).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import BigIntegerField, ExpressionWrapper, F, Q, Subquery
from django.utils.translation import gettext_lazy as _

from agents.models import Agent, System
from projects.models import Idea, Project, ProjectUpdate

LIMIT = 10
CANDIDATES = 50
RECENT = 2000
CONFIG = "danish"

# kind: (label, queryset factory, the text fields searched)
KINDS = {
    "projects": (
        _("Projects"),
        lambda: Project.objects.select_related("lead__user"),
        ["title", "summary", "benefit"],
    ),
    "updates": (
        _("Project updates"),
        lambda: ProjectUpdate.objects.select_related("project", "author"),
        ["text"],
    ),
    "ideas": (_("Ideas"), lambda: Idea.objects.select_related("department", "project"), ["text"]),
    "systems": (_("Systems"), lambda: System.objects.all(), ["name", "description"]),
    "agents": (
        _("Agents"),
        lambda: Agent.objects.active().select_related("user", "department"),
        ["title", "bio"],
    ),
}


def vector(fields):
    """The same expression as the GIN index, so PostgreSQL can use it."""
    return SearchVector(*fields, config=CONFIG)


def _words_in(fields, text):
    """Every word of the text appears in one of the fields."""
    condition = Q()
    for word in text.split():
        word_condition = Q()
        for field in fields:
            word_condition |= Q(**{f"{field}__icontains": word})
        condition &= word_condition
    return condition


def _postgres(queryset, fields, text, name_fields):
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    matches = queryset.alias(match=vector(fields)).filter(match=query)
    if name_fields:
        # A name match is a subquery of its own: an OR beside the vector in one WHERE would
        # build the vector of every row instead of asking the GIN index.
        name_matches = queryset.filter(_words_in(name_fields, text))
        matches = queryset.filter(
            Q(pk__in=matches.values("pk")) | Q(pk__in=name_matches.values("pk"))
        )
    if queryset.model is ProjectUpdate:
        matches = queryset.filter(pk__in=_newest(matches))
    elif queryset.model is Project:
        candidates = matches.annotate(key=_key()).values("pk").order_by("-key")[:CANDIDATES]
        matches = queryset.filter(pk__in=candidates)
    return matches.annotate(rank=SearchRank(vector(fields), query)).order_by("-rank", "-pk")


def _key():
    """A row's pk as pk + 0: newest first by it, which no index provides. Walking the primary
    key backwards instead, the planner would build the vector of every row it passes until
    enough match (hundreds of them for a word in one row of ten); this way the GIN index
    finds the matches first."""
    return ExpressionWrapper(F("pk") + 0, output_field=BigIntegerField())


def _newest(matches):
    """The pks of the CANDIDATES newest matches, in one query that reads no more than it must.

    Sorting by _key(), every match is read from the table, thousands for a common word. So
    the matches among the RECENT newest rows come first (the GIN index and the primary key
    together pick them out, a few hundred at most) and then those before: PostgreSQL reads
    the parts of a UNION ALL in turn and stops at the LIMIT, so the older part is read only
    when the recent rows hold fewer than CANDIDATES matches (a rare word)."""
    latest = Subquery(matches.model.objects.order_by("-pk").values("pk")[:1])
    start = ExpressionWrapper(latest - RECENT, output_field=BigIntegerField())
    # Each part selects what it is ordered by (a UNION's parts must).
    matches = matches.annotate(key=_key()).values("key").order_by("-key")
    recent = matches.filter(pk__gt=start)[:CANDIDATES]
    older = matches.filter(pk__lte=start)[:CANDIDATES]
    return recent.union(older, all=True).order_by()[:CANDIDATES]


def search(text):
    """Up to LIMIT hits per kind, best first: {kind: (label, [objects])}."""
    postgres = connection.vendor == "postgresql"
    results = {}
    for kind, (label, make, fields) in KINDS.items():
        # People's names are matched as written, not stemmed.
        name_fields = ["user__first_name", "user__last_name"] if kind == "agents" else []
        if postgres:
            hits = _postgres(make(), fields, text, name_fields)
        else:
            hits = make().filter(_words_in([*fields, *name_fields], text)).order_by("-pk")
        results[kind] = (label, list(hits[:LIMIT]))
    return results
