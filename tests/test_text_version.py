"""The plain-text version of a release: what a journalist's mail client shows, and what the
importer reads back (the round trip). Pure functions, no database."""

import dataclasses
import datetime
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from press.importer.parse import ParsedImage, ParsedRelease, ReleaseParseError, release_parse
from press.text import MONTHS_EN, TextLabels, german_long_date, html_to_text, release_render_text

FIXTURES = Path(__file__).resolve().parent / "fixtures_releases"
SEED_NAME = "pressedienst-2023-02-07-masterplan-industrie"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
SEED_DIR = SHARED if (SHARED / f"{SEED_NAME}.txt").exists() else FIXTURES

OFFICE = {
    "office_name": "Landeshauptstadt Düsseldorf",
    "service_name": "Pressedienst",
    "download_sentence": (
        "Zu Ihrer redaktionellen Verwendung stellen wir Ihnen folgendes Material zum Download "
        "zur Verfügung:"
    ),
}
KELLER = {"name": "Dr. Stephan Keller", "role": "Oberbürgermeister"}
CONTACT = {
    "name": "Annemarie Wotschke",
    "email": "presse@duesseldorf.de",
    "phone": "+49.211.89-93131",
}
PHOTO_URL = "https://www.duesseldorf.de/media/original_images/radweg-koe.jpg"


def render(**release) -> str:
    kwargs = {"lead": "", "contact": None, "text_url": None, **OFFICE, **release}
    return release_render_text(**kwargs)


def render_parsed(parsed: ParsedRelease, *, width: int = 72) -> str:
    """A parsed release as the CMS would hold it, rendered as text."""
    body = []
    for block_type, value in parsed.body:
        if block_type == "paragraph":
            body.append({"type": "paragraph", "value": {"html": value}})
        elif block_type == "quote":
            body.append({"type": "quote", "value": dict(value)})
        else:
            assert isinstance(value, ParsedImage)
            image = {"caption": value.caption, "credit": value.credit, "alt": value.alt}
            body.append({"type": "image", "value": {**image, "url": value.source_url}})
    return render(
        title=parsed.title,
        release_date=parsed.release_date,
        body=body,
        contact=dataclasses.asdict(parsed.contact) if parsed.contact else None,
        text_url=parsed.text_url,
        width=width,
    )


def fixture(name: str) -> ParsedRelease:
    directory = SEED_DIR if name == SEED_NAME else FIXTURES
    return release_parse((directory / f"{name}.txt").read_text(encoding="utf-8"))


# Releases whose text version keeps everything (no links, bold or italics in them).
LOSSLESS_FIXTURES = [
    SEED_NAME,
    "pressedienst-2021-10-21-klimaschutz-klartext",
    "pressedienst-2022-12-15-weihnachtsmarkt",
    "pressedienst-2025-01-09-wasserstoff",
]
ALL_FIXTURES = [
    *LOSSLESS_FIXTURES,
    "pressedienst-2023-06-30-rheinufer",
    "pressedienst-2024-03-07-radwege",
    "pressedienst-2024-09-12-schulwege",
]


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("date", "text"),
    [
        (datetime.date(2023, 1, 7), "07. Januar 2023"),
        (datetime.date(2023, 2, 7), "07. Februar 2023"),
        (datetime.date(2023, 3, 1), "01. März 2023"),
        (datetime.date(2023, 4, 30), "30. April 2023"),
        (datetime.date(2023, 5, 15), "15. Mai 2023"),
        (datetime.date(2023, 6, 9), "09. Juni 2023"),
        (datetime.date(2023, 7, 31), "31. Juli 2023"),
        (datetime.date(2023, 8, 8), "08. August 2023"),
        (datetime.date(2023, 9, 10), "10. September 2023"),
        (datetime.date(2023, 10, 3), "03. Oktober 2023"),
        (datetime.date(2023, 11, 11), "11. November 2023"),
        (datetime.date(2024, 12, 24), "24. Dezember 2024"),
    ],
)
def test_date_is_written_in_german_long_form(date, text):
    assert german_long_date(date) == text


