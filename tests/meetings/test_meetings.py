import datetime
from datetime import time, timedelta

import pytest
from django.core import mail
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    TopicProposal,
    item_times,
)
from meetings.views import meetings as meeting_pages
from projects.models import ProjectUpdate
from tests import factories

pytestmark = pytest.mark.django_db


def test_series_is_first_thursdays_except_july():
    dates = services.series_dates(
        weekday=3, ordinal=1, first_month=datetime.date(2027, 5, 1), months=4, skip_months=[7]
    )

    assert dates == [datetime.date(2027, 5, 6), datetime.date(2027, 6, 3),
                     datetime.date(2027, 8, 5)]
    last = services.series_dates(weekday=4, ordinal=-1, first_month=datetime.date(2027, 1, 1),
                                 months=1)
    assert last == [datetime.date(2027, 1, 29)]


def test_facilitator_plans_a_series_of_drafts_and_existing_dates_are_skipped(
    facilitator_client, meeting
):
    response = facilitator_client.post(reverse("meetings:series"), {
        "ordinal": 1, "weekday": 3, "first_month": "2027-03-01", "months": 6,
        "skip_months": [7], "start_time": "09:00", "end_time": "15:00",
        "location": meeting.location_id, "room": "Byrådssalen",
    })

    assert response.status_code == 302
    dates = list(Meeting.objects.order_by("date").values_list("date", "status"))
    assert [d.isoformat() for d, _ in dates] == [
        "2027-03-04", "2027-04-01", "2027-05-06", "2027-06-03", "2027-08-05",
    ]
    assert {s for _, s in dates} == {"draft"}


def test_times_follow_order_and_durations_and_overrun_is_reported(meeting):
    meeting.start_time, meeting.end_time = time(9), time(10)
    items = [factories.AgendaItemFactory(meeting=meeting, duration=d) for d in (15, 30, 30)]

    rows, overrun, ends = item_times(meeting, items)

    assert [(s.isoformat("minutes"), e.isoformat("minutes")) for _, s, e in rows] == [
        ("09:00", "09:15"), ("09:15", "09:45"), ("09:45", "10:15"),
    ]
    assert overrun and ends == time(10, 15)


def test_overrun_is_shown_on_the_page(facilitator_client, meeting):
    factories.AgendaItemFactory(meeting=meeting, duration=400)

    response = facilitator_client.get(meeting.get_absolute_url())

    assert response.context["overrun"]
    assert "alert-warning" in response.content.decode()


def test_standard_agenda_and_reordering(facilitator_client, meeting):
    facilitator_client.post(reverse("meetings:standard_agenda", args=[meeting.pk]))
    titles = list(meeting.items.values_list("title", flat=True))
    assert titles == ["Velkomst", "Runden", "Oplæg", "Frokost", "Workshop", "Eventuelt"]

    lunch = meeting.items.get(title="Frokost")
    facilitator_client.post(reverse("meetings:item_move", args=[lunch.pk]), {"direction": "up"})

    assert list(meeting.items.values_list("title", flat=True))[1:4] == [
        "Runden", "Frokost", "Oplæg",
    ]


def test_round_picks_the_updates_since_the_previous_erfa_day(agent, other_agent):
    previous = factories.MeetingFactory(date=datetime.date(2027, 2, 4), status="held")
    meeting = factories.MeetingFactory(date=datetime.date(2027, 3, 4))
    factories.DepartmentFactory(name="Økonomi")
    project = factories.ProjectFactory(title="Robot", lead=agent)
    other = factories.ProjectFactory(title="Sms", lead=other_agent)

    def update(project, day, kind="progress", for_erfa=False, text="x"):
        moment = timezone.make_aware(datetime.datetime(2027, *day, 12))
        return factories.ProjectUpdateFactory(project=project, kind=kind, for_erfa=for_erfa,
                                              text=text, created_at=moment)

    update(project, (2, 1), text="før")
    update(project, (2, 10), text="fremdrift")
    update(project, (2, 20), kind="problem", text="problem")
    update(other, (2, 15), text="sms fremdrift")
    update(other, (3, 5), text="efter")
    assert previous.date < meeting.date

    compiled = services.compile_round(meeting)

    by_name = {d["name"]: d["projects"] for d in compiled["departments"]}
    assert [u["text"] for u in by_name["Jobcenter"][0]["updates"]] == ["problem", "fremdrift"]
    assert [u["text"] for u in by_name["Borgerservice"][0]["updates"]] == ["sms fremdrift"]
    assert "Økonomi" not in by_name
    assert compiled["quiet"] == [{"name": "Økonomi", "agents": []}]


