"""The legacy-release parser: what an import of an archive file puts into a release.

Pure functions, no database: `release_parse` turns text into blocks.
"""

import datetime
import json
import re
from pathlib import Path

import pytest

from press.importer.parse import (
    ParsedContact,
    ParsedImage,
    ParsedRelease,
    ReleaseParseError,
    attribution_split,
    release_parse,
)
from press.text import html_to_text

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures_releases"
SEED_NAME = "pressedienst-2023-02-07-masterplan-industrie"
# The shared fixtures sit next to the checkout (locally and in CI); the copy in the repo keeps
# the suite from silently skipping the seed where they are missing.
SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
SEED_DIR = SHARED if (SHARED / f"{SEED_NAME}.txt").exists() else FIXTURES


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def seed() -> ParsedRelease:
    return release_parse(read(SEED_DIR / f"{SEED_NAME}.txt"), source=f"{SEED_NAME}.txt")


def blocks_of(release: ParsedRelease, kind: str) -> list:
    return [value for block_type, value in release.body if block_type == kind]


def text(html: str) -> str:
    return html_to_text(html)


def check_expected(release: ParsedRelease, expected: dict) -> None:
    """Compare a parse with an .expected.json (the seed's keys, plus exact ones for ours)."""
    assert release.title == expected["title"]
    assert release.release_date == datetime.date.fromisoformat(expected["date"])
    assert [block_type for block_type, _ in release.body] == expected["order"]

    paragraphs = blocks_of(release, "paragraph")
    if "paragraphs" in expected:
        assert len(paragraphs) == len(expected["paragraphs"])
        for html, (starts, ends) in zip(paragraphs, expected["paragraphs"], strict=True):
            assert text(html).startswith(starts)
            assert text(html).endswith(ends)
    if "paragraphs_html" in expected:
        assert paragraphs == expected["paragraphs_html"]

    quotes = blocks_of(release, "quote")
    assert len(quotes) == len(expected["quotes"])
    for quote, wanted in zip(quotes, expected["quotes"], strict=True):
        quote_text = text(quote["text"])
        assert quote["role"] == wanted["role"]
        if "name" in wanted:
            assert wanted["name"] in quote["name"]
            assert wanted["role"] not in quote["name"]
        if "name_is" in wanted:
            assert quote["name"] == wanted["name_is"]
        if "starts" in wanted:
            assert quote_text.startswith(wanted["starts"])
            assert quote_text.endswith(wanted["ends"])
        if "contains" in wanted:
            assert wanted["contains"] in quote_text
        if "contains_any" in wanted:
            assert any(part in quote_text for part in wanted["contains_any"])
        if "text_html" in wanted:
            assert quote["text"] == wanted["text_html"]
        # Stored without the surrounding quotation marks.
        assert not re.match(r"<p>[\"„“”]", quote["text"])
        assert not re.search(r"[\"„“”]</p>$", quote["text"])

    images = blocks_of(release, "image")
    assert len(images) == len(expected["images"])
    for image, wanted in zip(images, expected["images"], strict=True):
        assert isinstance(image, ParsedImage)
        if "caption_starts" in wanted:
            assert image.caption.startswith(wanted["caption_starts"])
            assert image.caption.endswith(wanted["caption_ends"])
        if "caption" in wanted:
            assert image.caption == wanted["caption"]
        assert image.credit == wanted["credit"]
        assert image.file_name == wanted["file"]
        assert image.alt == image.caption
        if "source_url" in wanted:
            assert image.source_url == wanted["source_url"]

    if expected["contact"] is None:
        assert release.contact is None
    else:
        assert release.contact == ParsedContact(**expected["contact"])
    if "text_url" in expected:
        assert release.text_url == expected["text_url"]


# --------------------------------------------------------------------------- the seed


def test_seed_gives_what_the_expected_json_states():
    expected = json.loads(read(SEED_DIR / f"{SEED_NAME}.expected.json"))
    check_expected(seed(), expected)


def test_seed_names_keep_academic_titles_and_roles_stay_out():
    names_roles = [(q["name"], q["role"]) for q in blocks_of(seed(), "quote")]
    assert names_roles == [
        ("Dr. Stephan Keller", "Oberbürgermeister"),
        ("Andreas Schmitz", "Präsident der IHK Düsseldorf"),
        ("Dr. Daniel Kleine", "Vorstandsvorsitzender Industriekreis Düsseldorf"),
    ]


