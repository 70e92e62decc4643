"""Corrections: a dated note on a published release, shown by every channel once published."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from press.models import ReleaseCorrection
from tests.factories import PressReleasePageFactory, body_paragraph

NOTE = "Die Telefonnummer der Hotline lautet 0211 89-12345."


@pytest.fixture
def release(newsroom):
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie",
        slug="masterplan-industrie",
        body=[body_paragraph("<p>Die Hotline ist erreichbar.</p>")],
    )
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def correct(release, *, text=NOTE, day=datetime.date(2026, 12, 3), publish=True):
    release.corrections.add(ReleaseCorrection(date=day, text=text))
    revision = release.save_revision()
    if publish:
        revision.publish()
    release.refresh_from_db()
    return release


def test_a_published_correction_shows_on_every_channel(client, release, newsroom):
    published_before = release.last_published_at
    correct(release)

    assert release.last_published_at > published_before
    html = client.get(release.url).content.decode()
    assert "Korrektur vom 03. Dezember 2026:" in html and NOTE in html
    text = client.get(release.url + "text/").content.decode()
    assert f"Korrektur vom 03. Dezember 2026: {NOTE[:30]}" in text
    assert text.index("Korrektur vom") < text.index("Die Hotline ist erreichbar.")
    api = client.get(f"/api/press/releases/{release.pk}").json()
    assert api["corrections"] == [{"date": "2026-12-03", "text": NOTE}]
    listed = client.get("/api/press/releases").json()["results"][0]
    assert listed["corrections"] == api["corrections"]
    v2 = client.get(f"/api/v2/pages/{release.pk}/").json()
    assert v2["id"] == release.pk
    ninjs = client.get(f"/api/press/releases/{release.pk}/ninjs").json()
    assert ninjs["edNote"] == f"Korrektur vom 03. Dezember 2026: {NOTE}"
    rss = ET.fromstring(client.get(newsroom.url + "rss/").content)
    assert rss.find("channel/item/description").text.startswith(
        f"Korrektur vom 03. Dezember 2026: {NOTE}"
    )
    atom = ET.fromstring(client.get(newsroom.url + "atom/").content)
    updated = atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}updated")
    assert datetime.datetime.fromisoformat(updated.text) > published_before


def test_a_correction_in_a_draft_stays_out_of_public_channels(client, release):
    correct(release, publish=False)

    assert NOTE not in client.get(release.url).content.decode()
    assert NOTE not in client.get(release.url + "text/").content.decode()
    assert client.get(f"/api/press/releases/{release.pk}").json()["corrections"] == []


def test_corrections_are_listed_oldest_first(client, release):
    correct(release, text="Zweite Korrektur.", day=datetime.date(2026, 12, 5))
    correct(release, text="Erste Korrektur.", day=datetime.date(2026, 12, 4))

    notes = client.get(f"/api/press/releases/{release.pk}").json()["corrections"]
    assert [note["text"] for note in notes] == ["Erste Korrektur.", "Zweite Korrektur."]


def test_a_correction_with_a_control_character_is_refused(release):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        ReleaseCorrection(
            release=release, date=datetime.date(2026, 12, 3), text="Neu\x0b"
        ).full_clean()