def test_held_erfa_day_keeps_the_round_it_used(facilitator_client, agent):
    meeting = factories.MeetingFactory(date=timezone.localdate() - timedelta(days=1))
    factories.AgendaItemFactory(meeting=meeting, kind="round", title="Runden")
    project = factories.ProjectFactory(lead=agent)
    factories.ProjectUpdateFactory(project=project, text="Med i runden",
                                   created_at=meeting.starts_at - timedelta(days=3))

    facilitator_client.post(reverse("meetings:held", args=[meeting.pk]), {"confirm": "on"})
    factories.ProjectUpdateFactory(project=project, text="Kom for sent",
                                   created_at=meeting.starts_at - timedelta(days=2))

    page = facilitator_client.get(meeting.get_absolute_url()).content.decode()
    assert "Med i runden" in page and "Kom for sent" not in page


def test_the_round_heads_each_department_below_the_agenda_item_and_at_the_top_in_print(
    facilitator_client, agent
):
    meeting = factories.MeetingFactory()
    factories.AgendaItemFactory(meeting=meeting, kind="round", title="Runden")
    factories.ProjectUpdateFactory(project=factories.ProjectFactory(lead=agent),
                                   created_at=meeting.starts_at - timedelta(days=1))
    department = agent.department.name

    page = facilitator_client.get(meeting.get_absolute_url()).content.decode()
    printed = facilitator_client.get(reverse("meetings:print", args=[meeting.pk]))

    assert f'<h4 class="h6 mt-3 mb-1">{department}</h4>' in page
    assert f'<h2 class="h6 mt-3 mb-1">{department}</h2>' in printed.content.decode()


def parse_ics(message):
    [(name, content, mimetype)] = message.attachments
    assert name.endswith(".ics")
    return Calendar.from_ical(content), mimetype


def test_publish_invites_every_active_agent_once_with_a_calendar_invitation(
    facilitator_client, meeting, agent, other_agent, django_capture_on_commit_callbacks
):
    factories.AgentFactory(is_active=False)
    factories.AgendaItemFactory(meeting=meeting, title="Velkomst")

    with django_capture_on_commit_callbacks(execute=True):
        facilitator_client.post(reverse("meetings:publish", args=[meeting.pk]), {"confirm": "on"})

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [agent.user.email, other_agent.user.email]
    )
    message = mail.outbox[0]
    assert "Invitation" in message.subject or "Invitation" in message.subject.title()
    assert "Velkomst" in message.body
    calendar, mimetype = parse_ics(message)
    assert "method=REQUEST" in mimetype
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == f"{meeting.uid}@agentnet"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART").isoformat() == "2027-03-04T09:00:00+01:00"
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Copenhagen"
    assert calendar.walk("VTIMEZONE")
    meeting.refresh_from_db()
    assert meeting.status == "published"
    assert Attendance.objects.filter(meeting=meeting, response="invited").count() == 2


def test_changed_time_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    facilitator_client, meeting, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        facilitator_client.post(reverse("meetings:publish", args=[meeting.pk]), {"confirm": "on"})
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        facilitator_client.post(reverse("meetings:edit", args=[meeting.pk]), {
            "date": "2027-03-04", "start_time": "10:00", "end_time": "15:00",
            "location": meeting.location_id, "room": "", "theme": meeting.theme,
        })

    [message] = mail.outbox
    [event] = parse_ics(message)[0].walk("VEVENT")
    assert event["UID"] == f"{meeting.uid}@agentnet"
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART").hour == 10


def test_theme_change_sends_nothing(facilitator_client, meeting, agent,
                                    django_capture_on_commit_callbacks):
    meeting.status = "published"
    meeting.save()

    with django_capture_on_commit_callbacks(execute=True):
        facilitator_client.post(reverse("meetings:edit", args=[meeting.pk]), {
            "date": "2027-03-04", "start_time": "09:00", "end_time": "15:00",
            "location": meeting.location_id, "room": "", "theme": "Nyt tema",
        })

    assert mail.outbox == []