def test_seed_quote_cut_by_the_page_break_is_one_quote_joined_with_one_space():
    first = blocks_of(seed(), "quote")[0]["text"]
    assert "zukunftsfähige Weiterentwicklung der Industrie in Düsseldorf zu setzen" in first
    assert first.count("<p>") == 1


def test_seed_keeps_the_subscript_of_co2_as_rich_text():
    third = blocks_of(seed(), "quote")[2]["text"]
    assert "die CO<sub>2</sub>-Emissionen, bezogen auf das Basisjahr 2016" in third


def test_seed_drops_print_artefacts_and_structure_from_the_blocks():
    release = seed()
    all_text = " ".join(
        value if isinstance(value, str) else json.dumps(value, default=str)
        for _, value in release.body
    )
    for artefact in ("Seite 2", "Seite 3", "##", "**", "Textversion", "Kontakt", "Zu Ihrer"):
        assert artefact not in all_text
    assert (
        release.text_url == "http://www.duesseldorf.de/fileadmin/Amt13/pld/txt/20230207-17_05.txt"
    )
    assert blocks_of(release, "image")[0].source_url == (
        "http://www.duesseldorf.de/fileadmin/Amt13/pressebilder/2302/"
        "230206-steuerungskreis-mp-industrie1.JPG"
    )


def test_seed_copy_in_the_repo_matches_the_shared_seed():
    if not (SHARED / f"{SEED_NAME}.txt").exists():
        pytest.skip("shared fixtures not checked out next to the repo; the copy is used")
    for suffix in (".txt", ".expected.json"):
        assert read(FIXTURES / f"{SEED_NAME}{suffix}") == read(SHARED / f"{SEED_NAME}{suffix}")


# --------------------------------------------------------------------------- other shapes

OWN_FIXTURES = sorted(path for path in FIXTURES.glob("*.txt") if path.stem != SEED_NAME)


def test_there_are_sample_releases_for_the_other_shapes():
    assert len(OWN_FIXTURES) >= 5


@pytest.mark.parametrize("path", OWN_FIXTURES, ids=lambda path: path.stem)
def test_sample_release_gives_what_its_expected_json_states(path):
    expected = json.loads(read(path.with_suffix("").with_suffix(".expected.json")))
    check_expected(release_parse(read(path), source=path.name), expected)


# --------------------------------------------------------------------------- page breaks

HEADER = "## Pressedienst\n\n---\n\n07. Februar 2023\n\n### **Ein Titel**\n\n"


@pytest.mark.parametrize(
    "page_break",
    [
        "\n\n\n\n## **Ein Titel**\n\nSeite 2\n\n",
        "\n\n**Ein Titel**  \nSeite 2\n\n",
        "\n\n**Ein Titel**  Seite 2\n\n",
        "\n\nEin Titel\nSeite 2\n\n",
        "\n## Ein Titel\nSeite 2\n",
        "\n\n## **Ein Titel**\n\n",
        "\n\nSeite 2\n\n",
    ],
    ids=["h2-bold", "bold-hard-break", "bold-same-line", "plain", "h2-no-blank", "no-page", "page"],
)
def test_paragraph_cut_by_a_page_break_is_joined(page_break):
    source = HEADER + "Die Arbeiten dauern bis zum" + page_break + "Herbst und enden dann.\n"
    assert release_parse(source).body == [
        ("paragraph", "<p>Die Arbeiten dauern bis zum Herbst und enden dann.</p>")
    ]


def test_continuation_in_lower_case_is_joined_even_after_a_full_stop():
    source = HEADER + "Geplant sind 5 Mio.\n\n**Ein Titel**  \nSeite 2\n\neuro für das Projekt.\n"
    assert release_parse(source).body == [
        ("paragraph", "<p>Geplant sind 5 Mio. euro für das Projekt.</p>")
    ]


def test_a_sentence_ending_before_a_page_break_keeps_two_paragraphs():
    # Known limit: a break that falls between two sentences cannot be told from a new paragraph.
    source = HEADER + "Erster Absatz.\n\n**Ein Titel**  \nSeite 2\n\nZweiter Absatz.\n"
    assert release_parse(source).body == [
        ("paragraph", "<p>Erster Absatz.</p>"),
        ("paragraph", "<p>Zweiter Absatz.</p>"),
    ]


