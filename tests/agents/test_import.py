import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from agents import services
from agents.models import Agent, User
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "brugernavn;fornavn;efternavn;email;titel;afdeling;by;leder;tidsandel;startdato;telefon"


@pytest.fixture
def places(db, manager):
    factories.DepartmentFactory(name="Jobcenter")
    factories.DepartmentFactory(name="Borgerservice")
    factories.LocationFactory(name="Skjern")
    factories.LocationFactory(name="Ringkøbing")


def csv_bytes(*rows, encoding="utf-8"):
    return "\n".join([HEADER, *rows]).encode(encoding)


GOOD = [
    "anna;Anna;Østergaard;anna@example.org;Sagsbehandler;Jobcenter;Skjern;henrik;50;01.02.2024;",
    "bo;Bo;Ibsen;bo@example.org;Konsulent;Borgerservice;Ringkøbing;;20;2025-03-01;96 74 00 00",
]


def test_good_file_imports_every_row(places, manager):
    result = services.import_agents(csv_bytes(*GOOD), by=None)

    assert result.ok, result.errors
    anna = Agent.objects.select_related("user", "department").get(user__username="anna")
    assert (anna.user.get_full_name(), anna.department.name, anna.manager, anna.time_share) == (
        "Anna Østergaard", "Jobcenter", manager, 50,
    )
    assert str(anna.joined) == "2024-02-01"
    assert not anna.user.has_usable_password()
    # She chooses her first password by the link of "Glemt din adgangskode".
    assert anna.user.awaits_first_password
    assert Agent.objects.get(user__username="bo").phone == "96 74 00 00"


def test_windows_1252_and_comma_separated_files_are_read(places):
    rows = [r.replace(";", ",") for r in GOOD]
    raw = "\n".join([HEADER.replace(";", ","), *rows]).encode("cp1252")

    result = services.import_agents(raw, by=None)

    assert result.ok, result.errors
    assert User.objects.get(username="anna").last_name == "Østergaard"


def test_bad_file_is_rejected_whole_with_line_numbers(places, agent):
    raw = csv_bytes(
        GOOD[0],
        "carl;Carl;Berg;carl@example.org;Konsulent;Ukendt afdeling;Skjern;;50;01.01.2024;",
        "dina;Dina;Lund;ikke-en-mail;Konsulent;Jobcenter;Skjern;;150;01.01.2024;",
        GOOD[1],
        "mette;Mette;Igen;m@example.org;Konsulent;Jobcenter;Skjern;;10;01.01.2024;",
        "kort;linje",
    )

    result = services.import_agents(raw, by=None)

    assert not result.ok
    lines = sorted({line for line, _ in result.errors})
    assert lines == [3, 4, 6, 7]
    assert not User.objects.filter(username__in=["anna", "bo", "carl", "dina"]).exists()


def test_duplicate_user_name_within_file_is_an_error(places):
    result = services.import_agents(csv_bytes(GOOD[0], GOOD[0]), by=None)

    assert [line for line, _ in result.errors] == [3]
    assert not User.objects.filter(username="anna").exists()


def test_missing_columns_and_binary_files_are_refused(places):
    assert services.import_agents(b"navn;titel\nAnna;x", by=None).errors[0][0] == 1
    assert not services.import_agents(b"\x00\x01\x02binary", by=None).ok
    assert not services.import_agents(b"", by=None).ok


def test_facilitator_imports_through_the_admin(facilitator_client, places):
    url = reverse("admin:agents_agent_import")
    upload = SimpleUploadedFile("agenter.csv", csv_bytes(*GOOD), content_type="text/csv")

    response = facilitator_client.post(url, {"file": upload})

    assert response.status_code == 302
    assert Agent.objects.filter(user__username__in=["anna", "bo"]).count() == 2


def test_admin_import_shows_errors_by_line_and_imports_nothing(facilitator_client, places):
    url = reverse("admin:agents_agent_import")
    bad = GOOD[1].replace(";20;", ";999;")
    upload = SimpleUploadedFile("agenter.csv", csv_bytes(GOOD[0], bad), content_type="text/csv")

    response = facilitator_client.post(url, {"file": upload})

    assert response.status_code == 200
    assert "<td>3</td>" in response.content.decode()
    assert not Agent.objects.filter(user__username__in=["anna", "bo"]).exists()


def test_agent_cannot_reach_the_import(agent_client):
    response = agent_client.get(reverse("admin:agents_agent_import"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_lists_render_for_the_facilitator(facilitator_client, agent):
    factories.SystemRoleFactory(user=agent.user)
    for model in ["agent", "department", "location", "system", "systemrole", "user"]:
        response = facilitator_client.get(reverse(f"admin:agents_{model}_changelist"))
        assert response.status_code == 200, model
    response = facilitator_client.get(reverse("admin:agents_agent_changelist"))
    assert str(agent.user) in response.content.decode()
    assert reverse("admin:agents_agent_import") in response.content.decode()


def test_admin_adds_a_user_with_a_name(facilitator_client):
    response = facilitator_client.post(
        reverse("admin:agents_user_add"),
        {"username": "ny", "first_name": "", "last_name": "Ny", "email": "ny@example.org",
         "usable_password": "false"},
    )

    assert response.status_code == 200
    assert "first_name" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="ny").exists()


def test_an_email_too_long_for_the_column_is_a_line_error_naming_it(places):
    address = "a" * 250 + "@example.org"
    row = f"carl;Carl;Berg;{address};Konsulent;Jobcenter;Skjern;;50;01.01.2024;"

    with translation.override("da"):
        result = services.import_agents(csv_bytes(GOOD[0], row), by=None)

    assert not result.ok
    assert [line for line, _ in result.errors] == [3]
    message = str(result.errors[0][1])
    assert "email" in message and address in message and "254 tegn" in message
    assert not User.objects.filter(username__in=["anna", "carl"]).exists()


def test_an_invalid_email_is_still_refused(places):
    row = "carl;Carl;Berg;ikke-en-mail;Konsulent;Jobcenter;Skjern;;50;01.01.2024;"

    with translation.override("da"):
        result = services.import_agents(csv_bytes(row), by=None)

    assert [line for line, _ in result.errors] == [2]
    assert "gyldig e-mail-adresse" in str(result.errors[0][1])
