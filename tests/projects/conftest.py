import pytest

from tests import factories


@pytest.fixture
def project(agent, other_agent):
    """Led by `agent`; `other_agent` is not on it."""
    return factories.ProjectFactory(title="RPA til aktindsigt", lead=agent)


@pytest.fixture
def co_agent(db, project):
    co = factories.AgentFactory(user__username="lars", user__first_name="Lars")
    project.co_agents.add(co)
    return co