def test_a_quote_still_open_at_a_page_break_is_joined_even_after_a_full_stop():
    source = HEADER + 'Jan Hoffmann: "Erster Satz.\n\n**Ein Titel**  \nSeite 2\n\nZweiter Satz."\n'
    assert release_parse(source).body == [
        ("quote", {"text": "<p>Erster Satz. Zweiter Satz.</p>", "name": "Jan Hoffmann", "role": ""})
    ]


# --------------------------------------------------------------------------- quotes


@pytest.mark.parametrize(
    ("attribution", "name", "role"),
    [
        ("Oberbürgermeister Dr. Stephan Keller", "Dr. Stephan Keller", "Oberbürgermeister"),
        ("Andreas Schmitz, Präsident der IHK Düsseldorf", "Andreas Schmitz",
         "Präsident der IHK Düsseldorf"),
        ("Dr. Daniel Kleine, Vorstandsvorsitzender Industriekreis Düsseldorf", "Dr. Daniel Kleine",
         "Vorstandsvorsitzender Industriekreis Düsseldorf"),
        ("Beigeordnete Cornelia Zuschke", "Cornelia Zuschke", "Beigeordnete"),
        ("Oberbürgermeister Keller", "Keller", "Oberbürgermeister"),
        ("Staatssekretärin Ursula von der Leyen", "Ursula von der Leyen", "Staatssekretärin"),
        ("Präsidentin der Universität Prof. Dr. Anja Steinbeck", "Prof. Dr. Anja Steinbeck",
         "Präsidentin der Universität"),
        ("Leiter des Amtes Dipl.-Ing. Jan van Dijk", "Dipl.-Ing. Jan van Dijk", "Leiter des Amtes"),
        ("Leiterin des Umweltamtes, Dr. Maria Müller", "Dr. Maria Müller",
         "Leiterin des Umweltamtes"),
        ("Anna Meister", "Anna Meister", ""),
        ("Jan Hoffmann", "Jan Hoffmann", ""),
        ("Dr. Jan Hoffmann", "Dr. Jan Hoffmann", ""),
        ("Oberbürgermeister Dr. Stephan Keller, Schirmherr der Aktion", "Dr. Stephan Keller",
         "Oberbürgermeister, Schirmherr der Aktion"),
    ],
)  # fmt: skip
def test_attribution_is_split_into_name_and_role(attribution, name, role):
    assert attribution_split(attribution) == (name, role)


def test_attribution_split_limit_three_part_name_without_role_loses_its_first_part():
    # Documented limit of the "Role Name" heuristic: no title, no comma, no function word.
    assert attribution_split("Anna Lena Schmidt") == ("Lena Schmidt", "Anna")


@pytest.mark.parametrize(
    "paragraph",
    [
        'Anna Schmidt: "Wir freuen uns."',
        "Anna Schmidt: „Wir freuen uns.“",
        "Anna Schmidt: “Wir freuen uns.”",
        "Anna Schmidt: „Wir freuen uns.”",
        '**Anna Schmidt:** "Wir freuen uns."',
    ],
)
def test_every_quotation_style_makes_a_quote_without_its_marks(paragraph):
    assert release_parse(HEADER + paragraph + "\n").body == [
        ("quote", {"text": "<p>Wir freuen uns.</p>", "name": "Anna Schmidt", "role": ""})
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        'Die Stadt nennt das Ziel: "klimaneutral". Der Rat hat es beschlossen.',
        'Er sagte: "Wir kommen wieder."',
        'Das Projekt heißt: "Blau" und "Grün"',
        "Hinweis: Der Begriff „Hub“ wird erklärt.",
        'Infos gibt es unter: "www.duesseldorf.de". Danke!',
    ],
)
def test_a_paragraph_with_a_colon_and_a_quoted_word_stays_a_paragraph(paragraph):
    (block_type, _value), *_rest = release_parse(HEADER + paragraph + "\n").body
    assert block_type == "paragraph"


def test_quote_keeps_a_nested_quotation_and_its_markup():
    source = HEADER + 'Anna Schmidt, Leiterin: "Das Projekt "Blau" spart **viel** CO₂."\n'
    assert release_parse(source).body == [
        (
            "quote",
            {
                "text": '<p>Das Projekt "Blau" spart <b>viel</b> CO<sub>2</sub>.</p>',
                "name": "Anna Schmidt",
                "role": "Leiterin",
            },
        )
    ]


