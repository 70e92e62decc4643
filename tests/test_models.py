"""Page types and body blocks: where pages may live, that they render, edit and preview, and
that a press photo cannot be saved without its ©credit."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.blocks import StreamBlockValidationError, StreamValue
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import HomePage
from press.blocks import PARAGRAPH_FEATURES, ImageWithCreditBlock, PressBodyBlock, QuoteBlock
from press.models import PressIndexPage, PressReleasePage
from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    body_quote,
    site_with_newsroom,
)


class PressPageTypesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.newsroom = site_with_newsroom()
        cls.photo = ImageFactory()
        cls.contact = PressContactFactory(name="Annemarie Wotschke")
        cls.release = PressReleasePageFactory(
            parent=cls.newsroom,
            title="Masterplan Industrie",
            slug="masterplan-industrie",
            contact=cls.contact,
            body=[
                body_paragraph("<p>Zum Jahresauftakt.</p>"),
                body_quote("<p>Wir bündeln Kräfte.</p>", "Dr. Stephan Keller", "Oberbürgermeister"),
                body_image(cls.photo, caption="Im Rathaus", credit="David Young"),
            ],
        )

    def test_releases_live_only_in_a_newsroom(self):
        self.assertCanCreateAt(PressIndexPage, PressReleasePage)
        self.assertCanNotCreateAt(HomePage, PressReleasePage)
        self.assertCanNotCreateAt(Page, PressReleasePage)
        self.assertCanNotCreateAt(PressReleasePage, PressReleasePage)
        self.assertAllowedParentPageTypes(PressReleasePage, {PressIndexPage})

    def test_newsroom_holds_only_releases_and_a_release_holds_nothing(self):
        self.assertAllowedSubpageTypes(PressIndexPage, {PressReleasePage})
        self.assertAllowedSubpageTypes(PressReleasePage, set())
        self.assertCanCreateAt(HomePage, PressIndexPage)

    def test_pages_and_their_routes_render(self):
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(self.newsroom)
        self.assertPageIsRenderable(self.newsroom, route_path="rss/")
        self.assertPageIsRenderable(self.release)
        self.assertPageIsRenderable(self.release, route_path="text/")
        self.assertPageIsRenderable(self.release, route_path="gibt-es-nicht/", accept_404=True)

    def test_release_is_editable_and_previewable_in_the_admin(self):
        # The StreamField editor builds its inputs in the browser, so the POST is spelt out.
        post_data = nested_form_data(
            {
                "title": "Masterplan Industrie (aktualisiert)",
                "slug": "masterplan-industrie",
                "release_date": "2023-02-07",
                "lead": "",
                "contact": str(self.contact.pk),
                "corrections": inline_formset([]),
                "subscriber_mailing": inline_formset([]),
                "distribution_choices": inline_formset([]),
                "related_links": inline_formset([]),
                "body": streamfield([("paragraph", rich_text("<p>Neu gefasst.</p>"))]),
            }
        )
        self.assertPageIsEditable(self.release, post_data=post_data)
        self.assertPageIsPreviewable(self.release, post_data=post_data)

    def test_newsroom_is_editable(self):
        self.assertPageIsEditable(self.newsroom)

    def test_editor_creates_and_publishes_a_release_with_every_block(self):
        self.login()
        self.assertCanCreate(
            self.newsroom,
            PressReleasePage,
            nested_form_data(
                {
                    "title": "Radschnellweg eröffnet",
                    "release_date": "2023-03-01",
                    "lead": "",
                    "contact": str(self.contact.pk),
                    "corrections": inline_formset([]),
                    "subscriber_mailing": inline_formset([]),
                    "distribution_choices": inline_formset([]),
                    "related_links": inline_formset([]),
                    "body": streamfield(
                        [
                            ("paragraph", rich_text("<p>Der Weg ist frei.</p>")),
                            (
                                "quote",
                                {
                                    "text": rich_text("<p>Endlich!</p>"),
                                    "name": "Dr. Stephan Keller",
                                    "role": "Oberbürgermeister",
                                },
                            ),
                            (
                                "image",
                                {
                                    "image": str(self.photo.pk),
                                    "caption": "Eröffnung",
                                    "credit": "David Young",
                                    "alt": "",
                                },
                            ),
                        ]
                    ),
                }
            ),
        )
        created = PressReleasePage.objects.get(slug="radschnellweg-eroffnet")
        assert created.live
        assert created.release_date == datetime.date(2023, 3, 1)
        assert [block.block_type for block in created.body] == ["paragraph", "quote", "image"]
        assert created.body[2].value["credit"] == "David Young"

    def test_editor_can_write_what_the_importer_makes_subheadings_lists_and_links(self):
        self.login()
        html = (
            "<h2>Die Maßnahmen</h2><h3>Im Norden</h3>"
            "<ul><li>Tempo 30<ul><li>vor Schulen</li></ul></li></ul><ol><li>Anhalten</li></ol>"
            '<p><b>Fett</b>, <i>kursiv</i>, <a href="https://www.duesseldorf.de">Link</a>, '
            "Zeile<br/>Umbruch, CO<sub>2</sub>, m<sup>2</sup></p>"
        )
        data = nested_form_data(
            {
                "title": "Masterplan Industrie",
                "slug": "masterplan-industrie",
                "release_date": "2023-02-07",
                "lead": "",
                "contact": str(self.contact.pk),
                # What the editor's browser sends for this content.
                "corrections": inline_formset([]),
                "subscriber_mailing": inline_formset([]),
                "distribution_choices": inline_formset([]),
                "related_links": inline_formset([]),
                "body": streamfield([("paragraph", rich_text(html, features=PARAGRAPH_FEATURES))]),
            }
        )
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=[self.release.pk]), data
        )

        assert response.status_code == 302
        draft = PressReleasePage.objects.get(pk=self.release.pk).get_latest_revision_as_object()
        saved = draft.body[0].value.source
        assert re.sub(r' data-block-key="[^"]*"', "", saved) == html

    def test_editor_cannot_publish_a_photo_without_credit(self):
        self.login()
        data = nested_form_data(
            {
                "title": "Ohne Bildnachweis",
                "slug": "ohne-bildnachweis",
                "release_date": "2023-03-01",
                "contact": str(PressContactFactory().pk),
                "corrections": inline_formset([]),
                "subscriber_mailing": inline_formset([]),
                "distribution_choices": inline_formset([]),
                "related_links": inline_formset([]),
                "body": streamfield(
                    [
                        (
                            "image",
                            {"image": str(self.photo.pk), "caption": "", "credit": "", "alt": ""},
                        )
                    ]
                ),
                "action-publish": "action-publish",
            }
        )
        add_url = reverse(
            "wagtailadmin_pages:add", args=["press", "pressreleasepage", self.newsroom.pk]
        )
        response = self.client.post(add_url, data)

        assert response.status_code == 200  # the form again, with the error
        assert list(response.context["form"].errors) == ["body"]
        assert not PressReleasePage.objects.filter(slug="ohne-bildnachweis").exists()

    def test_editor_cannot_save_control_characters_in_the_title_or_a_block_field(self):
        """A vertical tab pasted into the title, an escape into a quote's name and a DEL into a
        caption: the edit form comes back with the error at each field, in German, and the
        release keeps its title."""
        self.login()
        data = nested_form_data(
            {
                "title": "Masterplan\x0bIndustrie",
                "slug": "masterplan-industrie",
                "release_date": "2023-02-07",
                "lead": "",
                "contact": str(self.contact.pk),
                "corrections": inline_formset([]),
                "subscriber_mailing": inline_formset([]),
                "distribution_choices": inline_formset([]),
                "related_links": inline_formset([]),
                "body": streamfield(
                    [
                        (
                            "quote",
                            {
                                "text": rich_text("<p>Endlich!</p>"),
                                "name": "Dr. Stephan\x1b Keller",
                                "role": "Oberbürgermeister",
                            },
                        ),
                        (
                            "image",
                            {
                                "image": str(self.photo.pk),
                                "caption": "Im Rathaus\x7f",
                                "credit": "David Young",
                                "alt": "",
                            },
                        ),
                    ]
                ),
            }
        )
        response = self.client.post(
            reverse("wagtailadmin_pages:edit", args=[self.release.pk]), data
        )

        assert response.status_code == 200  # the form again, with the errors
        form = response.context["form"]
        assert set(form.errors) == {"title", "body"}
        assert form.errors["title"] == [
            "Der Text enthält ein unsichtbares Steuerzeichen (U+000B), meist beim Einfügen "
            "mitkopiert. Bitte löschen Sie es oder tippen Sie den Text neu."
        ]
        blocks = form.errors.as_data()["body"][0].block_errors
        assert set(blocks) == {0, 1}
        assert set(blocks[0].block_errors) == {"name"}
        assert "Steuerzeichen (U+001B)" in blocks[0].block_errors["name"].messages[0]
        assert set(blocks[1].block_errors) == {"caption"}
        assert "Steuerzeichen (U+007F)" in blocks[1].block_errors["caption"].messages[0]
        self.release.refresh_from_db()
        assert self.release.title == "Masterplan Industrie"

    def test_every_body_block_has_a_rendering_admin_preview(self):
        self.login()
        body = PressReleasePage._meta.get_field("body").stream_block
        expected = {
            "paragraph": "CO<sub>2</sub>",
            "quote": "Dr. Stephan Keller",
            "image": "©Landeshauptstadt Düsseldorf/David Young",
        }
        assert set(body.child_blocks) == set(expected)
        for name, block in body.child_blocks.items():
            assert block.is_previewable, name
            response = self.client.get(
                reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
            )
            assert response.status_code == 200, name
            assert expected[name] in response.content.decode(), name


def image_value(image, **overrides):
    block = ImageWithCreditBlock()
    return block.to_python(
        {
            "image": image.pk,
            "caption": "Im Rathaus",
            "credit": "David Young",
            "alt": "",
            **overrides,
        }
    )


@pytest.mark.django_db
def test_image_block_without_credit_does_not_validate():
    block = ImageWithCreditBlock()
    photo = ImageFactory()
    with pytest.raises(ValidationError):
        block.clean(image_value(photo, credit=""))
    assert block.clean(image_value(photo))["credit"] == "David Young"


@pytest.mark.django_db
def test_image_block_without_image_does_not_validate():
    block = ImageWithCreditBlock()
    value = block.to_python({"image": None, "caption": "", "credit": "David Young", "alt": ""})
    with pytest.raises(ValidationError):
        block.clean(value)


@pytest.mark.django_db
def test_body_with_an_uncredited_photo_does_not_validate():
    body = PressBodyBlock()
    photo = ImageFactory()
    value = StreamValue(
        body,
        [
            ("paragraph", RichText("<p>Text.</p>")),
            ("image", image_value(photo, credit="")),
        ],
    )
    with pytest.raises(StreamBlockValidationError):
        body.clean(value)


def test_quote_needs_a_name_but_not_a_role():
    block = QuoteBlock()
    with_role_missing = block.to_python({"text": "<p>Gut so.</p>", "name": "Keller", "role": ""})
    assert block.clean(with_role_missing)["name"] == "Keller"
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"text": "<p>Gut so.</p>", "name": "", "role": "OB"}))


@pytest.mark.parametrize(
    "character", ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"]
)
@pytest.mark.django_db
def test_a_control_character_in_a_title_or_lead_does_not_validate(character, newsroom):
    release = PressReleasePageFactory(parent=newsroom, title="Radweg eröffnet")
    for field in ("title", "seo_title", "search_description", "lead"):
        release.refresh_from_db()
        setattr(release, field, f"Radweg{character} eröffnet")
        with pytest.raises(ValidationError) as caught:
            release.full_clean()
        assert list(caught.value.message_dict) == [field]
        with pytest.raises(ValidationError):
            release.save_revision()  # the importer and every other save refuse it too
    newsroom.title = f"Presse{character}"
    with pytest.raises(ValidationError) as caught:
        newsroom.full_clean()
    assert list(caught.value.message_dict) == ["title"]


@pytest.mark.django_db
def test_tab_and_line_breaks_are_no_control_characters_for_the_lead(newsroom):
    release = PressReleasePageFactory(parent=newsroom, title="Radweg eröffnet")
    release.lead = "Erste Zeile\r\nZweite\tZeile"
    release.full_clean()


@pytest.mark.parametrize(
    ("block", "field"),
    [
        (QuoteBlock(), "name"),
        (QuoteBlock(), "role"),
        (ImageWithCreditBlock(), "caption"),
        (ImageWithCreditBlock(), "credit"),
        (ImageWithCreditBlock(), "alt"),
    ],
)
@pytest.mark.django_db
def test_a_control_character_in_a_block_text_field_does_not_validate(block, field):
    if isinstance(block, QuoteBlock):
        raw = {"text": "<p>Endlich!</p>", "name": "Jan Hoffmann", "role": "Sprecher"}
    else:
        raw = {"image": ImageFactory().pk, "caption": "Im Rathaus", "credit": "Stadt", "alt": ""}
    assert block.clean(block.to_python(raw))  # valid as it is
    value = block.to_python({**raw, field: raw[field] + "\x1b"})
    with pytest.raises(ValidationError) as caught:
        block.clean(value)
    assert set(caught.value.block_errors) == {field}
    assert "U+001B" in caught.value.block_errors[field].messages[0]
