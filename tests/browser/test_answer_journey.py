"""An agent answers the invitation to the next erfa-day on its page."""

import re

from django.utils.formats import date_format
from playwright.sync_api import expect

from meetings.models import Attendance, Meeting
from tests.browser.helpers import sign_in


def test_agent_says_they_are_coming_to_the_next_erfa_day(page, demo_network):
    meeting = Meeting.objects.filter(status=Meeting.Status.PUBLISHED).order_by("date").first()
    # An invited agent who has not said yes yet.
    invitation = (
        meeting.attendances.exclude(response=Attendance.Response.COMING)
        .filter(user__agent__is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    user = invitation.user
    coming_before = meeting.attendances.filter(response=Attendance.Response.COMING).count()

    sign_in(page, user.username)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Erfa-dage").click()
    day = date_format(meeting.date, "l j. F Y").capitalize()
    page.get_by_role("link", name=day).click()

    expect(page).to_have_url(re.compile(rf"/erfa-dage/{meeting.pk}/$"))
    answer = page.locator("section[aria-labelledby=answer-heading]")
    expect(answer.get_by_role("heading", level=2)).to_have_text("Hvem kommer")
    expect(answer).to_contain_text(f"{coming_before} kommer,")
    expect(answer).not_to_contain_text("Dit svar: kommer.")

    answer.get_by_role("button", name="Kommer", exact=True).click()

    expect(page.locator("main .messages")).to_contain_text("Tak, dit svar er gemt.")
    expect(page).to_have_url(re.compile(rf"/erfa-dage/{meeting.pk}/$"))
    expect(answer).to_contain_text("Dit svar: kommer.")
    expect(answer).to_contain_text(f"{coming_before + 1} kommer,")
    expect(answer).to_contain_text(user.get_full_name())

    invitation.refresh_from_db()
    assert invitation.response == Attendance.Response.COMING
    assert invitation.answered_at is not None
