"""The MUS talk as it is run: the agent's own words, what stays after closing, the scale
explained, goals with their courses, the manager's team, coverage by town, late joiners and
confirmation before what cannot be undone."""

import json

import pytest
from django.urls import reverse

from competencies import services
from competencies.models import Assessment, Course
from tests.competencies.test_competencies import agent_post, review

pytestmark = pytest.mark.django_db

OWN_WORDS = {
    "strengths": "Formidling – jeg kan forklare RPA for alle",
    "improve": "Projektledelse af store projekter",
    "role_wishes": "Flere opgaver med udrulning",
    "education_wishes": "Diplommodulet Ledelse af digitale forandringer",
}


def send_with_words(client, assessment, **extra):
    client.force_login(assessment.agent.user)
    data = {**agent_post(assessment, action="send", confirm="on"), **OWN_WORDS, **extra}
    client.post(assessment.get_absolute_url(), data)
    assessment.refresh_from_db()


def test_the_agents_own_words_go_through_review_pack_and_download(client, assessment, manager):
    client.force_login(assessment.agent.user)
    form = client.get(assessment.get_absolute_url()).content.decode()
    assert "Min stærkeste kompetence og hvorfor" in form
    assert "Ønsker til opgaver og roller" in form

    send_with_words(client, assessment)
    assert assessment.status == "sent"
    assert assessment.role_wishes == OWN_WORDS["role_wishes"]
    sent_view = client.get(assessment.get_absolute_url()).content.decode()
    client.force_login(manager)
    review_page = client.get(assessment.get_absolute_url()).content.decode()
    pack = client.get(reverse("competencies:mus_pack", args=[assessment.pk])).content.decode()
    client.force_login(assessment.agent.user)
    data = json.loads(client.get(reverse("my_data")).content)

    for html in (sent_view, review_page, pack):
        for words in OWN_WORDS.values():
            assert words in html
    mine = data["assessments"][0]
    assert {name: mine[name] for name in OWN_WORDS} == OWN_WORDS


def test_the_own_words_are_kept_per_year(client, framework, assessment):
    send_with_words(client, assessment)
    Assessment.objects.filter(pk=assessment.pk).update(status="closed")

    next_year = services.open_round(year=2027, framework=framework).assessments.get(
        agent=assessment.agent
    )
    send_with_words(client, next_year, strengths="Teknologiforståelse")

    assessment.refresh_from_db()
    assert assessment.strengths == OWN_WORDS["strengths"]
    assert next_year.strengths == "Teknologiforståelse"


def close_with_everything(client, assessment, manager):
    send_with_words(client, assessment)
    course = Course.objects.create(name="Ledelse af digitale forandringer", provider="VIA")
    client.force_login(manager)
    data = {"action": "close", "confirm": "on", "mus_date": "2026-12-10",
            "manager_summary": "Et flot år med RPA", "manager_private_note": "Tal om løn",
            "courses": [course.pk]}
    for rating in assessment.ratings.all():
        data[f"r{rating.pk}-level"] = 2
        data[f"r{rating.pk}-comment"] = "Lederens kommentar"
    client.post(assessment.get_absolute_url(), data)
    assessment.goals.create(text="Tag modulet i forandringsledelse")
    assessment.refresh_from_db()
    assert assessment.status == "closed"


def test_after_closing_the_manager_still_sees_everything_read_only(client, assessment, manager):
    close_with_everything(client, assessment, manager)

    page = client.get(assessment.get_absolute_url()).content.decode()

    for shown in ("Et flot år med RPA", "Tal om løn", "10.12.2026", "Lederens kommentar",
                  "Ledelse af digitale forandringer", "Tag modulet i forandringsledelse",
                  OWN_WORDS["education_wishes"]):
        assert shown in page
    assert "<select" not in page and "<textarea" not in page


def test_after_closing_the_agent_rereads_what_was_agreed_and_sent(client, assessment, manager):
    close_with_everything(client, assessment, manager)
    client.force_login(assessment.agent.user)

    page = client.get(assessment.get_absolute_url()).content.decode()

    for shown in ("Et flot år med RPA", "10.12.2026", "Lederens kommentar",
                  "Ledelse af digitale forandringer", "Tag modulet i forandringsledelse",
                  *OWN_WORDS.values()):
        assert shown in page
    assert "Tal om løn" not in page


def test_before_closing_the_agent_sees_what_they_sent_but_no_review(client, assessment, manager):
    send_with_words(client, assessment)
    review(client, assessment, manager)
    client.force_login(assessment.agent.user)

    page = client.get(assessment.get_absolute_url()).content.decode()

    assert OWN_WORDS["role_wishes"] in page
    assert "Udkast til lederens ord" not in page
    assert "Lederens vurdering" not in page