def test_cancel_sends_method_cancel(facilitator_client, meeting, agent,
                                    django_capture_on_commit_callbacks):
    meeting.status = "published"
    meeting.save()

    with django_capture_on_commit_callbacks(execute=True):
        facilitator_client.post(reverse("meetings:cancel", args=[meeting.pk]), {"confirm": "on"})

    [message] = mail.outbox
    calendar, mimetype = parse_ics(message)
    assert calendar["METHOD"] == "CANCEL" and "method=CANCEL" in mimetype
    [event] = calendar.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1


def test_draft_sends_nothing_and_is_invisible_to_agents(client, meeting, agent):
    client.force_login(agent.user)

    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert meeting not in client.get(reverse("meetings:index")).context["page"]
    assert mail.outbox == []


def test_agent_answers_coming_and_facilitator_marks_attendance(client, meeting, agent, facilitator):
    meeting.status = "published"
    meeting.save()
    Attendance.objects.create(meeting=meeting, user=agent.user)
    client.force_login(agent.user)

    client.post(reverse("meetings:answer", args=[meeting.pk]), {"response": "coming"})
    bogus = client.post(reverse("meetings:answer", args=[meeting.pk]), {"response": "maybe"})

    row = Attendance.objects.get(meeting=meeting, user=agent.user)
    assert row.response == "coming" and bogus.status_code == 302
    client.force_login(facilitator)
    page = client.get(meeting.get_absolute_url())
    assert page.context["counts"]["coming"] == 1
    client.post(reverse("meetings:attendance", args=[meeting.pk]), {"attended": [row.pk]})
    row.refresh_from_db()
    assert row.attended


def test_who_is_coming_lists_names_in_order_up_to_a_limit(client, meeting, agent, monkeypatch):
    meeting.status = "published"
    meeting.save()
    for first in ("Cecilie", "Anna", "Bo"):
        user = factories.UserFactory(first_name=first, last_name="<b>Test</b>")
        Attendance.objects.create(meeting=meeting, user=user, response="coming")
    Attendance.objects.create(meeting=meeting, user=agent.user, response="not_coming")
    client.force_login(agent.user)

    page = client.get(meeting.get_absolute_url())

    shown = "Anna &lt;b&gt;Test&lt;/b&gt;, Bo &lt;b&gt;Test&lt;/b&gt;"
    assert f"{shown}, Cecilie &lt;b&gt;Test&lt;/b&gt;</p>" in page.content.decode()
    monkeypatch.setattr(meeting_pages, "COMING_SHOWN", 2)
    assert f"{shown} …</p>" in client.get(meeting.get_absolute_url()).content.decode()


def test_minutes_with_actions_carry_over_to_the_next_erfa_day(facilitator_client, agent):
    held = factories.MeetingFactory(date=datetime.date(2027, 2, 4), status="held")
    item = factories.AgendaItemFactory(meeting=held, title="Oplæg")
    following = factories.MeetingFactory(date=datetime.date(2027, 3, 4))

    facilitator_client.post(reverse("meetings:item_minutes", args=[item.pk]), {
        "minutes-notes": "Godt oplæg.", "minutes-decisions": "Vi prøver det.",
        "actions-TOTAL_FORMS": 2, "actions-INITIAL_FORMS": 0,
        "actions-0-text": "Del slides", "actions-0-owner": agent.user.pk,
        "actions-0-deadline": "2027-02-20", "actions-1-text": "",
    })

    item.refresh_from_db()
    assert (item.notes, item.decisions) == ("Godt oplæg.", "Vi prøver det.")
    action = Action.objects.get()
    assert (action.owner, action.done) == (agent.user, False)
    next_page = facilitator_client.get(following.get_absolute_url()).content.decode()
    assert (
        f'<li>Del slides – {agent.user}, 20.02.2027'
        f' (<a href="{held.get_absolute_url()}">04.02.2027</a>)</li>'
    ) in next_page
    facilitator_client.post(reverse("meetings:action_done", args=[action.pk]))
    action.refresh_from_db()
    assert action.done
    next_page = facilitator_client.get(following.get_absolute_url()).content.decode()
    assert "Del slides" not in next_page


