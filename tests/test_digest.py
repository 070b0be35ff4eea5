"""The daily digest: each role's items on a fixed date, none twice, the choices honoured, the
unsubscribe link, the start page showing the same, and a fixed number of queries."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agentnet import digest
from agentnet.models import MailChoice
from competencies.models import Assessment, Framework, MusRound
from meetings.models import Attendance
from projects.models import Project
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)  # a Tuesday


@pytest.fixture
def network(agent, manager):
    agent.manager = manager
    agent.save()
    project = factories.ProjectFactory(lead=agent, title="Robot i Jobcenter")
    Project.objects.filter(pk=project.pk).update(
        last_activity_at=timezone.make_aware(datetime(2025, 12, 1, 12))
    )
    meeting = factories.MeetingFactory(status="published", date=TODAY + timedelta(days=3))
    Attendance.objects.create(meeting=meeting, user=agent.user)
    framework = Framework.objects.create(name="Profil", published=True)
    mus_round = MusRound.objects.create(
        year=2026, framework=framework, deadline=TODAY + timedelta(days=14)
    )
    Assessment.objects.create(agent=agent, manager=manager, round=mus_round, framework=framework)
    other = factories.AgentFactory(manager=manager, user__first_name="Peter")
    Assessment.objects.create(
        agent=other, manager=manager, round=mus_round, framework=framework, status="sent"
    )
    return {"project": project, "meeting": meeting}


def send(today, captured):
    with captured(execute=True):
        return digest.send_digests(today)


def body_of(mailoutbox, user):
    [message] = [m for m in mailoutbox if m.to == [user.email]]
    return message.body


def test_each_role_gets_its_items_and_a_rerun_sends_nothing(
    network, agent, manager, mailoutbox, django_capture_on_commit_callbacks
):
    assert send(TODAY, django_capture_on_commit_callbacks) == 2

    mette = body_of(mailoutbox, agent.user)
    assert "Dit projekt “Robot i Jobcenter” har ikke fået en opdatering i 60 dage" in mette
    assert "Svar, om du kommer til erfa-dagen den 13.03.2026" in mette
    assert "Send din selvevaluering til din leder senest den 24.03.2026" in mette
    assert f"/projekter/{network['project'].pk}/" in mette
    henrik = body_of(mailoutbox, manager)
    assert "Selvevalueringen fra Peter venter på din vurdering" in henrik
    assert mailoutbox[0].subject == "AgentNet: det venter på dig"

    assert send(TODAY, django_capture_on_commit_callbacks) == 0
    # The next day only what became due since: nothing here.
    assert send(TODAY + timedelta(days=1), django_capture_on_commit_callbacks) == 0
    assert len(mailoutbox) == 2
    # 3 days before the deadline the self-assessment is reminded of again, and only it.
    send(date(2026, 3, 23), django_capture_on_commit_callbacks)
    assert "selvevaluering" in mailoutbox[-1].body
    assert "Robot" not in mailoutbox[-1].body


def test_no_digest_on_a_weekend(network, mailoutbox, django_capture_on_commit_callbacks):
    assert send(date(2026, 3, 14), django_capture_on_commit_callbacks) == 0
    assert mailoutbox == []


def test_the_choices_are_honoured(
    network, agent, manager, mailoutbox, django_capture_on_commit_callbacks
):
    MailChoice.objects.create(user=agent.user, projects=False, language="en")
    MailChoice.objects.create(user=manager, digest=False)

    send(TODAY, django_capture_on_commit_callbacks)

    [message] = mailoutbox
    assert message.to == [agent.user.email]
    assert message.subject == "AgentNet: what is waiting for you"
    assert "Robot" not in message.body
    assert "Say whether you are coming to the erfa-day on" in message.body


def test_the_unsubscribe_link_works_without_sign_in_and_refuses_an_altered_one(
    client, agent, other_agent
):
    token = digest.unsubscribe_token(agent.user)
    url = reverse("unsubscribe", args=[token])

    assert "Stop den daglige oversigt" in client.get(url).content.decode()
    assert not MailChoice.objects.exists()  # asking changes nothing

    altered = reverse("unsubscribe", args=[token.replace(":", ":x", 1)])
    response = client.post(altered)
    assert response.status_code == 400
    assert "Linket er ikke gyldigt" in response.content.decode()
    assert not MailChoice.objects.exists()

    response = client.post(url)
    assert "Du får ikke flere daglige oversigter" in response.content.decode()
    assert MailChoice.objects.get(user=agent.user).digest is False
    assert not MailChoice.objects.filter(user=other_agent.user).exists()


def test_the_start_page_shows_the_digests_items(network, agent, agent_client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)

    html = agent_client.get(reverse("home")).content.decode()

    assert "Dit projekt “Robot i Jobcenter” har ikke fået en opdatering i 60 dage" in html
    assert "Svar, om du kommer til erfa-dagen den 13.03.2026" in html
    assert "Send din selvevaluering til din leder senest den 24.03.2026" in html


def test_a_person_chooses_their_mails_under_my_profile(agent_client, agent):
    response = agent_client.post(reverse("mail_choices"), {
        "digest": "on", "language": "en", "erfa_days": "on", "actions": "on",
    })

    assert response.status_code == 302
    choice = MailChoice.objects.get(user=agent.user)
    assert (choice.digest, choice.language, choice.projects, choice.erfa_days) == (
        True, "en", False, True
    )


def test_the_digest_makes_as_many_queries_for_many_people_as_for_few(
    network, manager, django_capture_on_commit_callbacks
):
    with CaptureQueriesContext(connection) as few:
        digest.send_digests(TODAY)
    for _n in range(15):
        agent = factories.AgentFactory(manager=manager)
        factories.ProjectFactory(lead=agent)
    Project.objects.update(last_activity_at=timezone.make_aware(datetime(2025, 12, 1, 12)))

    with CaptureQueriesContext(connection) as many:
        assert digest.send_digests(TODAY + timedelta(days=1)) == 15

    assert len(many.captured_queries) == len(few.captured_queries)
