"""Accessibility checks before publishing (press.a11y_checks): a photo without a usable
alternative text is refused at its field; headings out of order, vague link texts, capitals,
English passages and an alternative text that repeats the caption are warned about; the press
API names the alternative text to use, never an empty one and never a file name; the admin's
axe checker carries the plugin's rule."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from press.a11y_checks import (
    ERROR,
    WARNING,
    body_findings,
    capitals_run,
    looks_english,
    looks_like_file_name,
    photo_alt_text,
)
from press.blocks import PARAGRAPH_FEATURES
from press.models import PressReleasePage
from tests.factories import ImageFactory, PressContactFactory, PressReleasePageFactory, body_image


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IMG_1234.JPG", True),
        ("230206-steuerungskreis-mp-industrie1.jpg", True),
        ("DSC01234", True),
        ("foto-2023-02-07", True),
        ("Hafen.png", True),
        ("Zwölf Personen vor dem Rathaus", False),
        ("Steuerungskreis", False),
        ("Die A 52 bei Ratingen", False),
        ("", False),
    ],
)
def test_file_names_are_recognised(text, expected):
    assert looks_like_file_name(text) is expected


def test_the_alternative_text_is_the_first_usable_of_block_description_and_caption():
    assert (
        photo_alt_text(alt="Kräne am Hafen", description="Hafen", caption="x") == "Kräne am Hafen"
    )
    assert photo_alt_text(alt="IMG_1.jpg", description="Hafen bei Nacht", caption="") == (
        "Hafen bei Nacht"
    )
    assert photo_alt_text(alt="", description="", caption="Der Hafen") == "Der Hafen"
    assert photo_alt_text(alt="", description="DSC0001.JPG", caption="") == ""


def image(**value):
    return {"type": "image", "id": "b1", "value": {"image": True, **value}}


def paragraph(html, block_id="p1"):
    return {"type": "paragraph", "id": block_id, "value": {"html": html}}


def codes(findings):
    return [(finding.level, finding.code) for finding in findings]


def test_serious_and_warned_findings():
    assert codes(body_findings([image(alt="", description="", caption="")])) == [
        (ERROR, "alt-missing")
    ]
    assert codes(body_findings([image(alt="IMG_4711.JPG", description="", caption="")])) == [
        (ERROR, "alt-file-name"),
        (ERROR, "alt-missing"),
    ]
    assert codes(body_findings([image(alt="Der Hafen", description="", caption="Der  hafen")])) == [
        (WARNING, "alt-repeats-caption")
    ]
    assert body_findings([image(alt="Kräne", description="", caption="Der Hafen")]) == []

    found = body_findings(
        [
            paragraph("<h3>Zeitplan</h3><p>Mehr steht <a href='/x'>hier</a>.</p>"),
            paragraph("<h2>Ziele</h2><h3>Norden</h3><p><a href='/y'>Der Zeitplan</a></p>"),
            paragraph("<p>DIE STADT INFORMIERT ALLE BÜRGER über CO2 und die IHK.</p>"),
            paragraph("<p>We are proud of the new bridge and this is our city.</p>"),
            {"type": "quote", "id": "q1", "value": {"text": "<p>Gut.</p>", "name": " "}},
        ]
    )
    assert codes(found) == [
        (WARNING, "heading-order"),
        (WARNING, "link-text"),
        (WARNING, "capitals"),
        (WARNING, "english-passage"),
        (WARNING, "quote-name"),
    ]
    assert [finding.block_id for finding in found] == ["p1", "p1", "p1", "p1", "q1"]
    with translation.override("de"):
        assert str(found[1].message).startswith("Der Linktext „hier“ sagt für sich nichts")


def test_capitals_and_english_are_heuristics_that_spare_abbreviations_and_german():
    assert capitals_run("Die IHK und die EU fördern CO2-arme Betriebe") == ""
    assert capitals_run("ACHTUNG NEUE TERMINE ab Montag") == "ACHTUNG NEUE TERMINE"
    assert not looks_english("Die Stadt und die Industrie arbeiten für den Standort zusammen.")
    assert looks_english("The city and the industry will work together for the region.")


# --- in the admin ---------------------------------------------------------------------------


@pytest.fixture
def editor(client, db):
    user = get_user_model().objects.create_superuser("redaktion", "r@example.org", "geheim")
    client.force_login(user)
    return client


def release_form(*, body, publish=True, slug="radwege"):
    data = {
        "title": "Neue Radwege",
        "slug": slug,
        "release_date": "2023-03-01",
        "contact": str(PressContactFactory().pk),
        "corrections": inline_formset([]),
        "subscriber_mailing": inline_formset([]),
        "distribution_choices": inline_formset([]),
        "related_links": inline_formset([]),
        "body": streamfield(body),
    }
    if publish:
        data["action-publish"] = "action-publish"
    return nested_form_data(data)


def photo_block(photo, **value):
    return ("image", {"image": str(photo.pk), "caption": "", "credit": "Stadt", "alt": "", **value})


def test_publishing_a_photo_without_alternative_text_is_refused_at_the_field(editor, newsroom):
    photo = ImageFactory(title="IMG_0815.JPG")  # Wagtail's title from the file name
    add = reverse("wagtailadmin_pages:add", args=["press", "pressreleasepage", newsroom.pk])

    response = editor.post(add, release_form(body=[photo_block(photo)]))

    assert response.status_code == 200
    assert not PressReleasePage.objects.filter(slug="radwege").exists()
    errors = response.context["form"].errors["body"].as_data()[0].block_errors[0].block_errors
    assert list(errors) == ["alt"]
    assert "Pflichtfeld: Das Foto braucht einen Alternativtext" in str(errors["alt"].messages)

    # A file name typed as the alternative text is refused the same way.
    response = editor.post(add, release_form(body=[photo_block(photo, alt="IMG_0815.JPG")]))
    errors = response.context["form"].errors["body"].as_data()[0].block_errors[0].block_errors
    assert "sieht wie ein Dateiname aus" in str(errors["alt"].messages)

    # A draft may be saved without it (publishing is what needs it).
    response = editor.post(add, release_form(body=[photo_block(photo)], publish=False))
    assert response.status_code == 302
    assert not PressReleasePage.objects.get(slug="radwege").live


def test_publishing_with_warnings_publishes_and_says_what_to_look_at(editor, newsroom):
    photo = ImageFactory()
    add = reverse("wagtailadmin_pages:add", args=["press", "pressreleasepage", newsroom.pk])
    html = "<h3>Zeitplan</h3><p>Alles steht <a href='https://www.duesseldorf.de'>hier</a>.</p>"

    response = editor.post(
        add,
        release_form(
            body=[
                ("paragraph", rich_text(html, features=PARAGRAPH_FEATURES)),
                photo_block(photo, alt="Der Radweg", caption="Der Radweg"),
            ]
        ),
        follow=True,
    )

    assert PressReleasePage.objects.get(slug="radwege").live
    shown = [str(message) for message in response.context["messages"]]
    warnings = [message for message in shown if message.startswith("Barrierefreiheit:")]
    assert len(warnings) == 3, shown
    assert any("„Zeitplan“ überspringt eine Ebene" in message for message in warnings)
    assert any("„hier“" in message for message in warnings)
    assert any("wiederholt die Bildunterschrift" in message for message in warnings)


def test_the_admin_checker_carries_the_plugin_rules(editor, newsroom):
    release = PressReleasePageFactory(parent=newsroom)
    release.save_revision().publish()

    html = editor.get(release.url).content.decode()

    config = json.loads(
        html.split('id="checker-axe-configuration" type="application/json">')[1].split("</script>")[
            0
        ]
    )
    assert "image-redundant-alt" in config["options"]["runOnly"]
    assert "heading-order" in config["options"]["runOnly"]  # Wagtail's own rules stay
    (alt_check,) = [c for c in config["spec"]["checks"] if c["id"] == "check-image-alt-text"]
    assert "dsc" in alt_check["options"]["pattern"]
    assert config["messages"]["alt-text-quality"]["error_name"] == (
        "Alternativtext sieht wie ein Dateiname aus"
    )


# --- in the press API -----------------------------------------------------------------------


def test_the_press_api_names_the_alternative_text_never_empty_nor_a_file_name(client, newsroom):
    described = ImageFactory(title="IMG_1.JPG", description="Kräne am Rheinhafen")
    bare = ImageFactory(title="DSC01234.JPG")
    named = ImageFactory(title="Blick vom Rheinturm")
    release = PressReleasePageFactory(
        parent=newsroom,
        body=[
            body_image(described, caption="Der Hafen", alt=""),
            body_image(bare, caption="", credit="Stadt/Jana Muster", alt=""),
            body_image(named, caption="", alt=""),
            body_image(bare, caption="Die Brücke", alt="Neue Brücke im Bau"),
        ],
    )
    # Published as a release was before the checks existed (no form, no validation).
    release.save_revision().publish()

    data = client.get(f"/api/press/releases/{release.pk}").json()

    alts = [block["value"]["alt"] for block in data["body"] if block["type"] == "image"]
    assert alts == [
        "Kräne am Rheinhafen",
        "Pressefoto ©Stadt/Jana Muster",
        "Blick vom Rheinturm",
        "Neue Brücke im Bau",
    ]
    assert [photo["alt"] for photo in data["photos"]] == alts
