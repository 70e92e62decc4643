"""The print version: a PDF per release in the layout of the printed Pressedienst."""

import io

import pytest
from pypdf import PdfReader

from press import printing
from tests.factories import (
    ImageFactory,
    PressContactFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    body_quote,
)

LONG_PARAGRAPH = (
    "<p>Der Masterplan Industrie ist eine Initiative von Stadt, IHK, Industrieunternehmen, "
    "Verbänden und Vereinen zur Sicherung und Weiterentwicklung des Industriestandortes "
    "Düsseldorf im Rahmen der vertrauensvollen Zusammenarbeit zwischen Stadt und Industrie.</p>"
)


@pytest.fixture
def release(newsroom):
    photo = ImageFactory(title="Hafen")
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Masterplan Industrie: Konstante Zusammenarbeit",
        slug="masterplan-industrie",
        contact=PressContactFactory(
            name="Michael Bergmann", email="michael.bergmann@duesseldorf.de", phone="0211 89-93132"
        ),
        body=[
            *[body_paragraph(LONG_PARAGRAPH) for _ in range(12)],
            body_quote("<p>CO<sub>2</sub> sinkt.</p>", "Dr. Stephan Keller", "Oberbürgermeister"),
            body_image(
                photo, caption="Der Hafen", credit="Landeshauptstadt Düsseldorf/Melanie Zanin"
            ),
        ],
    )
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def pages_of(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_print_version_has_the_pressedienst_layout(client, release):
    response = client.get(release.url + "pdf/")

    assert response["Content-Disposition"] == 'inline; filename="20230207-masterplan-industrie.pdf"'
    pages = pages_of(response)
    assert len(pages) >= 2
    first, *following = pages
    assert first.startswith("Pressedienst Landeshauptstadt Düsseldorf 07. Februar 2023")
    assert "Masterplan Industrie: Konstante Zusammenarbeit" in first
    assert "Seite" not in first.split("Düsseldorf")[0]
    for number, page in enumerate(following, start=2):  # the running head of the page
        assert f"Masterplan Industrie: Konstante Zusammenarbeit Seite {number}" in page
    text = " ".join(pages)
    assert "Dr. Stephan Keller, Oberbürgermeister:" in text
    assert "Der Hafen ©Landeshauptstadt Düsseldorf/Melanie Zanin" in text
    assert "Kontakt: Michael Bergmann" in text and "0211 89-93132" in text
    assert f"{release.full_url}text/" in text.replace(" ", "")


def test_the_photo_is_in_the_pdf(client, release):
    reader = PdfReader(io.BytesIO(client.get(release.url + "pdf/").content))
    images = {image.data: image for page in reader.pages for image in page.images}
    assert len(images) == 1
    assert next(iter(images.values())).image.width == printing.PRINT_WIDTH


def test_german_words_are_hyphenated_at_line_ends(client, release):
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(client.get(release.url + "pdf/").content)).pages
    )
    hyphens = ("-", "\u2010")  # WeasyPrint may set the typographic hyphen
    assert any(line.rstrip().endswith(hyphens) for line in text.splitlines())


def test_the_pdf_is_made_once_per_publication_and_answers_304(client, release, monkeypatch):
    first = client.get(release.url + "pdf/")
    calls = []
    monkeypatch.setattr(
        printing, "release_pdf_render", lambda **kwargs: calls.append(kwargs) or b"%PDF-new"
    )
    assert client.get(release.url + "pdf/").content == first.content  # from the cache
    assert calls == []
    assert client.get(release.url + "pdf/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    release.title = "Masterplan Industrie 2030"
    release.save_revision().publish()

    assert client.get(release.url + "pdf/").content == b"%PDF-new"
    assert len(calls) == 1


def test_the_print_version_fetches_no_outside_address():
    with pytest.raises(ValueError, match="no outside address"):
        printing.rendition_fetcher("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValueError):
        printing.rendition_fetcher("file:///etc/passwd")


def test_a_withdrawn_release_has_no_print_version(client, release):
    release.unpublish()
    assert client.get(release.url + "pdf/").status_code == 404
