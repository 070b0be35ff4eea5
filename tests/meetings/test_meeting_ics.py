"""One erfa-day's calendar file, downloaded from its page: the same event as in the feed."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from icalendar import Calendar

from meetings.models import CalendarFeed
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_agent_downloads_one_erfa_day_with_the_feeds_uid(agent_client, agent):
    meeting = factories.MeetingFactory(theme="Robotter", room="Lokale 2")
    factories.MeetingFactory(theme="En anden dag")
    page = agent_client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:ics", args=[meeting.pk]) in page

    response = agent_client.get(reverse("meetings:ics", args=[meeting.pk]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert "Robotter" in str(event["SUMMARY"]) and "Lokale 2" in str(event["LOCATION"])
    feed = CalendarFeed.objects.create(user=agent.user)
    feed_calendar = Calendar.from_ical(
        agent_client.get(reverse("meetings:feed", args=[feed.token])).content
    )
    same = [e for e in feed_calendar.walk("VEVENT") if e["UID"] == event["UID"]]
    assert event["UID"] == f"{meeting.uid}@agentnet" and len(same) == 1


def test_a_draft_has_no_calendar_file_not_even_for_the_facilitator(facilitator_client, meeting):
    page = facilitator_client.get(meeting.get_absolute_url()).content.decode()

    response = facilitator_client.get(reverse("meetings:ics", args=[meeting.pk]))

    assert response.status_code == 404
    assert reverse("meetings:ics", args=[meeting.pk]) not in page


def test_a_cancelled_erfa_days_file_says_so(agent_client):
    meeting = factories.MeetingFactory(status="cancelled")

    response = agent_client.get(reverse("meetings:ics", args=[meeting.pk]))

    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"


def test_the_calendar_page_offers_webcal_a_copy_button_and_how_to_add_it(agent_client, agent):
    response = agent_client.get(reverse("meetings:feed_settings"))

    html = response.content.decode()
    feed = CalendarFeed.objects.get(user=agent.user)
    path = reverse("meetings:feed", args=[feed.token])
    assert f'value="http://testserver{path}"' in html
    assert f'href="webcal://testserver{path}"' in html
    # The copy button works through a script file, and is hidden for browsers without it.
    assert re.search(r'<button type="button"[^>]*data-copy="feed-url"[^>]*hidden>', html)
    assert re.search(r'<script src="/static/js/copy\.js" nonce="[^"]+" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<em>Abonner fra internettet</em>" in html and "<em>Fra webadresse</em>" in html
    assert finders.find("js/copy.js")
