"""The sync with OS2kitos, against a fake KITOS served over HTTP on 127.0.0.1
(tests/agents/kitos_server.py): nothing of the client or the sync is replaced."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agents.kitos import client as kitos_client
from agents.models import Department, KitosRun, System, SystemRole, User
from tests import factories
from tests.agents import kitos_server as kitos
from tests.agents.kitos_server import IT_CONTACT, SUPERUSER, FakeKitos, KitosServer, uuid_of

pytestmark = pytest.mark.django_db

USAGES = "/api/v2/it-system-usages"


@pytest.fixture
def fake():
    return FakeKitos()


@pytest.fixture
def server(fake, settings, monkeypatch):
    # Tries again at once: the tests need the retries, not the waits between them.
    monkeypatch.setattr(kitos_client, "BACKOFF", 0)
    with KitosServer(fake) as running:
        settings.KITOS_URL = running.url
        settings.KITOS_EMAIL = kitos.EMAIL
        settings.KITOS_PASSWORD = kitos.PASSWORD
        settings.KITOS_ORGANIZATION_CVR = kitos.CVR
        yield running


def sync_kitos(*args):
    out = StringIO()
    call_command("sync_kitos", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def network(fake):
    """Three systems in KITOS: Nexus with a known superuser (e-mail in other case) and an IT
    contact nobody in AgentNet has; two more with an unknown superuser each."""
    health = factories.DepartmentFactory(name="Sundhed og omsorg")
    anne = factories.UserFactory(username="anne", first_name="Anne", last_name="Lund",
                                 email="anne.lund@kommune.dk")
    fake.users[uuid_of("3", 1)] = kitos.user(1, "Anne.Lund@Kommune.dk")
    fake.users[uuid_of("3", 2)] = kitos.user(2, "ole.krogh@kommune.dk")
    fake.users[uuid_of("3", 3)] = kitos.user(3, "ukendt@kommune.dk")
    fake.add(1, roles=[(1, SUPERUSER), (2, IT_CONTACT)], modified="2025-05-01T10:00:00Z")
    fake.change(1, systemContext={"uuid": uuid_of("2", 1), "name": "KMD Nexus"})
    fake.add(2, roles=[(3, SUPERUSER)], modified="2025-05-02T10:00:00Z", vendor="KMD A/S")
    fake.add(3, roles=[(3, SUPERUSER)], modified="2025-05-03T10:00:00Z")
    return {"health": health, "anne": anne}


def systems_state():
    return sorted(
        (s.name, s.vendor, s.description, s.owner_department_id, s.in_use, str(s.kitos_uuid),
         sorted((r.user_id, r.role) for r in s.roles.all()))
        for s in System.objects.prefetch_related("roles")
    )


def test_first_full_sync_creates_systems_roles_and_lists_unknown_holders(server, fake, network):
    by_hand = factories.SystemFactory(name="KMD Nexus", vendor="gammel", owner_department=None)
    project = factories.ProjectFactory(title="Digital pleje")
    project.systems.add(by_hand)

    out = sync_kitos("--full")

    nexus = System.objects.get(name="KMD Nexus")
    assert nexus.pk == by_hand.pk  # typed in by hand before: taken over, projects kept
    assert str(nexus.kitos_uuid) == uuid_of("1", 1)
    assert (nexus.vendor, nexus.description) == ("Systematic A/S", "Elektronisk omsorgsjournal")
    assert nexus.owner_department == network["health"]  # matched by name, case aside
    network["health"].refresh_from_db()
    assert str(network["health"].kitos_uuid) == kitos.HEALTH_UNIT
    assert list(nexus.roles.values_list("user__username", "role")) == [("anne", "superuser")]
    assert System.objects.get(name="System 0002").vendor == "KMD A/S"
    assert System.objects.filter(kitos_uuid__isnull=False, in_use=True).count() == 3
    run = KitosRun.objects.get()
    assert (run.succeeded, run.full, run.created, run.updated, run.roles_added) == (
        True, True, 2, 1, 1)
    assert [(h["name"], h["role"], h["system"]) for h in run.unknown_holders] == [
        ("Person 2", "it_contact", "KMD Nexus"),
        ("Person 3", "superuser", "System 0002"),
        ("Person 3", "superuser", "System 0003"),
    ]
    assert "Not in AgentNet: Person 2 <ole.krogh@kommune.dk>, it_contact of KMD Nexus" in out
    # Nobody is created for a role holder AgentNet does not know.
    assert not User.objects.filter(email__iexact="ole.krogh@kommune.dk").exists()
    # Every list was read 250 at a time, with the token.
    assert {p["pageSize"] for p in fake.asked(USAGES)} == {"250"}
    assert "changedSinceGtEq" not in fake.asked(USAGES)[0]
    assert fake.tokens_issued == 1


def test_incremental_run_changes_only_the_changed_usage_and_the_deletion(server, fake, network):
    sync_kitos("--full")
    before = {s.name: s for s in System.objects.all()}
    anne_role = SystemRole.objects.get(system__name="KMD Nexus")
    # KMD Nexus loses its superuser and gets Anne as IT contact; System 0003 is deleted;
    # System 0002 is changed only in AgentNet's database, which an incremental run leaves.
    changed = fake.change(1, lastModified="2025-06-01T09:00:00Z")
    changed["roles"] = [{"user": {"uuid": uuid_of("3", 1), "name": "Anne Lund"},
                         "role": {"uuid": IT_CONTACT, "name": "Systemansvarlig"}}]
    fake.systems[uuid_of("2", 1)]["description"] = "Omsorgsjournal, ny version"
    fake.delete(3, at="2025-06-02T08:00:00Z")
    System.objects.filter(name="System 0002").update(description="lokalt")

    sync_kitos()

    asked = fake.asked(USAGES)[-1]
    assert asked["changedSinceGtEq"].startswith("2025-05-03T10:00:00")
    nexus = System.objects.get(name="KMD Nexus")
    assert nexus.description == "Omsorgsjournal, ny version"
    assert list(nexus.roles.values_list("user__username", "role")) == [("anne", "it_contact")]
    assert not SystemRole.objects.filter(pk=anne_role.pk).exists()
    gone = System.objects.get(name="System 0003")  # kept, not deleted
    assert gone.in_use is False
    assert System.objects.get(name="System 0002").description == "lokalt"
    assert System.objects.count() == len(before)
    run = KitosRun.objects.latest()
    assert (run.full, run.created, run.updated, run.retired, run.roles_added,
            run.roles_removed) == (False, 0, 1, 1, 1, 1)
    assert run.deletions_cursor.isoformat().startswith("2025-06-02T08:00:00")
    # Unknown holders of untouched usages are carried over; the deleted system's are gone.
    assert [(h["name"], h["system"]) for h in run.unknown_holders] == [
        ("Person 3", "System 0002")]

    sync_kitos()

    assert fake.asked("/api/v2/delta-feed/deleted-entities")[-1]["deletedSinceUTC"].startswith(
        "2025-06-02T08:00:00")
    assert KitosRun.objects.latest().updated == 0


def test_a_token_that_expires_mid_run_is_asked_for_again(server, fake, network):
    fake.expire_tokens_after = 4

    sync_kitos("--full")

    assert fake.tokens_issued == 2
    assert System.objects.filter(kitos_uuid__isnull=False).count() == 3


def test_a_server_error_on_one_page_is_tried_again(server, fake):
    for n in range(300):
        fake.add(n)
    fake.failures[(USAGES, "1")] = 1

    sync_kitos("--full")

    assert [p["page"] for p in fake.asked(USAGES)] == ["0", "1", "1"]
    assert System.objects.count() == 300


def test_a_broken_connection_and_a_timeout_are_tried_again(server, fake, settings, monkeypatch):
    for n in range(300):
        fake.add(n)
    fake.hang_ups[(USAGES, "0")] = 1
    fake.delays[(USAGES, "1")] = 1.0
    # The client waits 0.3 s for an answer; the fake takes a second, once.
    monkeypatch.setattr(kitos_client, "TIMEOUT", (1, 0.3))

    sync_kitos("--full")

    assert [p["page"] for p in fake.asked(USAGES)] == ["0", "0", "1", "1"]
    assert System.objects.count() == 300


def test_a_lasting_server_error_changes_nothing_and_is_shown(
    server, fake, network, client, facilitator, agent
):
    sync_kitos("--full")
    before = systems_state()
    fake.change(1, lastModified="2025-06-01T09:00:00Z", roles=[])
    fake.delete(2, at="2025-06-02T08:00:00Z")
    fake.failures[("/api/v2/delta-feed/deleted-entities", "0")] = None

    with pytest.raises(CommandError, match="answered 500"):
        sync_kitos()

    assert systems_state() == before
    failed = KitosRun.objects.latest()
    assert (failed.succeeded, failed.created, failed.updated) == (False, 0, 0)
    assert len(fake.asked("/api/v2/delta-feed/deleted-entities")) == 1 + 3
    client.force_login(facilitator)
    html = client.get(reverse("agents:systems")).content.decode()
    assert "Synkroniseringen med KITOS mislykkedes" in html
    assert "answered 500" in html
    assert "2 superbrugere i KITOS findes ikke i AgentNet" in html  # the last good run's
    client.force_login(agent.user)
    assert "KITOS" not in client.get(reverse("agents:systems")).content.decode()


def test_an_error_while_applying_rolls_back_everything(server, fake, network):
    sync_kitos("--full")
    before = systems_state()
    department = factories.DepartmentFactory(name="Eksempel Kommune")
    fake.change(1, lastModified="2025-06-01T09:00:00Z", roles=[])
    for n in range(10, 310):
        fake.add(n, modified="2025-06-02T09:00:00Z")
    # The last usage of the second page is broken: the first page is applied by then.
    fake.usages[-1]["uuid"] = "ikke-en-uuid"

    with pytest.raises(ValueError, match="hexadecimal UUID"):
        sync_kitos()

    assert systems_state() == before
    department.refresh_from_db()
    assert department.kitos_uuid is None
    failed = KitosRun.objects.latest()
    assert failed.succeeded is False
    assert "UUID" in failed.error


def test_a_missing_role_type_stops_the_run_before_anything_changes(server, fake, network):
    fake.role_types = fake.role_types[:1]

    with pytest.raises(CommandError, match='no system role named "Systemansvarlig"'):
        sync_kitos("--full")

    assert not System.objects.exists()
    assert KitosRun.objects.get().succeeded is False


def test_a_refusal_is_not_tried_again(server, fake, network):
    fake.refusals["/api/v2/it-system-usage-role-types"] = 403

    with pytest.raises(CommandError, match="403"):
        sync_kitos("--full")

    assert len(fake.asked("/api/v2/it-system-usage-role-types")) == 1


def test_wrong_credentials_are_reported_in_kitos_own_words(server, settings, network):
    settings.KITOS_PASSWORD = "forkert"

    with pytest.raises(CommandError, match="Du har ikke adgang"):
        sync_kitos("--full")

    assert not System.objects.exists() or not System.objects.filter(
        kitos_uuid__isnull=False).exists()


def test_dry_run_prints_what_would_change_and_changes_nothing(server, fake, network):
    out = sync_kitos("--dry-run")

    assert "+ KMD Nexus" in out
    assert "Systems created: 3" in out
    assert "Dry run: nothing was changed." in out
    assert not System.objects.exists()
    assert not SystemRole.objects.exists()
    assert not Department.objects.filter(kitos_uuid__isnull=False).exists()
    assert not KitosRun.objects.exists()


def test_without_kitos_url_nothing_happens(settings, fake):
    settings.KITOS_URL = ""
    factories.SystemFactory(name="Momentum")

    out = sync_kitos("--full")

    assert "KITOS_URL is not set" in out
    assert list(System.objects.values_list("name", "in_use")) == [("Momentum", True)]
    assert not KitosRun.objects.exists()


def test_a_full_run_marks_systems_kitos_no_longer_lists(server, fake, network):
    sync_kitos("--full")
    fake.usages = [u for u in fake.usages if u["uuid"] != uuid_of("1", 2)]

    sync_kitos("--full")

    assert list(System.objects.filter(in_use=False).values_list("name", flat=True)) == [
        "System 0002"]


def _queries_for(fake, count):
    System.objects.all().delete()
    KitosRun.objects.all().delete()
    fake.usages, fake.systems = [], {}
    for n in range(count):
        fake.add(n, roles=[(n % 7, SUPERUSER), (n % 5 + 10, IT_CONTACT)],
                 modified=f"2025-05-01T10:{n // 60 % 60:02}:{n % 60:02}Z")
    with CaptureQueriesContext(connection) as captured:
        sync_kitos("--full")
    assert System.objects.count() == count
    return len(captured)


def test_1000_usages_take_a_fixed_number_of_queries_per_page_of_250(server, fake):
    for n in list(range(7)) + [n + 10 for n in range(5)]:
        email = f"person{n}@kommune.dk"
        factories.UserFactory(email=email)
        fake.users[uuid_of("3", n)] = kitos.user(n, email)

    one, two, four = (_queries_for(fake, count) for count in (250, 500, 1000))

    per_page = two - one
    assert per_page <= 8
    assert four == one + 3 * per_page
    assert SystemRole.objects.count() == 2000


def test_systems_pages_show_what_kitos_knows_and_what_the_network_adds(
    server, fake, network, agent_client, agent
):
    sync_kitos("--full")
    nexus = System.objects.get(name="KMD Nexus")
    factories.ProjectFactory(title="Digital pleje", lead=agent).systems.add(nexus)
    factories.SystemRoleFactory(system=nexus, user=agent.user, role=SystemRole.Role.OWNER)
    fake.delete(3, at="2025-06-02T08:00:00Z")
    sync_kitos()

    detail = agent_client.get(reverse("agents:system", args=[nexus.pk])).content.decode()
    listing = agent_client.get(reverse("agents:systems")).content.decode()

    assert "Systematic A/S" in detail and "Elektronisk omsorgsjournal" in detail
    assert f"{server.url}/ui/it-systems/it-system-usages/{uuid_of('1', 1)}" in detail
    assert "læses fra kommunens OS2kitos" in detail
    assert "Digital pleje" in detail
    assert "Anne Lund" in detail and "Mette Skovgaard" in detail  # KITOS' and the network's
    assert "Ikke længere i brug" in listing
    assert listing.count("Ikke længere i brug") == 1


def test_admin_keeps_kitos_fields_read_only_for_a_synced_system(server, fake, network, client):
    sync_kitos("--full")
    admin_client = client
    admin_client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    nexus = System.objects.get(name="KMD Nexus")
    url = reverse("admin:agents_system_change", args=[nexus.pk])

    page = admin_client.get(url).content.decode()
    admin_client.post(url, {
        "name": "Omdøbt", "vendor": "x", "description": "y",
        "owner_department": network["health"].pk,
        "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0",
    })

    assert 'name="name"' not in page
    assert f"/ui/it-systems/it-system-usages/{uuid_of('1', 1)}" in page
    nexus.refresh_from_db()
    assert (nexus.name, nexus.vendor) == ("KMD Nexus", "Systematic A/S")


def test_kitos_url_in_the_clear_is_refused_before_anything_is_sent(settings, fake):
    settings.KITOS_URL = "http://kitos.example.dk"
    settings.KITOS_EMAIL, settings.KITOS_PASSWORD = kitos.EMAIL, kitos.PASSWORD
    settings.KITOS_ORGANIZATION_CVR = kitos.CVR

    with pytest.raises(CommandError, match="https"):
        sync_kitos()

    assert not KitosRun.objects.exists()
