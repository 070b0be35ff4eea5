"""agentnet.prepared: a query compiled once answers as the ORM's own would, for any values,
on SQLite and on PostgreSQL."""

import gc
import threading
import weakref
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connections
from django.db.models import CharField, Count, DateTimeField, Q
from django.db.models.functions import Length
from django.http import Http404

from agentnet.prepared import Param, Prepared, as_prefetched, by_id, by_pk, each, id_param
from projects.models import Project, ProjectUpdate
from tests import factories

pytestmark = pytest.mark.django_db

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
START = datetime(2026, 11, 2, 9, 30, tzinfo=COPENHAGEN)


@pytest.fixture
def updates():
    project = factories.ProjectFactory(title="Sms-påmindelser")
    return [
        factories.ProjectUpdateFactory(
            project=project, kind=kind, created_at=START + timedelta(days=day),
            text=f"Dag {day}",
        )
        for day, kind in enumerate(["progress", "problem", "progress", "problem", "milestone"])
    ]


def _by_orm(since, until, kind, size):
    return list(
        ProjectUpdate.objects.filter(created_at__gte=since, created_at__lt=until, kind=kind)
        .order_by("created_at", "pk")
        .values_list("pk", "created_at", "project__title")[:size]
    )


def _updates(size):
    return (
        ProjectUpdate.objects.filter(
            created_at__gte=Param("since", DateTimeField()),
            created_at__lt=Param("until", DateTimeField()),
            kind=Param("kind", CharField()),
        )
        .order_by("created_at", "pk")
        .values_list("pk", "created_at", "project__title")[:size]
    )


def test_the_same_rows_as_the_orm_for_any_values(updates, django_assert_num_queries):
    built = []
    prepared = Prepared(ProjectUpdate, lambda size: built.append(size) or _updates(size))
    asked = [
        (START, START + timedelta(days=5), "progress", 10),
        (START + timedelta(hours=1), START + timedelta(days=4), "problem", 10),
        # The same instant in another zone; a kind with no updates.
        (START.astimezone(ZoneInfo("UTC")), START + timedelta(days=1), "progress", 10),
        (START, START + timedelta(days=5), "decision", 10),
        (START, START + timedelta(days=5), "progress", 1),
    ]

    for since, until, kind, size in asked:
        with django_assert_num_queries(1):
            rows = prepared.rows(size, since=since, until=until, kind=kind)
        assert rows == _by_orm(since, until, kind, size)

    # Aware datetimes, converted as the ORM converts them; compiled once per size.
    first = prepared.rows(10, since=START, until=START + timedelta(days=5), kind="progress")
    assert [(when, title) for _pk, when, title in first] == [
        (START, "Sms-påmindelser"), (START + timedelta(days=2), "Sms-påmindelser"),
    ]
    assert first[0][1].tzinfo is not None
    assert built == [10, 1]


def test_a_flat_query_gives_values():
    factories.ProjectFactory(title="B")
    wanted = factories.ProjectFactory(title="A")
    titles = Prepared(
        Project,
        lambda: Project.objects.filter(pk__gte=id_param("first"))
        .order_by("title")
        .values_list("title", flat=True),
    )

    assert titles.rows(first=wanted.pk) == ["A"]
    assert titles.rows(first=0) == ["A", "B"]