@pytest.mark.parametrize("month", range(1, 13))
def test_written_date_is_read_back_for_every_month(month):
    date = datetime.date(2025, month, 28)
    text = render(title="Titel", release_date=date, body=[])
    assert release_parse(text).release_date == date


# --------------------------------------------------------------------------- html_to_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Die CO<sub>2</sub>-Emissionen</p>", "Die CO₂-Emissionen"),
        ("<p>12.000 m<sup>2</sup> und 10<sup>-3</sup></p>", "12.000 m² und 10⁻³"),
        ("<p>H<sub>2</sub>O</p>", "H₂O"),
        ("<p>Fußnote<sup>a</sup> und X<sub>max</sub></p>", "Fußnotea und Xmax"),
        ('<p>Mehr <a href="https://www.duesseldorf.de/a">hier</a>.</p>',
         "Mehr hier (https://www.duesseldorf.de/a)."),
        ('<p>Siehe <a href="https://www.duesseldorf.de">https://www.duesseldorf.de</a></p>',
         "Siehe https://www.duesseldorf.de"),
        ('<p><a href="mailto:presse@duesseldorf.de">presse@duesseldorf.de</a></p>',
         "presse@duesseldorf.de"),
        ('<p>Zur <a linktype="page" id="3">Übersicht</a></p>', "Zur Übersicht"),
        ("<p>a &amp; b &lt; c &gt; d &quot;e&quot; &#8364;</p>", 'a & b < c > d "e" €'),
        ("<p><b>fett</b> und <i>kursiv</i></p>", "fett und kursiv"),
        ("<p>Eins</p><p>Zwei</p>", "Eins\n\nZwei"),
        ("<p>Zeile<br/>Zweite</p>", "Zeile\nZweite"),
        ("<p>Vorher:</p><ul><li>Eins</li><li>Zwei</li></ul>", "Vorher:\n\n  • Eins\n  • Zwei"),
        ("<ol><li>A<ul><li>B</li></ul></li></ol><p>Nach</p>", "  1. A\n     • B\n\nNach"),
        ('<ol start="9"><li>Neun</li><li>Zehn<ol><li>a</li></ol></li></ol>',
         "  9. Neun\n  10. Zehn\n      1. a"),
        ("<ul><li>Eins<br/>weiter</li></ul>", "  • Eins\n    weiter"),
        ("<h2>Kopf</h2><p>Text</p><h3>Unter<br/>zeile</h3>",
         "Kopf\n====\n\nText\n\nUnter\nzeile\n-----"),
        ("<h2>A</h2>", "A\n==="),
        ("<p>  viel \n  Raum\t hier </p>", "viel Raum hier"),
        ("<p>5\u00a0%</p>", "5\u00a0%"),
        ("<script>alert(1)</script><p>sicher</p>", "sicher"),
        ("Nur <b>inline</b> ohne Absatz", "Nur inline ohne Absatz"),
        ("", ""),
    ],
)  # fmt: skip
def test_rich_text_becomes_plain_text(html, text):
    assert html_to_text(html) == text


# --------------------------------------------------------------------------- layout