# --------------------------------------------------------------------------- inline markup


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("CO<sub>2</sub> und m<sup>2</sup>", "CO<sub>2</sub> und m<sup>2</sup>"),
        ("CO₂ und 12 m² und 10⁻³", "CO<sub>2</sub> und 12 m<sup>2</sup> und 10<sup>-3</sup>"),
        ("**fett** und *kursiv* und _auch_", "<b>fett</b> und <i>kursiv</i> und <i>auch</i>"),
        ("[Stadt](https://www.duesseldorf.de/a_b)",
         '<a href="https://www.duesseldorf.de/a_b">Stadt</a>'),
        ("<https://www.duesseldorf.de>",
         '<a href="https://www.duesseldorf.de">https://www.duesseldorf.de</a>'),
        ("datei\\_name und datei\\\\_name und snake_case_name", "datei_name und datei_name und "
         "snake_case_name"),
        ("\\*kein kursiv\\*", "*kein kursiv*"),
        ("5 * 3 * 2 = 30", "5 * 3 * 2 = 30"),
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        ("<script>alert(1)</script> <b>x</b>",
         "&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;x&lt;/b&gt;"),
        # A refused address keeps the link's words, whatever parentheses it has.
        ("[klick](javascript:alert(1))", "klick"),
        ("[klick](javascript:alert)", "klick"),
        # CommonMark percent-encodes what an address cannot hold, so no quote breaks out.
        ('[a](https://x.de/"onclick=")', '<a href="https://x.de/%22onclick=%22">a</a>'),
        ("<sub>2", "&lt;sub&gt;2"),
    ],
)  # fmt: skip
def test_inline_markdown_becomes_safe_rich_text(markdown, html):
    assert release_parse(HEADER + markdown + "\n").body == [("paragraph", f"<p>{html}</p>")]


# --------------------------------------------------------------------------- Markdown blocks


def body_of(markdown: str) -> list:
    return release_parse(HEADER + markdown).body


def test_a_bulleted_list_with_a_nested_list_is_a_list_not_a_run_on_paragraph():
    source = (
        "Die Stadt plant:\n\n"
        "- neue Radwege\n"
        "- mehr Bäume\n"
        "  - an der Kö\n"
        "  - am Rhein\n"
        "- Tempo 30\n\n"
        "Der Rat entscheidet im Mai.\n"
    )
    assert body_of(source) == [
        ("paragraph", "<p>Die Stadt plant:</p>"),
        (
            "paragraph",
            "<ul><li>neue Radwege</li><li>mehr Bäume<ul><li>an der Kö</li><li>am Rhein</li>"
            "</ul></li><li>Tempo 30</li></ul>",
        ),
        ("paragraph", "<p>Der Rat entscheidet im Mai.</p>"),
    ]


@pytest.mark.parametrize("marker", ["-", "*", "+"])
def test_every_bullet_marker_makes_a_bulleted_list(marker):
    assert body_of(f"{marker} eins\n{marker} zwei\n") == [
        ("paragraph", "<ul><li>eins</li><li>zwei</li></ul>")
    ]


def test_a_numbered_list_right_under_its_introduction_is_a_numbered_list():
    source = "So geht es weiter:\n1. Antrag stellen\n2. Bescheid abwarten\n   1. per Post\n"
    assert body_of(source) == [
        ("paragraph", "<p>So geht es weiter:</p>"),
        (
            "paragraph",
            "<ol><li>Antrag stellen</li><li>Bescheid abwarten<ol><li>per Post</li></ol></li></ol>",
        ),
    ]


def test_a_numbered_list_keeps_the_number_it_starts_at():
    # Printed releases continue a list after a paragraph ("3." after a note); readers must
    # see the same numbers.
    assert body_of("3) Bauabschnitt Nord\n4) Bauabschnitt Süd\n") == [
        ("paragraph", '<ol start="3"><li>Bauabschnitt Nord</li><li>Bauabschnitt Süd</li></ol>')
    ]


def test_a_list_with_blank_lines_or_cut_by_a_page_break_stays_one_list():
    source = "- eins\n\n- zwei\n\n**Ein Titel**  \nSeite 2\n\n- drei\n"
    assert body_of(source) == [("paragraph", "<ul><li>eins</li><li>zwei</li><li>drei</li></ul>")]