def test_minutes_are_not_half_saved_when_their_actions_fail(
    facilitator_client, agent, monkeypatch
):
    held = factories.MeetingFactory(date=datetime.date(2027, 2, 4), status="held")
    item = factories.AgendaItemFactory(meeting=held, title="Oplæg", notes="Før.")

    def fail(*args, **kwargs):
        raise DatabaseError("the actions could not be written")

    monkeypatch.setattr(Action, "save", fail)
    facilitator_client.raise_request_exception = False
    response = facilitator_client.post(reverse("meetings:item_minutes", args=[item.pk]), {
        "minutes-notes": "Godt oplæg.", "minutes-decisions": "Vi prøver det.",
        "actions-TOTAL_FORMS": 1, "actions-INITIAL_FORMS": 0,
        "actions-0-text": "Del slides", "actions-0-owner": agent.user.pk,
    })

    assert response.status_code == 500
    item.refresh_from_db()
    assert (item.notes, item.decisions) == ("Før.", "")
    assert not Action.objects.exists()


def test_an_items_projects_and_follow_up_show_on_the_page_and_in_the_printed_minutes(
    facilitator_client, agent
):
    held = factories.MeetingFactory(date=datetime.date(2027, 2, 4), status="held")
    item = factories.AgendaItemFactory(meeting=held, title="Oplæg")
    project = factories.ProjectFactory(title="Sms i jobcentret", lead=agent)
    item.projects.add(project)
    Action.objects.create(item=item, text="Del slides", owner=agent.user,
                          deadline=datetime.date(2027, 2, 20), done=True)
    Action.objects.create(item=item, text="Find en pilot")

    page = facilitator_client.get(held.get_absolute_url()).content.decode()
    minutes = facilitator_client.get(
        reverse("meetings:print", args=[held.pk]), {"view": "minutes"}
    ).content.decode()

    assert f'Projekter: <a href="{project.get_absolute_url()}">Sms i jobcentret</a>' in page
    # Open actions first, then those done; the owner and deadline where there are any.
    assert "<li>Find en pilot</li><li>✓ Del slides – " in page
    assert f"✓ Del slides – {agent.user}, 20.02.2027</li>" in page
    assert "→ Find en pilot</p>" in minutes
    assert f"→ Del slides ({agent.user}, 20.02.2027)</p>" in minutes


def test_proposal_is_placed_on_an_agenda_in_one_click(client, meeting, agent, facilitator):
    client.force_login(agent.user)
    client.post(reverse("meetings:propose"), {"kind": "talk", "title": "Oplæg om chatbots"})
    client.force_login(facilitator)
    proposal = agent.user.topic_proposals.get()

    client.post(reverse("meetings:proposal_place", args=[proposal.pk]), {"meeting": meeting.pk})

    item = meeting.items.get()
    assert (item.title, item.presenter) == ("Oplæg om chatbots", agent)
    proposal.refresh_from_db()
    assert proposal.status == "placed"


def test_deleting_a_placed_proposals_item_puts_the_proposal_back_in_the_backlog(
    facilitator_client, meeting, agent
):
    proposal = TopicProposal.objects.create(proposed_by=agent.user, title="Oplæg om chatbots")
    facilitator_client.post(
        reverse("meetings:proposal_place", args=[proposal.pk]), {"meeting": meeting.pk}
    )
    item = meeting.items.get()
    assert "Oplæg om chatbots" not in facilitator_client.get(
        reverse("meetings:proposals")
    ).content.decode()

    facilitator_client.post(reverse("meetings:item_delete", args=[item.pk]))

    assert not meeting.items.exists()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.item) == ("backlog", None)
    page = facilitator_client.get(reverse("meetings:proposals")).content.decode()
    assert "Oplæg om chatbots" in page
    assert "Gemt til senere" in page
    # And it can be placed again.
    facilitator_client.post(
        reverse("meetings:proposal_place", args=[proposal.pk]), {"meeting": meeting.pk}
    )
    assert meeting.items.get().title == "Oplæg om chatbots"