def test_layout_of_a_release_as_a_mail_client_shows_it():
    text = render(
        title="Neue Radwege in Bilk",
        release_date=datetime.date(2024, 3, 7),
        body=[
            {"type": "paragraph", "value": {"html": "<p>Auf 2.500 m<sup>2</sup> &amp; mehr.</p>"}},
            {"type": "quote", "value": {"text": "<p>Wir sparen CO<sub>2</sub>.</p>", **KELLER}},
            {"type": "quote", "value": {"text": "Gut so.", "name": "Jan Hoffmann", "role": ""}},
            {
                "type": "image",
                "value": {
                    "caption": "Radweg an der Kö",
                    "credit": "Landeshauptstadt Düsseldorf/Ingo Lammert",
                    "alt": "",
                    "url": PHOTO_URL,
                },
            },
        ],
        contact=CONTACT,
        text_url="https://www.duesseldorf.de/presse/radwege/text/",
    )
    assert text == (
        "Landeshauptstadt Düsseldorf\n"
        "Pressedienst\n"
        "\n"
        "07. März 2024\n"
        "\n"
        "Neue Radwege in Bilk\n"
        "\n"
        "Auf 2.500 m² & mehr.\n"
        "\n"
        "Dr. Stephan Keller, Oberbürgermeister: „Wir sparen CO₂.“\n"
        "\n"
        "Jan Hoffmann: „Gut so.“\n"
        "\n"
        "Zu Ihrer redaktionellen Verwendung stellen wir Ihnen folgendes Material\n"
        "zum Download zur Verfügung:\n"
        "\n"
        "Radweg an der Kö, ©Landeshauptstadt Düsseldorf/Ingo Lammert\n"
        f"{PHOTO_URL}\n"
        "\n"
        "Textversion:\n"
        "https://www.duesseldorf.de/presse/radwege/text/\n"
        "\n"
        "Kontakt: Annemarie Wotschke\n"
        "presse@duesseldorf.de, Telefon +49.211.89-93131\n"
    )


def test_lists_and_headings_as_a_mail_client_shows_them():
    text = render(
        title="Schulwege",
        release_date=datetime.date(2024, 9, 12),
        body=[
            paragraph("<h2>Die Maßnahmen im Überblick für alle Grundschulen</h2>"),
            paragraph(
                "<ul><li>Tempo 30 vor allen Grundschulen der Stadt, auch am Wochenende</li>"
                "<li>neue Zebrastreifen<ul><li>an der Lindemannstraße</li></ul></li></ul>"
            ),
            paragraph("<h3>Ablauf</h3>"),
            paragraph(
                '<ol start="9"><li>Anhalten</li><li>Kind aussteigen lassen und dann weiter'
                "</li></ol>"
            ),
        ],
        width=40,
    )
    assert text.split("Schulwege\n\n", 1)[1] == (
        "Die Maßnahmen im Überblick für alle\n"
        "Grundschulen\n"
        "===================================\n"
        "\n"
        "  • Tempo 30 vor allen Grundschulen der\n"
        "    Stadt, auch am Wochenende\n"
        "  • neue Zebrastreifen\n"
        "    • an der Lindemannstraße\n"
        "\n"
        "Ablauf\n"
        "------\n"
        "\n"
        "  9. Anhalten\n"
        "  10. Kind aussteigen lassen und dann\n"
        "      weiter\n"
    )


def test_a_caption_ending_in_a_full_stop_gets_no_comma_before_the_credit():
    body = [
        image("Der neue Zebrastreifen.", "Stadt/Ingo Lammert", PHOTO_URL),
        image("Wer kommt?", "Stadt", "https://x.de/b.jpg"),
        image("Ohne Punkt", "Stadt", "https://x.de/c.jpg"),
    ]
    text = render(title="T", release_date=datetime.date(2024, 9, 12), body=body)
    assert "Der neue Zebrastreifen. ©Stadt/Ingo Lammert\n" in text
    assert "Wer kommt? ©Stadt\n" in text
    assert "Ohne Punkt, ©Stadt\n" in text
    assert ".," not in text and "?," not in text
    captions = [value.caption for kind, value in release_parse(text).body if kind == "image"]
    assert captions == ["Der neue Zebrastreifen.", "Wer kommt?", "Ohne Punkt"]


def skeleton(html: str) -> list[str]:
    """The block structure of rich text: its list, item and heading tags in order."""
    return re.findall(r"</?(?:ul|ol|li|h2|h3)\b[^>]*>", html)


