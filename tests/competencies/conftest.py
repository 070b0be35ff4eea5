import pytest

from competencies import demo, services


@pytest.fixture
def framework(db):
    return demo.framework()


@pytest.fixture
def mus_round(framework, agent, other_agent, manager):
    agent.manager = manager
    agent.save()
    return services.open_round(year=2026, framework=framework)


@pytest.fixture
def assessment(mus_round, agent):
    return mus_round.assessments.get(agent=agent)
