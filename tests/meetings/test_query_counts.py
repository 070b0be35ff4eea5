"""The erfa-day pages this work changed run a fixed number of queries, whatever the data."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Attendance
from tests import factories

pytestmark = pytest.mark.django_db


def _grow(meeting, size):
    for _ in range(size):
        agent = factories.AgentFactory()
        Attendance.objects.create(meeting=meeting, user=agent.user, response="coming")


@pytest.mark.parametrize(
    ("name", "queries"),
    [("attendance", 4), ("publish", 4), ("cancel", 3), ("ics", 2), ("detail", 14)],
)
def test_changed_erfa_day_pages_have_a_fixed_query_count(
    facilitator_client, name, queries, django_assert_num_queries
):
    status = "draft" if name == "publish" else "published"
    meeting = factories.MeetingFactory(date=timezone.localdate() + timedelta(days=3),
                                       status=status)
    factories.AgendaItemFactory(meeting=meeting, kind="round", title="Runden")
    for size in (2, 12):
        _grow(meeting, size)
        for _ in range(size):
            factories.DepartmentFactory()
        with django_assert_num_queries(queries):
            response = facilitator_client.get(reverse(f"meetings:{name}", args=[meeting.pk]))
        assert response.status_code == 200


def test_calendar_page_has_a_fixed_query_count(agent_client, django_assert_num_queries):
    agent_client.get(reverse("meetings:feed_settings"))

    with django_assert_num_queries(3):
        response = agent_client.get(reverse("meetings:feed_settings"))

    assert "webcal://" in response.content.decode()
