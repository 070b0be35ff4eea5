import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES"


def test_danish_catalogue_is_complete():
    catalogue = polib.pofile(str(LOCALE / "django.po"))

    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]

    assert untranslated == [], f"untranslated: {untranslated}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"
    assert len(catalogue.translated_entries()) > 100


def test_compiled_catalogue_matches_the_source():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    stale = []
    for entry in catalogue.translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            expected = {(key, int(i)): text for i, text in entry.msgstr_plural.items()}
        else:
            expected = {key: entry.msgstr}
        if any(compiled._catalog.get(k) != text for k, text in expected.items()):
            stale.append(entry.msgid)

    assert stale == [], "run `make messages` to compile django.mo"


def test_pages_are_danish_by_default_even_for_an_english_browser(agent_client):
    response = agent_client.get(reverse("agents:directory"), HTTP_ACCEPT_LANGUAGE="en-US,en")

    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "Netværket" in html and "Afdelinger" in html and "Spring til indhold" in html


def test_english_is_selectable(agent_client):
    response = agent_client.post(
        reverse("set_language"), {"language": "en", "next": reverse("agents:directory")}
    )
    assert response["Location"] == reverse("agents:directory")

    html = agent_client.get(reverse("agents:directory")).content.decode()

    assert '<html lang="en">' in html
    assert "The network" in html and "Departments" in html


def test_sign_in_page_is_danish_and_can_switch_language_before_sign_in(client):
    html = client.get(reverse("login")).content.decode()
    assert "Log ind" in html and "Brugernavn" in html

    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})

    assert "Sign in" in client.get(reverse("login")).content.decode()
