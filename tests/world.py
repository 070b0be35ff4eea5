"""The permission table's dataset (the `world` fixture of tests/conftest.py): one user per
role and the objects whose pages the permission matrix, the fuzzing and the security tests
visit."""

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from competencies.models import (
    Area,
    Assessment,
    Competency,
    Course,
    Framework,
    Level,
    MusRound,
    Rating,
)
from meetings.models import Action, CalendarFeed, TopicProposal
from projects.models import Idea
from tests import factories


def build_world(agent, other_agent, manager, facilitator, plain_user):
    """A small network: the agent has a manager and is superuser of a system; one user per
    role. The pks in PERMISSIONS (Case.pk) name attributes of this object."""
    agent.manager = manager
    agent.save(update_fields=["manager"])
    system = factories.SystemFactory(name="Momentum", owner_department=agent.department)
    factories.SystemRoleFactory(system=system, user=agent.user)
    # The agent leads the project and recorded the idea; the other agent has neither.
    project = factories.ProjectFactory(
        title="Robot til ydelsesrefusion", lead=agent, departments=[agent.department]
    )
    goal = factories.StrategyGoalFactory(title="Digital velfærd")
    project.goals.add(goal)
    idea = Idea.objects.create(
        text="Hvor ville det være smart, hvis blanketter kunne udfylde sig selv",
        department=agent.department,
        recorded_by=agent.user,
    )
    # A published erfa-day ahead with an agenda item whose action the agent owns, a draft
    # nobody but the facilitator sees, the agent's topic proposal and calendar address.
    ahead = timezone.localdate() + timedelta(days=30)
    meeting = factories.MeetingFactory(date=ahead, theme="Robotter i praksis", status="published")
    draft = factories.MeetingFactory(date=ahead + timedelta(days=30), status="draft")
    item = factories.AgendaItemFactory(meeting=meeting, title="Runden")
    # Competencies: a published profile; the agent's assessment of one year is sent to the
    # manager, the next year's is still a draft only the agent sees.
    framework = Framework.objects.create(name="Kompetenceprofil (test)", published=True)
    area = Area.objects.create(framework=framework, name="Forståelse")
    competency = Competency.objects.create(area=area, name="Forandringsledelse")
    Level.objects.create(framework=framework, value=1, label="Begynder")
    this_year = timezone.localdate().year
    mus_round = MusRound.objects.create(year=this_year, framework=framework)
    next_round = MusRound.objects.create(year=this_year + 1, framework=framework)
    assessment = Assessment.objects.create(
        agent=agent, manager=manager, round=mus_round, framework=framework, status="sent"
    )
    draft_assessment = Assessment.objects.create(
        agent=agent, manager=manager, round=next_round, framework=framework, status="draft"
    )
    for each in (assessment, draft_assessment):
        Rating.objects.create(assessment=each, competency=competency, self_level=1)
    return SimpleNamespace(
        framework=framework,
        mus_round=mus_round,
        assessment=assessment,
        draft_assessment=draft_assessment,
        course=Course.objects.create(name="Ledelse af digitale forandringer"),
        agent=agent,
        other_agent=other_agent,
        person=agent.user,
        department=agent.department,
        system=system,
        project=project,
        goal=goal,
        idea=idea,
        meeting=meeting,
        draft=draft,
        item=item,
        action=Action.objects.create(item=item, text="Send slides", owner=agent.user),
        proposal=TopicProposal.objects.create(proposed_by=agent.user, title="Chatbots"),
        feed=CalendarFeed.objects.create(user=agent.user),
        users={
            "anonymous": None,
            "agent": agent.user,
            "other_agent": other_agent.user,
            "manager": manager,
            "facilitator": facilitator,
            "plain_user": plain_user,
        },
    )
