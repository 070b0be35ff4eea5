from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.templatetags.agent_projects import AGENT_PROJECTS_SHOWN
from tests import factories

pytestmark = pytest.mark.django_db


def test_agent_page_lists_the_projects_they_lead_or_work_on(agent_client, agent, other_agent):
    factories.ProjectFactory(title="Sms til borgere", lead=agent)
    factories.ProjectFactory(title="Robot i ydelser", lead=other_agent, co_agents=[agent])
    factories.ProjectFactory(title="Video i børnesager", lead=other_agent)

    html = agent_client.get(reverse("agents:agent", args=[agent.pk])).content.decode()

    assert "Sms til borgere</a> (i gang, ansvarlig agent)" in html
    assert "Robot i ydelser</a> (i gang)" in html
    assert "Video i børnesager" not in html


def test_agent_page_shows_their_most_recent_projects_only(agent_client, agent):
    now = timezone.now()
    for days_ago in range(AGENT_PROJECTS_SHOWN + 1):
        factories.ProjectFactory(
            title=f"Projekt {days_ago} dage", lead=agent,
            last_activity_at=now - timedelta(days=days_ago),
        )

    html = agent_client.get(reverse("agents:agent", args=[agent.pk])).content.decode()

    assert f"Projekt {AGENT_PROJECTS_SHOWN - 1} dage<" in html
    assert f"Projekt {AGENT_PROJECTS_SHOWN} dage<" not in html


def test_agent_without_projects_is_told_so(agent_client, agent):
    html = agent_client.get(reverse("agents:agent", args=[agent.pk])).content.decode()

    assert "Ingen projekter endnu." in html