def test_list_items_keep_their_emphasis_links_and_subscripts():
    source = "- **fett** und *kursiv*\n- [Stadt](https://www.duesseldorf.de)\n- CO<sub>2</sub>\n"
    assert body_of(source) == [
        (
            "paragraph",
            '<ul><li><b>fett</b> und <i>kursiv</i></li><li><a href="https://www.duesseldorf.de">'
            "Stadt</a></li><li>CO<sub>2</sub></li></ul>",
        )
    ]


def test_headings_inside_a_release_become_h2_and_h3_by_their_rank():
    # The archive sets the title itself in ###, so its subheadings are #### and #####: the
    # release's highest level is h2 on the page (under the title's h1), the next h3.
    source = "#### Bauabschnitte\n\nText.\n\n##### Nord\n\nMehr Text.\n\n#### Kosten\n"
    assert body_of(source) == [
        ("paragraph", "<h2>Bauabschnitte</h2>"),
        ("paragraph", "<p>Text.</p>"),
        ("paragraph", "<h3>Nord</h3>"),
        ("paragraph", "<p>Mehr Text.</p>"),
        ("paragraph", "<h2>Kosten</h2>"),
    ]


def test_an_underlined_heading_is_a_heading_too():
    assert body_of("Bauabschnitte\n=============\n\nText.\n") == [
        ("paragraph", "<h2>Bauabschnitte</h2>"),
        ("paragraph", "<p>Text.</p>"),
    ]


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("Erste Zeile  \nzweite Zeile", "Erste Zeile<br/>zweite Zeile"),
        ("Erste Zeile\\\nzweite Zeile", "Erste Zeile<br/>zweite Zeile"),
        ("Erste Zeile\nzweite Zeile", "Erste Zeile zweite Zeile"),
        ("***fett und kursiv***", "<i><b>fett und kursiv</b></i>"),
        ("[Mail](mailto:presse@duesseldorf.de) und [Tel](tel:+492118993131)",
         '<a href="mailto:presse@duesseldorf.de">Mail</a> und <a href="tel:+492118993131">Tel</a>'),
        ("[relativ](/presse/)", "relativ"),
        ("`Code` und &amp; und &auml;", "Code und &amp; und ä"),
        ("<SUP>3</sup > und <sub>2</sup>", "<sup>3</sup> und &lt;sub&gt;2&lt;/sup&gt;"),
    ],
    ids=["two-spaces", "backslash", "soft", "bold-italic", "mail-phone", "relative", "code-entity",
         "script-tags"],
)  # fmt: skip
def test_line_breaks_emphasis_and_links_become_rich_text(markdown, html):
    assert body_of(markdown + "\n") == [("paragraph", f"<p>{html}</p>")]


def test_a_quote_keeps_its_line_breaks_and_links():
    source = 'Jan Hoffmann: "Erste Zeile  \nzweite, mehr unter <https://www.duesseldorf.de>."\n'
    assert body_of(source) == [
        (
            "quote",
            {
                "text": '<p>Erste Zeile<br/>zweite, mehr unter <a href="https://www.duesseldorf.de">'
                "https://www.duesseldorf.de</a>.</p>",
                "name": "Jan Hoffmann",
                "role": "",
            },
        )
    ]


def test_markup_in_plain_fields_is_dropped_but_its_words_stay():
    source = (
        "## Pressedienst\n\n---\n\n07. Februar 2023\n\n### **Ein *neuer* Titel**\n\n"
        "Text.\n\n" + DOWNLOAD + "Das [Rathaus](https://x.de) bei *Nacht*, ©Stadt\\_Foto  \n"
        "<https://x.de/a.jpg>\n"
    )
    release = release_parse(source)
    assert release.title == "Ein neuer Titel"
    assert blocks_of(release, "image")[0].caption == "Das Rathaus bei Nacht"
    assert blocks_of(release, "image")[0].credit == "Stadt_Foto"


def test_a_caption_ending_in_a_full_stop_is_read_without_a_comma_before_the_credit():
    source = HEADER + DOWNLOAD + "Das Rathaus am Abend. ©Stadt\n<https://x.de/a.jpg>\n"
    (image,) = blocks_of(release_parse(source), "image")
    assert (image.caption, image.credit) == ("Das Rathaus am Abend.", "Stadt")


