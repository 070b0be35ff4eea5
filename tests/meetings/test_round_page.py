"""What the erfa-day's page shows of the round and of the follow-up actions: every name and
text as it was written, escaped; what is urgent marked."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from meetings.models import Action
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_round_lists_each_department_its_projects_and_updates(facilitator_client):
    meeting = factories.MeetingFactory(date=timezone.localdate() + timedelta(days=3))
    factories.AgendaItemFactory(meeting=meeting, kind="round", title="Runden")
    lead = factories.AgentFactory(
        department=factories.DepartmentFactory(name="Jobcenter & Ydelse"),
        user__first_name="Kaj", user__last_name="O'Neill",
    )
    factories.DepartmentFactory(name="Økonomi")
    project = factories.ProjectFactory(title="Sms <påmindelser>", lead=lead)
    written = meeting.starts_at - timedelta(days=5)
    for kind, for_erfa, text, days in [
        ("progress", False, "Stille", 2), ("progress", True, "<b>Godt</b>", 1),
        ("problem", False, 'Kører "ikke"', 0),
    ]:
        factories.ProjectUpdateFactory(
            project=project, kind=kind, for_erfa=for_erfa, text=text,
            created_at=written + timedelta(days=days),
        )

    page = facilitator_client.get(meeting.get_absolute_url()).content.decode()

    day = timezone.localtime(written + timedelta(days=2)).strftime("%d.%m.%Y")
    assert '<h4 class="h6 mt-3 mb-1">Jobcenter &amp; Ydelse</h4>' in page
    assert (
        f'<a href="{project.get_absolute_url()}">Sms &lt;påmindelser&gt;</a> (Kaj O&#x27;Neill)'
    ) in page
    # Problems and updates brought to the erfa-day first, in bold; then the others.
    problem = page.index('<li class="round-problem"><strong>Problem</strong>')
    flagged = page.index(
        '<li class="round-progress"><strong>Fremdrift</strong>'
        ' <span class="badge badge-erfa">Til erfa-dagen</span>'
    )
    quiet = page.index(f'<li class="round-progress">Fremdrift, {day}: Stille</li>')
    assert problem < flagged < quiet
    assert "Kører &quot;ikke&quot;" in page and "&lt;b&gt;Godt&lt;/b&gt;" in page
    economy = page.index('<h4 class="h6 mt-3 mb-1">Økonomi</h4>')
    assert page.index("Intet nyt.", economy) > economy


def test_follow_up_actions_are_shown_as_written(facilitator_client, agent):
    meeting = factories.MeetingFactory(date=date(2027, 2, 4), status="held")
    item = factories.AgendaItemFactory(meeting=meeting, title="Oplæg")
    agent.user.last_name = "<O'Neill>"
    agent.user.save()
    Action.objects.create(item=item, text="Send <skabelonen>", owner=agent.user,
                          deadline=date(2026, 12, 3), done=True)
    Action.objects.create(item=item, text="Ring til IT & Digitalisering")

    page = facilitator_client.get(meeting.get_absolute_url()).content.decode()

    assert (
        "<li>Ring til IT &amp; Digitalisering</li>"
        "<li>✓ Send &lt;skabelonen&gt; – Mette &lt;O&#x27;Neill&gt;, 03.12.2026</li>"
    ) in page