@pytest.mark.parametrize("width", [72, 30])
def test_lists_and_headings_of_an_archive_release_come_back_from_its_text_version(width):
    parsed = fixture("pressedienst-2024-09-12-schulwege")
    again = release_parse(render_parsed(parsed, width=width))
    assert [kind for kind, _ in again.body] == [kind for kind, _ in parsed.body]
    for (kind, before), (_kind, after) in zip(parsed.body, again.body, strict=True):
        if kind == "paragraph":
            assert skeleton(after) == skeleton(before)
            # Emphasis, a link's markup and a line break are what plain text cannot keep; the
            # words (a link as "text (address)") stay.
            assert html_to_text(after).split() == html_to_text(before).split()
    assert "<ul><li>Tempo 30 vor allen Grundschulen</li>" in again.body[1][1]
    assert again.body[4][1].count("<li>") == 4  # the list the page break cut is one list


def test_links_are_written_as_text_and_address():
    parsed = fixture("pressedienst-2024-03-07-radwege")
    text = render_parsed(parsed)
    assert (
        "Weitere Informationen gibt es unter www.duesseldorf.de/radwege\n"
        "(https://www.duesseldorf.de/radwege) und im Bürgerbüro." in text
    )


def test_lead_is_written_after_the_title_and_comes_back_as_the_first_paragraph():
    paragraph = {"type": "paragraph", "value": {"html": "<p>Der Text.</p>"}}
    text = render(
        title="Titel",
        release_date=datetime.date(2024, 3, 7),
        lead="Das Wichtigste\nin einem Satz.",
        body=[paragraph],
    )
    assert "Titel\n\nDas Wichtigste in einem Satz.\n\nDer Text.\n" in text
    assert release_parse(text).body == [
        ("paragraph", "<p>Das Wichtigste in einem Satz.</p>"),
        ("paragraph", "<p>Der Text.</p>"),
    ]


def test_consecutive_photos_share_one_download_sentence_where_they_stand():
    def photo(name):
        return {"type": "image", "value": {"caption": name, "credit": "Stadt", "alt": "",
                                           "url": f"https://x.de/{name}.jpg"}}  # fmt: skip

    paragraph = {"type": "paragraph", "value": {"html": "<p>Dazwischen.</p>"}}
    body = [photo("a"), photo("b"), paragraph, photo("c")]
    text = render(title="T", release_date=datetime.date(2024, 1, 2), body=body)
    assert text.count(OFFICE["download_sentence"].split()[0]) == 2
    assert text.index("a, ©Stadt") < text.index("b, ©Stadt") < text.index("Dazwischen.")
    assert [kind for kind, _ in release_parse(text).body] == [
        "image", "image", "paragraph", "image",
    ]  # fmt: skip


def test_an_office_s_own_download_sentence_is_read_back_too():
    photo = image("Foto", "Stadt", "https://x.de/foto.jpg")
    text = release_render_text(
        title="T",
        release_date=datetime.date(2024, 1, 2),
        lead="",
        body=[paragraph("<p>Text.</p>"), photo],
        contact=None,
        office_name="Stadt Musterhausen",
        service_name="Presseamt",
        download_sentence="Fotos zum Herunterladen:",
    )
    assert "Text.\n\nFotos zum Herunterladen:\n\nFoto, ©Stadt\nhttps://x.de/foto.jpg\n" in text
    assert release_parse(text).body == [
        ("paragraph", "<p>Text.</p>"),
        ("image", ParsedImage("https://x.de/foto.jpg", "foto.jpg", "Foto", "Stadt", "Foto")),
    ]


def test_photo_without_an_original_is_left_out():
    image = {"type": "image", "value": {"caption": "Ohne", "credit": "X", "alt": "", "url": ""}}
    text = render(title="T", release_date=datetime.date(2024, 1, 2), body=[image])
    assert "Ohne" not in text
    assert "Zu Ihrer" not in text


# --------------------------------------------------------------------------- plain text only


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_text_version_has_no_tags_entities_or_markdown(name):
    text = render_parsed(fixture(name))
    assert not re.search(r"</?[a-zA-Z][^>]*>", text)
    assert not re.search(r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);", text)
    for markdown in ("**", "###", "\\_", "](", "<http"):
        assert markdown not in text
    assert "\r" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(line == line.rstrip() for line in text.split("\n"))


