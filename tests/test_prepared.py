"""agentnet.prepared: a query compiled once answers as the ORM's own would, for any values,
on SQLite and on PostgreSQL."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import CharField, Count, DateTimeField, IntegerField, Q

from agentnet.prepared import Param, Prepared, each
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
        lambda: Project.objects.filter(pk__gte=Param("first", IntegerField()))
        .order_by("title")
        .values_list("title", flat=True),
    )

    assert titles.rows(first=wanted.pk) == ["A"]
    assert titles.rows(first=0) == ["A", "B"]


def test_only_values_list_queries():
    for queryset in (ProjectUpdate.objects.all(), ProjectUpdate.objects.values("pk")):
        with pytest.raises(TypeError):
            Prepared(ProjectUpdate, lambda q=queryset: q).rows()


def test_counted_columns_with_a_param_in_the_count(updates):
    """values_list() with annotations: the columns in the order they are named."""
    author = updates[0].author
    theirs = Q(author_id=Param("author", IntegerField()))
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
            project__id__in=each("projects", count, IntegerField())
        )
        .order_by("pk")
        .values_list("pk", flat=True),
    )

    assert in_projects.rows(2, projects=projects) == [u.pk for u in [*updates, other]]
    assert in_projects.rows(1, projects=projects[1:]) == [other.pk]
    assert in_projects.rows(2, projects=[other.project_id, 10**6]) == [other.pk]
