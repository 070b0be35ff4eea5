import pytest
from django.core.cache import caches

from tests import factories
from tests.oidc import provider, sso  # noqa: F401 (fixtures: single sign-on's provider)
from tests.world import build_world


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    """The test run's own cache directory (sessions are read from the cache)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _test_settings(settings, cache_dir):
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {**settings.CACHES["sessions"], "LOCATION": str(cache_dir)},
    }
    # Each test draws the page parts it shows anew (its settings may differ from the last),
    # and counts and writes what it shows anew.
    caches["fragments"].clear()
    caches["default"].clear()
    # Each task runs at once, inside the code that queued it; tests/test_worker.py queues
    # for the worker instead.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Real password hashing is slow on purpose; tests need it fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest storage of production needs collectstatic; tests serve the files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def department(db):
    return factories.DepartmentFactory(name="Jobcenter")


@pytest.fixture
def agent(db, department):
    return factories.AgentFactory(
        user__username="mette", user__first_name="Mette", user__last_name="Skovgaard",
        department=department, time_share=50,
    )


@pytest.fixture
def other_agent(db):
    return factories.AgentFactory(
        user__username="peter", user__first_name="Peter", user__last_name="Thygesen",
        department=factories.DepartmentFactory(name="Borgerservice"),
    )


@pytest.fixture
def manager(db):
    return factories.ManagerFactory(username="henrik", first_name="Henrik", last_name="Mølgaard")


@pytest.fixture
def facilitator(db):
    return factories.FacilitatorFactory(username="lise", first_name="Lise", last_name="Bundgaard")


@pytest.fixture
def plain_user(db):
    """Signed in, but neither agent, manager nor facilitator."""
    return factories.UserFactory(username="medarbejder", first_name="Ida", last_name="Holm")


@pytest.fixture
def world(agent, other_agent, manager, facilitator, plain_user):
    """The permission table's dataset (tests/world.py)."""
    return build_world(agent, other_agent, manager, facilitator, plain_user)


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent.user)
    return client


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client