def test_deleting_in_the_admin_puts_placed_proposals_back_in_the_backlog(
    facilitator_client, meeting, agent
):
    from tests.admin_forms import shown_data

    first, second = (
        TopicProposal.objects.create(proposed_by=agent.user, title=title)
        for title in ("Oplæg om chatbots", "Oplæg om RPA")
    )
    for proposal in (first, second):
        facilitator_client.post(
            reverse("meetings:proposal_place", args=[proposal.pk]), {"meeting": meeting.pk}
        )
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = shown_data(facilitator_client.get(url))
    chatbots = next(
        key.removesuffix("-title") for key, value in data.items() if value == "Oplæg om chatbots"
    )
    data[f"{chatbots}-DELETE"] = "on"

    facilitator_client.post(url, data)
    first.refresh_from_db()
    assert (first.status, first.item) == ("backlog", None)
    assert meeting.items.filter(title="Oplæg om RPA").exists()

    facilitator_client.post(
        reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"}
    )
    second.refresh_from_db()
    assert (second.status, second.item) == ("backlog", None)
    page = facilitator_client.get(reverse("meetings:proposals")).content.decode()
    assert "Oplæg om chatbots" in page and "Oplæg om RPA" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start_time": "15:00", "end_time": "09:00"}, "end_time"),
        ({"date": "2027-03-04"}, "date"),
        ({"date": "30.02.2027"}, "date"),
    ],
)
def test_bad_meeting_input_is_refused(facilitator_client, meeting, data, field):
    post = {"date": "2027-05-06", "start_time": "09:00", "end_time": "15:00",
            "location": meeting.location_id, "room": "", "theme": "", **data}

    response = facilitator_client.post(reverse("meetings:create"), post)

    assert field in response.context["form"].errors
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [({"duration": "0"}, "duration"), ({"duration": "601"}, "duration"),
     ({"speaker": "both"}, "speaker"), ({"presenter": "999999"}, "presenter")],
)
def test_bad_agenda_item_is_refused(facilitator_client, meeting, agent, data, field):
    speaker = factories_speaker()
    post = {"kind": "talk", "title": "Oplæg", "duration": "30", **data}
    if post.get("speaker") == "both":
        post.update(speaker=speaker.pk, presenter=agent.pk)

    response = facilitator_client.post(reverse("meetings:item_create", args=[meeting.pk]), post)

    assert field in response.context["form"].errors
    assert not AgendaItem.objects.exists()


def factories_speaker():
    from meetings.models import Speaker

    return Speaker.objects.create(name="Ekstern", organisation="Firma")


@pytest.mark.parametrize("name", ["create", "series", "proposals", "speaker_create"])
def test_agents_cannot_plan(agent_client, name):
    assert agent_client.get(reverse(f"meetings:{name}")).status_code == 403