def test_seed_text_version_shows_subscript_as_unicode():
    text = render_parsed(fixture(SEED_NAME))
    assert "CO₂-Emissionen" in text
    assert "CO2" not in text


@pytest.mark.parametrize("width", [30, 50, 72])
@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_lines_fit_the_width_and_addresses_and_words_stay_whole(name, width):
    parsed = fixture(name)
    text = render_parsed(parsed, width=width)
    lines = text.split("\n")
    for line in lines:
        assert len(line) <= width or " " not in line.strip(), line
    urls = [value.source_url for kind, value in parsed.body if kind == "image"]
    urls += [parsed.text_url] if parsed.text_url else []
    for url in urls:
        assert url in lines
    words = set(" ".join(html_to_text(v) for k, v in parsed.body if k == "paragraph").split())
    underlines = {word for word in words if re.fullmatch(r"=+|-+", word)}  # as long as the lines
    assert words - underlines <= set(text.split())


# --------------------------------------------------------------------------- round trip


def comparable(release: ParsedRelease) -> dict:
    return {
        "title": release.title,
        "date": release.release_date,
        "contact": release.contact,
        "text_url": release.text_url,
        "body": release.body,
    }


@pytest.mark.parametrize("name", LOSSLESS_FIXTURES)
@pytest.mark.parametrize("width", [72, 40])
def test_parse_render_parse_keeps_the_release(name, width):
    parsed = fixture(name)
    assert comparable(release_parse(render_parsed(parsed, width=width))) == comparable(parsed)


def image(caption: str, credit: str, url: str) -> dict:
    return {"type": "image", "value": {"caption": caption, "credit": credit, "alt": "", "url": url}}


def paragraph(html: str) -> dict:
    return {"type": "paragraph", "value": {"html": html}}


def quote(text: str, name: str, role: str = "") -> dict:
    return {"type": "quote", "value": {"text": text, "name": name, "role": role}}