def test_what_the_importer_makes_is_what_wagtail_s_editor_keeps():
    """Every shape survives the Draftail editor's own conversion (DB HTML → editor state →
    DB HTML) with the paragraph block's features: nothing is dropped when an editor saves."""
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    from press.blocks import PARAGRAPH_FEATURES, QUOTE_FEATURES

    source = (
        "#### Kopf mit *Betonung*\n\n"
        "- eins **fett**\n- zwei [Link](https://x.de/a?b=1&c=2)\n  - verschachtelt\n\n"
        "1. erstens\n2. zweitens\n   1. darunter\n\n"
        "##### Unterkopf\n\n"
        "Zeile  \nUmbruch, CO<sub>2</sub> und m<sup>2</sup>, <mailto:presse@duesseldorf.de>\n\n"
        'Jan Hoffmann: "Ein *Zitat* mit [Link](https://x.de) und H<sub>2</sub>O."\n'
    )
    body = body_of(source)
    assert [kind for kind, _ in body] == ["paragraph"] * 5 + ["quote"]

    def kept(html: str, features: list[str]) -> str:
        converter = ContentstateConverter(features)
        again = converter.to_database_format(converter.from_database_format(html))
        return re.sub(r' data-block-key="[^"]*"', "", again)

    for kind, value in body:
        html = value if kind == "paragraph" else value["text"]
        features = PARAGRAPH_FEATURES if kind == "paragraph" else QUOTE_FEATURES
        assert kept(html, features) == html


def test_plain_text_layout_keeps_markdown_characters_literally():
    source = "Pressedienst\n\n07. Februar 2023\n\nEin Titel\n\nMit *Stern* und \\_ und m²\n"
    release = release_parse(source)
    assert release.title == "Ein Titel"
    assert release.body == [("paragraph", "<p>Mit *Stern* und \\_ und m<sup>2</sup></p>")]


# --------------------------------------------------------------------------- dates

MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
]  # fmt: skip


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("day_format", ["{:02d}", "{}"])
def test_every_month_in_german_long_form_is_read(month, day_format):
    date_line = f"{day_format.format(5)}. {MONTHS[month - 1]} 2024"
    source = f"## Pressedienst\n\n---\n\n{date_line}\n\n### **Titel**\n\nText.\n"
    assert release_parse(source).release_date == datetime.date(2024, month, 5)


@pytest.mark.parametrize("date_line", ["1. Maerz 2024", "Düsseldorf, 1. März 2024"])
def test_date_variants_are_read(date_line):
    source = f"## Pressedienst\n\n---\n\n{date_line}\n\n### **Titel**\n"
    assert release_parse(source).release_date == datetime.date(2024, 3, 1)


# --------------------------------------------------------------------------- errors