def test_agent_cannot_publish_or_write_minutes(agent_client, meeting):
    meeting.status = "published"
    meeting.save()
    item = factories.AgendaItemFactory(meeting=meeting)

    assert agent_client.post(reverse("meetings:cancel", args=[meeting.pk])).status_code == 403
    assert agent_client.post(reverse("meetings:item_minutes", args=[item.pk]),
                             {"minutes-notes": "x"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == "published"


def test_calendar_feed_by_token_and_revocation(client, agent, meeting):
    factories.MeetingFactory(date=datetime.date(2027, 4, 1), status="published")
    feed = CalendarFeed.objects.create(user=agent.user)

    response = client.get(reverse("meetings:feed", args=[feed.token]))

    calendar = Calendar.from_ical(response.content)
    assert len(calendar.walk("VEVENT")) == 1
    assert client.get(reverse("meetings:feed", args=["nope"])).status_code == 404
    client.force_login(agent.user)
    client.post(reverse("meetings:feed_settings"))
    client.logout()
    assert client.get(reverse("meetings:feed", args=[feed.token])).status_code == 404


def test_calendar_feed_stops_when_its_owner_is_deactivated(client, agent):
    factories.MeetingFactory(date=datetime.date(2027, 4, 1), status="published")
    feed = CalendarFeed.objects.create(user=agent.user)
    url = reverse("meetings:feed", args=[feed.token])
    assert "BEGIN:VEVENT" in client.get(url).content.decode()

    agent.user.is_active = False
    agent.user.save(update_fields=["is_active"])

    response = client.get(url)
    assert response.status_code == 404
    assert "BEGIN:VEVENT" not in response.content.decode()


def test_feed_is_written_once_per_version_of_its_erfa_days(client, agent):
    first = factories.MeetingFactory(date=datetime.date(2027, 4, 1), status="published")
    factories.MeetingFactory(date=datetime.date(2027, 5, 6), status="published")
    url = reverse("meetings:feed", args=[CalendarFeed.objects.create(user=agent.user).token])

    before = client.get(url).content
    assert client.get(url).content == before  # the same version, DTSTAMPs and all

    first.theme = "Chatbots"
    first.save()
    changed = client.get(url).content
    first.status = "cancelled"
    first.sequence += 1
    first.save()
    cancelled = client.get(url).content

    events = {str(e["UID"]): e for e in Calendar.from_ical(changed).walk("VEVENT")}
    assert str(events[f"{first.uid}@agentnet"]["SUMMARY"]).endswith(": Chatbots")
    events = {str(e["UID"]): e for e in Calendar.from_ical(cancelled).walk("VEVENT")}
    assert events[f"{first.uid}@agentnet"]["STATUS"] == "CANCELLED"
    assert events[f"{first.uid}@agentnet"]["SEQUENCE"] == 1
    assert len({before, changed, cancelled}) == 3


def test_feed_defines_its_time_zone_for_summer_and_winter_erfa_days(client, agent):
    """The feed's VTIMEZONE, not the calendar program's own tz database, gives each event
    its offset: it must cover the years the erfa-days fall in."""
    winter = factories.MeetingFactory(date=datetime.date(2027, 1, 7), status="published")
    summer = factories.MeetingFactory(date=datetime.date(2028, 6, 1), status="published")
    feed = CalendarFeed.objects.create(user=agent.user)

    calendar = Calendar.from_ical(client.get(reverse("meetings:feed", args=[feed.token])).content)

    [definition] = calendar.walk("VTIMEZONE")
    zone = definition.to_tz(lookup_tzid=False)
    offsets = {
        str(event["UID"]): event.decoded("DTSTART").replace(tzinfo=zone).utcoffset()
        for event in calendar.walk("VEVENT")
    }
    assert offsets == {
        f"{winter.uid}@agentnet": timedelta(hours=1),
        f"{summer.uid}@agentnet": timedelta(hours=2),
    }


def test_archive_searches_talks_by_topic(agent_client):
    held = factories.MeetingFactory(date=datetime.date(2026, 2, 5), status="held")
    factories.AgendaItemFactory(meeting=held, kind="talk", title="GDPR i hverdagen")
    factories.MeetingFactory(date=datetime.date(2026, 3, 5), status="held")

    response = agent_client.get(reverse("meetings:archive"), {"q": "gdpr"})

    assert list(response.context["page"]) == [held]


def test_meeting_page_query_count_is_fixed_with_5_and_40_departments(
    facilitator_client, agent, django_assert_max_num_queries
):
    meeting = factories.MeetingFactory(date=timezone.localdate() + timedelta(days=3))
    factories.AgendaItemFactory(meeting=meeting, kind="round", title="Runden")
    factories.AgendaItemFactory(meeting=meeting, kind="talk", title="Oplæg")
    counts = []
    for size in (5, 35):
        for _ in range(size):
            lead = factories.AgentFactory()
            project = factories.ProjectFactory(lead=lead)
            factories.ProjectUpdateFactory(project=project, kind="problem")
        with django_assert_max_num_queries(15) as captured:
            response = facilitator_client.get(meeting.get_absolute_url())
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert ProjectUpdate.objects.count() == 40
    assert len([d for d in response.context["round"]["departments"] if d["projects"]]) == 40


def test_feed_query_count_is_fixed(client, agent, django_assert_max_num_queries):
    feed = CalendarFeed.objects.create(user=agent.user)
    counts = []
    for size in (5, 115):
        factories.MeetingFactory.create_batch(size)
        with django_assert_max_num_queries(4) as captured:
            client.get(reverse("meetings:feed", args=[feed.token]))
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("name", ["index", "archive", "proposals"])
def test_list_query_counts_are_fixed(facilitator_client, facilitator, agent, name,
                                     django_assert_max_num_queries):
    counts = []
    for size in (2, 12):
        for i in range(size):
            ahead = factories.MeetingFactory(date=timezone.localdate() + timedelta(days=size + i))
            held = factories.MeetingFactory(
                date=timezone.localdate() - timedelta(days=40 * size + i), status="held"
            )
            talk = factories.AgendaItemFactory(meeting=held, kind="talk", presenter=agent)
            Action.objects.create(item=talk, text="Del slides", owner=facilitator)
            TopicProposal.objects.create(proposed_by=agent.user, title=f"Emne {ahead.pk}")
        with django_assert_max_num_queries(15) as captured:
            response = facilitator_client.get(reverse(f"meetings:{name}"))
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert response.context["page"].paginator.count == 14
