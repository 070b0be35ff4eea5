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
    # A department with nothing new is named in the short list at the end.
    assert (
        '<li><strong>Økonomi</strong>: <span class="text-body-secondary">ingen agent</span>'
    ) in page
    assert page.index("Jobcenter &amp; Ydelse") < page.index("Økonomi")


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


def _round_meeting():
    meeting = factories.MeetingFactory(date=timezone.localdate() + timedelta(days=3))
    factories.AgendaItemFactory(meeting=meeting, kind="round", title="Runden")
    return meeting


def test_departments_with_news_come_first_and_the_quiet_ones_are_listed_with_their_agents(
    facilitator_client,
):
    meeting = _round_meeting()
    # Alphabetically the quiet departments come first; with news, Økonomi leads the round.
    quiet = factories.DepartmentFactory(name="Borgerservice")
    for first, last in [("Peter", "Thygesen"), ("Anne", "Holm")]:
        factories.AgentFactory(department=quiet, user__first_name=first, user__last_name=last)
    factories.AgentFactory(department=quiet, user__first_name="Gone", is_active=False)
    factories.DepartmentFactory(name="Ældreområdet")
    lead = factories.AgentFactory(department=factories.DepartmentFactory(name="Økonomi"))
    factories.ProjectUpdateFactory(
        project=factories.ProjectFactory(lead=lead), text="Robotten kører",
        created_at=meeting.starts_at - timedelta(days=2),
    )

    page = facilitator_client.get(meeting.get_absolute_url()).content.decode()

    since = page.index("Ikke hørt fra siden")
    assert page.index('<h4 class="h6 mt-3 mb-1">Økonomi</h4>') < page.index("Robotten") < since
    assert (
        '<li><strong>Borgerservice</strong>: Anne Holm, Peter Thygesen</li>' in page[since:]
    )
    assert "<strong>Ældreområdet</strong>" in page[since:]
    assert "Gone" not in page
    assert "Intet nyt" not in page
    assert '<h4 class="h6 mt-3 mb-1">Borgerservice</h4>' not in page


def test_a_round_frozen_before_the_quiet_list_still_renders(facilitator_client):
    meeting = factories.MeetingFactory(date=date(2026, 2, 5), status="held")
    factories.AgendaItemFactory(meeting=meeting, kind="round", title="Runden")
    meeting.round_snapshot = {
        "since": "08.01.2026",
        "capped": False,
        "departments": [
            {"name": "Borgerservice", "projects": []},
            {"name": "Jobcenter", "projects": [{
                "title": "Sms", "url": "/projekter/1/", "lead": "Mette Skovgaard",
                "urgent": True, "updates": [{
                    "kind": "problem", "kind_label": "Problem", "text": "Kører ikke",
                    "for_erfa": False, "date": "20.01.2026", "author": "Mette Skovgaard",
                }],
            }]},
        ],
    }
    meeting.save()

    page = facilitator_client.get(meeting.get_absolute_url()).content.decode()
    printed = facilitator_client.get(f"{meeting.get_absolute_url()}print/").content.decode()

    for html in (page, printed):
        assert "Kører ikke" in html
        quiet = html.index("Ikke hørt fra siden 08.01.2026")
        assert "<li><strong>Borgerservice</strong></li>" in html[quiet:]
        assert html.index("Jobcenter") < quiet