HAND_BUILT = {
    "quotes-and-photos": dict(
        title="Masterplan 2030: CO₂ halbieren",
        body=[
            paragraph("<p>Die CO<sub>2</sub>-Emissionen sinken, 12.000 m<sup>2</sup> Dach.</p>"),
            quote("<p>Wir bündeln unsere Kräfte.</p>", **KELLER),
            quote("<p>Ich freue mich.</p>", "Jan Hoffmann"),
            image("Steuerungskreis im Rathaus (v.l.)", "Landeshauptstadt Düsseldorf/David Young",
                  "https://www.duesseldorf.de/media/original_images/steuerungskreis.JPG"),
            image("", "Destination Düsseldorf", "https://x.de/bilder/engelchen%20markt.jpg"),
        ],
        contact=CONTACT,
        text_url="https://www.duesseldorf.de/presse/masterplan/text/",
    ),
    "special-characters": dict(
        title="Preise < 10 € & mehr",
        body=[
            paragraph('<p>a &lt; b &amp; c &gt; d, "zitiert", 5\u00a0% und * und _ und \\.</p>'),
            quote("<p>Das Projekt „Blau“ ist gut.</p>", "Anna Schmidt", "Leiterin des Amtes"),
        ],
        contact={"name": "Jan Hoffmann", "email": "jan.hoffmann@duesseldorf.de", "phone": ""},
    ),
    "photos-between-paragraphs": dict(
        title="Bilder",
        body=[
            paragraph("<p>Erst Text.</p>"),
            image("Erstes Foto", "Stadt", "https://x.de/1.jpg"),
            paragraph("<p>Dann wieder Text.</p>"),
            image("Zweites Foto, lang " + "und länger " * 12, "Stadt/Ingo Lammert",
                  "https://www.duesseldorf.de/fileadmin/Amt13/pressebilder/2302/" + "x" * 60
                  + ".jpg"),
            image("Drittes Foto", "Stadt", "https://x.de/3.jpg"),
        ],
    ),
    "quote-over-two-paragraphs": dict(
        title="Zitat",
        body=[
            quote("<p>Erster Absatz des Zitats.</p><p>Zweiter Absatz.</p>",
                  "Prof. Dr. Anja Steinbeck", "Rektorin der Heinrich-Heine-Universität"),
            paragraph("<p>Danach ein Absatz.</p>"),
        ],
    ),
    "names-with-particles": dict(
        title="Besuch",
        body=[
            quote("<p>Europa ist stark.</p>", "Ursula von der Leyen", "Präsidentin der Kommission"),
            quote("<p>Willkommen.</p>", "Dr. Maria Müller", ""),
            quote("<p>Danke.</p>", "Keller", "Oberbürgermeister"),
        ],
        contact={"name": "Dr. Jana Müller", "email": "", "phone": "0211 89-12345"},
    ),
    "lists-and-headings": dict(
        title="Schulwege",
        body=[
            paragraph("<h2>Die Maßnahmen im Überblick</h2>"),
            paragraph("<p>Zum Schuljahr ändert sich einiges:</p>"),
            paragraph("<ul><li>Tempo 30 vor allen Grundschulen, auch am Wochenende und in den "
                      "Ferien</li><li>neue Zebrastreifen<ul><li>an der Lindemannstraße</li>"
                      "<li>an der Kölner Landstraße, gleich hinter der Kreuzung</li></ul></li>"
                      "<li>1. FC Köln * _ # &lt;b&gt; bleibt Text</li></ul>"),
            paragraph("<h3>So geht es</h3>"),
            paragraph("<ol><li>Anhalten</li><li>Kind aussteigen lassen<ol><li>rechts</li>"
                      "</ol></li></ol>"),
            paragraph('<ol start="12"><li>zwölf</li><li>dreizehn</li></ol>'),
            paragraph("<p>1. März: Start.</p>"),
            image("Der neue Zebrastreifen.", "Stadt/Ingo Lammert", "https://x.de/z.jpg"),
        ],
    ),
    "minimal": dict(title="Nur ein Titel", body=[]),
}  # fmt: skip


def expected_body(body: list[dict]) -> list[tuple[str, object]]:
    """What the importer must give back for `body` (quote text normalised to <p>)."""
    expected = []
    for block in body:
        value = block["value"]
        if block["type"] == "paragraph":
            expected.append(("paragraph", value["html"]))
        elif block["type"] == "quote":
            text = value["text"] if value["text"].startswith("<p>") else f"<p>{value['text']}</p>"
            expected.append(("quote", {**value, "text": text}))
        else:
            file_name = unquote(urlsplit(value["url"]).path.rsplit("/", 1)[-1])
            expected.append(
                (
                    "image",
                    ParsedImage(
                        source_url=value["url"],
                        file_name=file_name,
                        caption=" ".join(value["caption"].split()),
                        credit=value["credit"],
                        alt=" ".join(value["caption"].split()),
                    ),
                )
            )
    return expected


@pytest.mark.parametrize("width", [72, 30])
@pytest.mark.parametrize("case", HAND_BUILT, ids=str)
def test_render_parse_gives_back_the_release(case, width):
    release = {"release_date": datetime.date(2023, 3, 14), **HAND_BUILT[case]}
    parsed = release_parse(render(**release, width=width))
    assert parsed.title == release["title"]
    assert parsed.release_date == release["release_date"]
    assert parsed.body == expected_body(release["body"])
    contact = release.get("contact")
    assert (dataclasses.asdict(parsed.contact) if parsed.contact else None) == contact
    assert parsed.text_url == release.get("text_url")


# --------------------------------------------------------------------------- English

ENGLISH = {
    "labels": TextLabels(text_version="Text version", contact="Contact", phone="Phone"),
    "office_name": "City of Düsseldorf",
    "service_name": "Press service",
    "download_sentence": "The following material is available for editorial use:",
}