def test_model_objects_with_their_related_objects(updates, django_assert_num_queries):
    """objects(): made as the ORM makes them, with what select_related() names, the
    annotations and only() the fields asked for."""
    def build():
        return (
            ProjectUpdate.objects.filter(kind=Param("kind", CharField()))
            .select_related("project__lead__user", "author")
            .annotate(words=Length("text"))
            .order_by("pk")
        )

    prepared = Prepared(ProjectUpdate, build)
    expected = list(
        ProjectUpdate.objects.filter(kind="problem")
        .select_related("project__lead__user", "author")
        .annotate(words=Length("text"))
        .order_by("pk")
    )

    with django_assert_num_queries(1):
        found = prepared.objects(kind="problem")
        leads = [u.project.lead.user.username for u in found]
        authors = [u.author.username for u in found]
    assert found == expected == [updates[1], updates[3]]
    assert [_fields(u) for u in found] == [_fields(u) for u in expected]
    assert leads == authors == [updates[1].author.username] * 2
    assert [u.words for u in found] == [5, 5] and found[0]._state.db == "default"
    assert found[0].created_at == START + timedelta(days=1)

    only_titles = Prepared(
        Project, lambda: Project.objects.filter(pk=id_param("pk")).only("title")
    )
    (project,) = only_titles.objects(pk=updates[0].project_id)
    assert project.title == "Sms-påmindelser" and project.get_deferred_fields()


def _fields(obj):
    return {k: v for k, v in vars(obj).items() if k != "_state"}


def test_what_prepared_does_not_read():
    as_values = Prepared(ProjectUpdate, lambda: ProjectUpdate.objects.values("pk"))
    prefetching = Prepared(
        ProjectUpdate, lambda: ProjectUpdate.objects.prefetch_related("project")
    )
    objects = Prepared(ProjectUpdate, lambda: ProjectUpdate.objects.all())
    columns = Prepared(ProjectUpdate, lambda: ProjectUpdate.objects.values_list("pk"))
    for asking in (as_values.rows, prefetching.objects, objects.rows, columns.objects):
        with pytest.raises(TypeError):
            asking()


def test_counted_columns_with_a_param_in_the_count(updates):
    """values_list() with annotations: the columns in the order they are named."""
    author = updates[0].author
    theirs = Q(author_id=id_param("author"))
    counts = Prepared(
        ProjectUpdate,
        lambda: ProjectUpdate.objects.values_list("kind")
        .annotate(n=Count("pk"), mine=Count("pk", filter=theirs))
        .order_by("kind"),
    )

    expected = list(
        ProjectUpdate.objects.values_list("kind")
        .annotate(n=Count("pk"), mine=Count("pk", filter=Q(author=author)))
        .order_by("kind")
    )
    assert counts.rows(author=author.pk) == expected == [
        ("milestone", 1, 1), ("problem", 2, 2), ("progress", 2, 2),
    ]
    assert counts.rows(author=author.pk + 1000) == [
        ("milestone", 1, 0), ("problem", 2, 0), ("progress", 2, 0),
    ]


def test_a_list_of_values_for_an_in_lookup(updates):
    """each(): as many Params as the list has items, the count part of the shape."""
    other = factories.ProjectUpdateFactory(created_at=START)
    projects = [updates[0].project_id, other.project_id]
    in_projects = Prepared(
        ProjectUpdate,
        lambda count: ProjectUpdate.objects.filter(
            project__id__in=each("projects", count)
        )
        .order_by("pk")
        .values_list("pk", flat=True),
    )

    assert in_projects.rows(2, projects=projects) == [u.pk for u in [*updates, other]]
    assert in_projects.rows(1, projects=projects[1:]) == [other.pk]
    assert in_projects.rows(2, projects=[other.project_id, 10**6]) == [other.pk]


def test_related_objects_left_as_a_prefetch_would_leave_them(
    updates, django_assert_num_queries
):
    """as_prefetched(): obj.<relation>.all() gives the objects read, without a query, for
    a many-to-many relation and a reverse foreign key alike."""
    co_agents = factories.AgentFactory.create_batch(2)
    project = Project.objects.get(pk=updates[0].project_id)
    project.co_agents.set(co_agents)

    as_prefetched(project, "co_agents", co_agents)
    as_prefetched(project, "updates", updates[:2])

    with django_assert_num_queries(0):
        assert list(project.co_agents.all()) == co_agents
        assert list(project.updates.all()) == updates[:2]
    # Elsewhere the relations are read as always.
    again = Project.objects.get(pk=project.pk)
    with django_assert_num_queries(1):
        assert sorted(again.co_agents.all(), key=lambda a: a.pk) == co_agents


