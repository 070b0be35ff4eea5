"""Agenda material: uploaded by the facilitator, sent to signed-in readers by the portal."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import forms as meetings_forms
from meetings.models import AgendaItem
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% AgentNet test\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # What production runs with: the material must not depend on debug-only serving.
    settings.DEBUG = False


def item_with(meeting, name, content):
    item = factories.AgendaItemFactory(meeting=meeting, title="Oplæg")
    item.material_file.save(name, ContentFile(content))
    return item


def post_item(client, meeting, upload):
    return client.post(reverse("meetings:item_create", args=[meeting.pk]), {
        "kind": "talk", "title": "Oplæg om chatbots", "duration": 30, "material_file": upload,
    })


def test_facilitator_uploads_a_pdf_and_an_agent_opens_it_from_the_agenda(
    client, facilitator, agent, meeting
):
    client.force_login(facilitator)
    post_item(client, meeting, SimpleUploadedFile("slides.pdf", PDF, "application/pdf"))
    meeting.status = "published"
    meeting.save()
    item = meeting.items.get()

    client.force_login(agent.user)
    page = client.get(meeting.get_absolute_url()).content.decode()
    url = reverse("meetings:material", args=[item.pk])
    assert f'<a href="{url}">fil</a>' in page
    response = client.get(url)

    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="slides.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_office_documents_are_downloaded_not_opened(agent_client, meeting):
    meeting.status = "published"
    meeting.save()
    item = item_with(meeting, "budget.xlsx", b"PK\x03\x04 not really a workbook")

    response = agent_client.get(reverse("meetings:material", args=[item.pk]))

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="budget.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_stored_file_of_another_type_is_bytes_to_download(agent_client, meeting):
    # Uploaded before the types were limited: never rendered as a page of the portal.
    meeting.status = "published"
    meeting.save()
    item = item_with(meeting, "side.html", b"<script>alert(document.cookie)</script>")

    response = agent_client.get(reverse("meetings:material", args=[item.pk]))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="side.html"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("side.html", "text/html"), ("logo.svg", "image/svg+xml"), ("run.exe", "application/x")],
)
def test_an_upload_of_another_type_is_refused_beside_the_field(
    facilitator_client, meeting, name, content_type
):
    response = post_item(
        facilitator_client, meeting, SimpleUploadedFile(name, b"<html></html>", content_type)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["material_file"] == [
        "Upload en PDF, et kontordokument (Word, Excel, PowerPoint eller OpenDocument) "
        "eller et billede (PNG, JPEG, GIF eller WebP)."
    ]
    assert 'id="error_1_id_material_file"' in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(facilitator_client, meeting, monkeypatch):
    monkeypatch.setattr(meetings_forms, "MATERIAL_MAX_MB", 1)
    big = SimpleUploadedFile("slides.pdf", PDF + b"0" * 1024 * 1024, "application/pdf")

    response = post_item(facilitator_client, meeting, big)

    assert response.context["form"].errors["material_file"] == [
        "Filen er for stor: højst 1 MB."
    ]
    assert not AgendaItem.objects.exists()


def test_the_admin_refuses_material_of_another_type(facilitator_client, meeting):
    meeting.items.all().delete()
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = {
        "date": meeting.date.isoformat(), "start_time": "09:00", "end_time": "15:00",
        "location": meeting.location.pk, "status": "draft",
        "items-TOTAL_FORMS": 1, "items-INITIAL_FORMS": 0,
        "items-0-position": 1, "items-0-kind": "talk", "items-0-title": "Oplæg",
        "items-0-duration": 30,
        "items-0-material_file": SimpleUploadedFile("side.html", b"<html></html>"),
        "attendances-TOTAL_FORMS": 0, "attendances-INITIAL_FORMS": 0,
    }

    response = facilitator_client.post(url, data)

    assert response.status_code == 200
    assert "Upload en PDF" in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_material_asks_for_sign_in(client, meeting):
    item = item_with(meeting, "slides.pdf", PDF)
    url = reverse("meetings:material", args=[item.pk])

    response = client.get(url)

    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_material_of_a_draft_erfa_day_is_hidden_from_agents(client, agent, facilitator, meeting):
    item = item_with(meeting, "slides.pdf", PDF)  # the meeting fixture is a draft
    url = reverse("meetings:material", args=[item.pk])

    client.force_login(agent.user)
    assert client.get(url).status_code == 404
    client.force_login(facilitator)
    assert b"".join(client.get(url).streaming_content) == PDF


def test_a_missing_file_is_a_404(agent_client, meeting):
    meeting.status = "published"
    meeting.save()
    gone = item_with(meeting, "slides.pdf", PDF)
    gone.material_file.storage.delete(gone.material_file.name)
    none = factories.AgendaItemFactory(meeting=meeting, title="Frokost")

    assert agent_client.get(reverse("meetings:material", args=[gone.pk])).status_code == 404
    assert agent_client.get(reverse("meetings:material", args=[none.pk])).status_code == 404


def test_a_proxy_may_send_the_file(agent_client, meeting, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    meeting.status = "published"
    meeting.save()
    item = item_with(meeting, "referat æ.docx", b"PK\x03\x04")

    response = agent_client.get(reverse("meetings:material", args=[item.pk]))

    assert response["X-Accel-Redirect"] == (
        f"/protected-media/material/{item.material_file.name.split('/')[-1]}"
        .replace("æ", "%C3%A6").replace(" ", "%20")
    )
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''referat")
    assert response["X-Content-Type-Options"] == "nosniff"



def test_the_admin_links_saved_material_to_the_view_that_serves_it(facilitator_client, meeting):
    item = item_with(meeting, "slides.pdf", PDF)
    material = reverse("meetings:material", args=[item.pk])

    page = facilitator_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    html = page.content.decode()
    assert f'href="{material}"' in html and "/media/" not in html
    assert facilitator_client.get(material)["Content-Type"] == "application/pdf"