def english_date(date: datetime.date) -> str:
    """What the CMS writes with English active (Django's "F j, Y")."""
    return f"{MONTHS_EN[date.month - 1]} {date.day}, {date.year}"


def render_english(**release) -> str:
    kwargs = {"lead": "", "contact": None, "text_url": None, **ENGLISH, **release}
    kwargs.setdefault("date_text", english_date(kwargs["release_date"]))
    return release_render_text(**kwargs)


def test_english_layout_uses_the_labels_and_date_it_is_given():
    text = render_english(
        title="New cycle lanes",
        release_date=datetime.date(2024, 3, 7),
        body=[image("Cycle lane", "City/Ingo Lammert", PHOTO_URL)],
        contact=CONTACT,
        text_url="https://www.duesseldorf.de/presse/radwege/text/",
    )
    assert text == (
        "City of Düsseldorf\n"
        "Press service\n"
        "\n"
        "March 7, 2024\n"
        "\n"
        "New cycle lanes\n"
        "\n"
        "The following material is available for editorial use:\n"
        "\n"
        "Cycle lane, ©City/Ingo Lammert\n"
        f"{PHOTO_URL}\n"
        "\n"
        "Text version:\n"
        "https://www.duesseldorf.de/presse/radwege/text/\n"
        "\n"
        "Contact: Annemarie Wotschke\n"
        "presse@duesseldorf.de, Phone +49.211.89-93131\n"
    )


@pytest.mark.parametrize("month", range(1, 13))
def test_english_date_is_read_back_for_every_month(month):
    date = datetime.date(2025, month, 28)
    assert (
        release_parse(render_english(title="Title", release_date=date, body=[])).release_date
        == date
    )


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("February 7, 2023", datetime.date(2023, 2, 7)),
        ("Tuesday, February 7, 2023", datetime.date(2023, 2, 7)),
        ("7. February 2023", datetime.date(2023, 2, 7)),
        ("Düsseldorf, 07. Februar 2023", datetime.date(2023, 2, 7)),
    ],
)
def test_english_and_german_date_lines_are_both_read(line, date):
    text = f"Press service\n\n{line}\n\nTitle\n"
    assert release_parse(text).release_date == date


def test_a_word_and_numbers_that_are_no_english_date_are_no_date_line():
    # "Route 66, 2023" names no month: no date line (and no "unknown month" on line 2), so
    # the date is found missing where the title starts.
    with pytest.raises(ReleaseParseError) as caught:
        release_parse("Press service\nRoute 66, 2023\n\nTitle\n")
    assert caught.value.line == 4


@pytest.mark.parametrize("width", [72, 30])
@pytest.mark.parametrize("case", HAND_BUILT, ids=str)
def test_english_render_parse_gives_back_the_release(case, width):
    release = {"release_date": datetime.date(2023, 3, 14), **HAND_BUILT[case]}
    parsed = release_parse(render_english(**release, width=width))
    assert parsed.title == release["title"]
    assert parsed.release_date == release["release_date"]
    assert parsed.body == expected_body(release["body"])
    contact = release.get("contact")
    assert (dataclasses.asdict(parsed.contact) if parsed.contact else None) == contact
    assert parsed.text_url == release.get("text_url")


@pytest.mark.parametrize("name", LOSSLESS_FIXTURES)
def test_archive_release_rendered_in_english_reads_back_the_same(name):
    parsed = fixture(name)
    body = []
    for block_type, value in parsed.body:
        if block_type == "paragraph":
            body.append(paragraph(value))
        elif block_type == "quote":
            body.append({"type": "quote", "value": dict(value)})
        else:
            body.append(image(value.caption, value.credit, value.source_url))
    text = render_english(
        title=parsed.title,
        release_date=parsed.release_date,
        body=body,
        contact=dataclasses.asdict(parsed.contact) if parsed.contact else None,
        text_url=parsed.text_url,
    )
    assert comparable(release_parse(text)) == comparable(parsed)