TOP = "## Pressedienst\n\n---\n\n07. Februar 2023\n\n### **Titel**\n\n"  # body starts at line 9
DOWNLOAD = (
    "Zu Ihrer redaktionellen Verwendung stellen wir Ihnen folgendes Material zum Download "
    "zur Verfügung:\n\n"
)


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("", None, "leer"),
        ("  \n\n \t\n", None, "leer"),
        ("## Pressedienst\n\n---\n\n### **Titel**\n\nText.\n", 5, "Datum"),
        ("## Pressedienst\n\n---\n", 3, "Datum"),
        ("Landeshauptstadt Düsseldorf\nPressedienst\n\nTitel\n\n07. Februar 2023\n", 4, "Datum"),
        ("## Pressedienst\n\n---\n\n07. Febr 2023\n\n### **Titel**\n", 5, "Monat"),
        ("## Pressedienst\n\n---\n\n30. Februar 2023\n\n### **Titel**\n", 5, "gibt es nicht"),
        ("## Pressedienst\n\n---\n\n07. Februar 2023\n\n\n", 5, "Titel"),
        ("## Pressedienst\n\n---\n\n07. Februar 2023\n\nKein Titel hier.\n", 7, "Titel"),
        ("## Pressedienst\n\n---\n\n07. Februar 2023\n\n### ****\n\nText.\n", 7, "Titel"),
        (TOP + "Text.\n\n" + DOWNLOAD + "Ein Foto ohne Nachweis\n<https://x.de/a.jpg>\n", 13,
         "©"),
        (TOP + DOWNLOAD + "Foto, ©Stadt\n\nTextversion:\n\nhttps://x.de/t.txt\n", 11, "Adresse"),
        (TOP + DOWNLOAD + "Foto, ©Stadt\n", 11, "Adresse"),
        (TOP + DOWNLOAD + "Foto, ©\n<https://x.de/a.jpg>\n", 11, "Bildnachweis"),
        (TOP + DOWNLOAD + "<https://x.de/a.jpg>\n", 11, "Bildunterschrift"),
        (TOP + DOWNLOAD + "Foto, ©Stadt\n<https://x.de/ordner/>\n", 12, "Datei"),
        (TOP + "Text.\n\nJan Hoffmann: „Das endet nie.\n\nUnd so weiter.\n", 11, "Zitat"),
        (TOP + 'Jan Hoffmann: "Offen.\n\n**Kontakt: Hoffmann, Jan**\n', 9, "Zitat"),
        (TOP + "Textversion:\n\nKeine Adresse\n", 9, "Textversion"),
        (TOP + "Kontakt: A, B\nTelefon 1234567\n\nKontakt: C, D\na@b.de\n", 12, "Kontakt"),
        (TOP + "Text.\n\n- eins\n-\n- drei\n", 12, "Listenpunkt"),
        (TOP + "1. eins\n\n   -\n", 11, "Listenpunkt"),
        (TOP + "Text.\n\n####\n\nMehr.\n", 11, "Überschrift"),
        (TOP + "Text.\n\nSo sieht es aus:\n![Rathaus](rathaus.jpg)\n", 12, "Bild im Fließtext"),
        (TOP + "- Liste ![Rathaus](rathaus.jpg)\n", 9, "Bild im Fließtext"),
        (TOP + "Text.\n\nDer Rat\x0b tagt.\n", 11, "Steuerzeichen U+000B"),
        ("## Pressedienst\n\n---\n\n07. Februar 2023\n\n### **Titel\x85**\n", 7,
         "Steuerzeichen U+0085"),
    ],
    ids=[
        "empty", "blank", "no-date", "no-date-eof", "plain-no-date", "unknown-month",
        "impossible-day", "no-title-eof", "no-title-heading", "empty-title", "caption-no-credit",
        "photo-no-address", "photo-no-address-eof", "empty-credit", "address-no-caption",
        "address-no-file", "unclosed-quote-eof", "unclosed-quote-contact", "textversion-no-url",
        "two-contacts", "empty-list-item", "empty-nested-item", "empty-heading", "inline-image",
        "image-in-list", "control-character", "control-character-title",
    ],
)  # fmt: skip
def test_malformed_release_is_reported_with_its_line(source, line, words):
    with pytest.raises(ReleaseParseError) as caught:
        release_parse(source, source="pm.txt")
    assert caught.value.line == line
    assert words in caught.value.message
    # What the press office reads: file, line, message.
    assert str(caught.value).startswith("pm.txt" + (f", Zeile {line}: " if line else ": "))


def test_error_outside_a_named_file_names_only_the_line():
    with pytest.raises(ReleaseParseError) as caught:
        release_parse("## Pressedienst\n\n---\n\n07. Febr 2023\n")
    assert str(caught.value) == "Zeile 5: " + caught.value.message


def test_error_line_counts_the_seed_s_leading_blank_lines():
    broken = read(SEED_DIR / f"{SEED_NAME}.txt").replace("07. Februar 2023", "07. Febuar 2023")
    with pytest.raises(ReleaseParseError) as caught:
        release_parse(broken)
    assert caught.value.line == 9


def test_no_input_escapes_as_another_exception():
    lines = read(SEED_DIR / f"{SEED_NAME}.txt").splitlines(keepends=True)
    variants = ["".join(lines[:end]) for end in range(len(lines) + 1)]
    variants += ["".join(lines[:start] + lines[start + 1 :]) for start in range(len(lines))]
    variants += [None, b"bytes", "\x00\ufeff\r\n###", "07. Februar 2023\n### **\n"]
    outcomes = {"parsed": 0, "refused": 0}
    for variant in variants:
        try:
            release_parse(variant)  # type: ignore[arg-type]
            outcomes["parsed"] += 1
        except ReleaseParseError as error:
            assert error.message
            outcomes["refused"] += 1
    assert outcomes["parsed"] and outcomes["refused"]


def test_windows_line_endings_and_a_byte_order_mark_are_read():
    source = "\ufeff" + read(SEED_DIR / f"{SEED_NAME}.txt").replace("\n", "\r\n")
    assert release_parse(source) == seed()