def test_a_threads_statements_go_with_its_connection():
    """Compiled statements are kept on the connection: once a thread that ran one has ended
    and its connection is closed, nothing of it is held."""
    names = Prepared(Project, lambda: Project.objects.values_list("title", flat=True))
    seen = []

    def run():
        connection = connections["default"]
        seen.append((weakref.ref(connection), names.rows()))
        connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    gc.collect()

    (gone, rows), = seen
    assert rows == [] and gone() is None


@pytest.mark.parametrize("pk", [2**31, 2**63, 10**30, -(10**30)])
def test_an_id_beyond_what_a_column_holds_finds_nothing(updates, pk, django_assert_num_queries):
    """As the ORM's lookups answer it: no row, and no query for what no column can hold."""
    by_pk = Prepared(ProjectUpdate, lambda: ProjectUpdate.objects.filter(pk=id_param("pk")))
    in_list = Prepared(
        ProjectUpdate,
        lambda count: ProjectUpdate.objects.filter(pk__in=each("ids", count)).order_by("pk"),
    )

    with django_assert_num_queries(1 if pk == 2**31 else 0):
        assert by_pk.one(pk=pk) is None
    assert in_list.objects(1, ids=[pk]) == []
    assert by_pk.one(pk=updates[0].pk) == updates[0]


def test_columns_selected_only_to_order_a_distinct_query_are_dropped(updates):
    """As the ORM drops them: values_list() of a distinct query ordered by another column."""
    kinds = Prepared(
        ProjectUpdate,
        lambda: ProjectUpdate.objects.filter(project_id=id_param("project"))
        .order_by("-created_at")
        .values_list("kind")
        .distinct(),
    )
    expected = list(
        ProjectUpdate.objects.filter(project_id=updates[0].project_id)
        .order_by("-created_at")
        .values_list("kind")
        .distinct()
    )

    assert kinds.rows(project=updates[0].project_id) == expected
    assert expected == [("milestone",), ("problem",), ("progress",), ("problem",), ("progress",)]


def test_a_related_managers_query_is_refused_and_none_finds_nothing(updates):
    project = Project.objects.get(pk=updates[0].project_id)
    through_manager = Prepared(ProjectUpdate, lambda: project.updates.all())
    by_pk = Prepared(ProjectUpdate, lambda: ProjectUpdate.objects.filter(pk=id_param("pk")))

    with pytest.raises(TypeError):
        through_manager.objects()
    assert by_pk.one(pk=None) is None


def test_one_object_by_its_primary_key_or_404(updates, django_assert_num_queries):
    """by_pk() with get_or_404(): get_object_or_404() with select_related(), compiled once."""
    by_pk_read = by_pk(ProjectUpdate, "project__lead__user", "author")
    expected = ProjectUpdate.objects.select_related("project__lead__user", "author").get(
        pk=updates[2].pk
    )

    with django_assert_num_queries(1):
        found = by_pk_read.get_or_404(pk=updates[2].pk)
        lead = found.project.lead.user.username
    assert _fields(found) == _fields(expected) and lead == updates[2].author.username
    with pytest.raises(Http404):
        by_pk_read.get_or_404(pk=10**6)
    assert by_pk(Project).one(pk=updates[0].project_id).title == "Sms-påmindelser"


def test_rows_that_belong_to_one_object(updates):
    """by_id(): the rows of one object, given by its id, with a shape of their own."""
    newest = by_id(
        "project",
        ProjectUpdate,
        lambda project, size: ProjectUpdate.objects.filter(project_id=project)
        .order_by("-created_at")
        .values_list("text", flat=True)[:size],
    )

    assert newest.rows(2, project=updates[0].project_id) == ["Dag 4", "Dag 3"]
    assert newest.rows(1, project=10**6) == []
