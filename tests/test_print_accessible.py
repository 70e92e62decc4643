"""The print version is a tagged PDF/UA-1 document (BITV 2.0, EN 301 549): opened with pikepdf,
its structure tree, language, title, figures' alternative texts and artifacts are what a screen
reader reads — on the seed release and on one with headings, lists and several photos."""

import io

import pikepdf
import pytest

from home.management.commands.load_demo_content import Command as DemoContent
from press import printing
from press.models import PressReleasePage
from tests.factories import (
    ImageFactory,
    PressReleasePageFactory,
    body_image,
    body_paragraph,
    body_quote,
)

SEED_TITLE = "Masterplan Industrie: Konstante Zusammenarbeit in herausfordernden Zeiten"
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


def pdf_of(client, release) -> pikepdf.Pdf:
    response = client.get(release.url + "pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pikepdf.open(io.BytesIO(response.content))


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure elements in reading order (depth first, as a screen reader reads)."""
    found = []

    def walk(node):
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def tags(pdf: pikepdf.Pdf) -> list[str]:
    return [str(element.S)[1:] for element in structure(pdf)]


def text_marking(page) -> list[str]:
    """For each text-showing operator on the page, how it is marked: "tagged" (marked content
    with an MCID, part of the structure tree), "artifact" or "unmarked"."""
    stack: list[str] = []
    marks = []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in {"BMC", "BDC"}:
            tag = str(operands[0])
            properties = operands[1] if len(operands) > 1 else None
            if tag == "/Artifact":
                stack.append("artifact")
            elif isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                stack.append("tagged")
            else:
                stack.append(stack[-1] if stack else "unmarked")
        elif name == "EMC" and stack:
            stack.pop()
        elif name in TEXT_SHOWING:
            marks.append(stack[-1] if stack else "unmarked")
    return marks


def assert_pdf_ua(pdf: pikepdf.Pdf, *, title: str, language: str = "de-DE") -> None:
    assert str(pdf.Root.Lang) == language
    assert str(pdf.docinfo.Title) == title
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True  # title as window title
    assert bool(pdf.Root.MarkInfo.Marked) is True
    with pdf.open_metadata() as meta:
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == title
    # Every text on every page is either in the structure tree or an artifact (the running
    # head and the office's line at the foot of each page, which a reader should skip).
    for number, page in enumerate(pdf.pages, start=1):
        marks = text_marking(page)
        assert "unmarked" not in marks, f"page {number}"
        assert "artifact" in marks, f"page {number} has no running head or foot as artifact"
        assert "tagged" in marks


@pytest.fixture
def printed_release(newsroom):
    photos = [ImageFactory(title=f"IMG_{n}.jpg") for n in range(3)]
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Neue Radwege für Bilk",
        lead="Die Stadt baut drei Radwege.",
        body=[
            body_paragraph(
                "<p>Die Bauarbeiten beginnen im Mai.</p><h2>Die Strecken</h2>"
                "<ul><li>Bilker Allee</li><li>Kopernikusstraße</li></ul>"
                "<h3>Zeitplan</h3><ol><li>Planung</li><li>Bau</li></ol>"
            ),
            body_quote("<p>Ein guter Tag für Bilk.</p>", "Jana Muster", "Beigeordnete"),
            *[
                body_image(
                    photo,
                    caption=f"Strecke {n}",
                    credit="Landeshauptstadt Düsseldorf/Jana Muster",
                    alt=f"Radweg {n} an der Bilker Allee mit grüner Markierung",
                )
                for n, photo in enumerate(photos, start=1)
            ],
        ],
    )
    release.save_revision().publish()
    release.refresh_from_db()
    return release


def test_a_release_with_headings_lists_and_photos_is_a_tagged_pdf_ua(client, printed_release):
    pdf = pdf_of(client, printed_release)

    assert_pdf_ua(pdf, title="Neue Radwege für Bilk")
    found = tags(pdf)
    # Reading order: title, lead, the body's paragraph, headings and lists, the quote, photos.
    headings = [tag for tag in found if tag in {"H1", "H2", "H3"}]
    assert headings == ["H1", "H2", "H3"]
    assert found.index("H1") < found.index("H2") < found.index("L") < found.index("H3")
    assert found.count("L") == 2 and found.count("LI") == 4
    assert "BlockQuote" in found
    figures = [element for element in structure(pdf) if element.S == "/Figure"]
    assert [str(figure.Alt) for figure in figures] == [
        f"Radweg {n} an der Bilker Allee mit grüner Markierung" for n in (1, 2, 3)
    ]
    # Each photo's caption with its ©credit is text, tagged as the figure's caption.
    assert found.count("Caption") == 3
    assert found.index("Figure") < found.index("Caption")


def test_the_seed_release_is_a_tagged_pdf_ua(client, newsroom):
    # The seed as `make run` imports it (without the other archive samples).
    command = DemoContent(stdout=io.StringIO())
    command.seed_ensure(newsroom=newsroom, placeholder=command.placeholder_ensure())
    release = PressReleasePage.objects.get(title=SEED_TITLE)

    pdf = pdf_of(client, release)

    assert_pdf_ua(pdf, title=SEED_TITLE)
    (figure,) = [element for element in structure(pdf) if element.S == "/Figure"]
    # The archive's own alternative text of the photo, not the stand-in's file name.
    assert str(figure.Alt).startswith("Andreas Schmitz, Präsident der IHK Düsseldorf")
    assert "H1" in tags(pdf) and "Caption" in tags(pdf)


@pytest.mark.parametrize(
    ("language", "tag"),
    [("de", "de-DE"), ("de-at", "de-AT"), ("en", "en"), ("en_GB", "en-GB"), ("", "de-DE")],
)
def test_the_pdf_language_is_a_bcp47_tag(language, tag):
    assert printing.pdf_language_tag(language) == tag
