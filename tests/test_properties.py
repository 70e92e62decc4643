"""Property-based tests (hypothesis) of the two pure modules every channel depends on:
the parser never fails with anything but its own error, the text version never carries
markup, and text version → import → text version is a fixed point (paragraphs, lists nested
one level, headings, quotes, photos)."""

import dataclasses
import datetime
import html
import re

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from press.importer.parse import ParsedImage, ReleaseParseError, release_parse
from press.text import MONTHS_EN, TextLabels, release_render_text

OFFICE = {
    "office_name": "Landeshauptstadt Düsseldorf",
    "service_name": "Pressedienst",
    "download_sentence": (
        "Zu Ihrer redaktionellen Verwendung stellen wir Ihnen folgendes Material zum Download "
        "zur Verfügung:"
    ),
}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEED_LINES = [
    "## Pressedienst",
    "---",
    "07. Februar 2023",
    "### **Masterplan Industrie**",
    'Oberbürgermeister Dr. Stephan Keller: "Wir bündeln unsere Kräfte',
    "## **Masterplan Industrie**",
    "Seite 2",
    'für die Industrie."',
    "Zu Ihrer redaktionellen Verwendung stellen wir Ihnen folgendes Material zum Download zur Verfügung:",
    "Foto vom Rathaus, ©Landeshauptstadt Düsseldorf/David Young  ",
    "<http://www.duesseldorf.de/fileadmin/foto.JPG>",
    "Textversion:",
    "**Kontakt: Wotschke, Annemarie**  ",
    "**presse@duesseldorf.de, Telefon +49.211.89-93131**",
    "CO<sub>2</sub> und m<sup>2</sup> & <b>fett</b>",
    "„Typografisch“ zitiert: “so”",
    "",
]

# --- the parser never crashes ---------------------------------------------------------------


@SETTINGS
@given(st.text())
def test_parser_raises_only_its_own_error_on_arbitrary_text(text):
    try:
        release_parse(text, source="zufall.txt")
    except ReleaseParseError as error:
        assert error.message


@SETTINGS
@given(st.lists(st.sampled_from(SEED_LINES) | st.text(max_size=40), max_size=40))
def test_parser_raises_only_its_own_error_on_shuffled_release_lines(lines):
    text = "\n".join(lines)
    try:
        release_parse(text, source="gemischt.txt")
    except ReleaseParseError as error:
        # The line named is one that exists (or the end of the file).
        assert error.line is None or 1 <= error.line <= len(text.splitlines()) + 1


# --- the text version never carries markup --------------------------------------------------

# Anything an editor can type, markup-like characters and entities included.
typed = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<>&;\"'#"),
        min_size=1,
        max_size=60,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def rich_paragraph(draw):
    parts = draw(st.lists(typed, min_size=1, max_size=4))
    tags = draw(st.lists(st.sampled_from(["", "b", "i", "sub", "sup"]), min_size=len(parts)))
    inner = " ".join(
        f"<{tag}>{html.escape(part)}</{tag}>" if tag else html.escape(part)
        for part, tag in zip(parts, tags, strict=False)
    )
    return {"type": "paragraph", "value": {"html": f"<p>{inner}</p>"}}


TAG = re.compile(r"<\s*/?\s*(p|b|i|sub|sup|a|br|ul|ol|li|strong|em)\b[^>]*>", re.IGNORECASE)
ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)


@SETTINGS
@given(st.lists(rich_paragraph(), min_size=1, max_size=5), typed, typed)
def test_text_version_never_contains_tags_or_entities(paragraphs, name, role):
    quote = {
        "type": "quote",
        "value": {"text": f"<p>{html.escape(role)}</p>", "name": name, "role": role},
    }
    text = release_render_text(
        title="Titel",
        release_date=datetime.date(2024, 3, 7),
        lead="",
        body=[*paragraphs, quote],
        contact=None,
        **OFFICE,
    )
    source_text = " ".join([name, role]) + " ".join(p["value"]["html"] for p in paragraphs)
    # What the editor typed may itself look like a tag; the renderer must add none.
    assert len(TAG.findall(text)) <= len(TAG.findall(html.unescape(source_text)))
    assert len(ENTITY.findall(text)) <= len(ENTITY.findall(html.unescape(source_text)))
    assert "<p>" not in text or "<p>" in html.unescape(source_text)


# --- export → import is a fixed point -------------------------------------------------------

WORDS = st.sampled_from(
    [
        "Stadt",
        "Rathaus",
        "Rhein",
        "Radweg",
        "Schule",
        "Kita",
        "Brücke",
        "Klimaschutz",
        "Förderung",
        "Haushalt",
        "Bürgerinnen",
        "Bürger",
        "Verkehr",
        "Baustelle",
        "Umwelt",
        "Ausschuss",
        "Sanierung",
        "Zukunft",
        "Quartier",
        "Innenstadt",
        "Hafen",
        "Straßenbahn",
        "Wohnungen",
        "Grünfläche",
        "Spielplatz",
        "Feuerwehr",
        "Ehrenamt",
        "Sport",
        "Kultur",
        "Museum",
    ]
)
sentence = st.lists(WORDS, min_size=3, max_size=14).map(lambda w: " ".join(w).capitalize() + ".")
paragraph_text = st.lists(sentence, min_size=1, max_size=5).map(" ".join)
FIRST = st.sampled_from(["Anna", "Jörg", "Miriam", "Burkhard", "Helga", "Stephan", "Özlem"])
LAST = st.sampled_from(["Keller", "Koch", "Hintzsche", "Stulgies", "Meyer-Lauber", "Yilmaz"])
TITLE = st.sampled_from(["", "Dr. ", "Prof. Dr. "])
ROLE = st.sampled_from(
    [
        "",
        "Oberbürgermeister",
        "Beigeordnete für Umwelt",
        "Leiterin des Amtes für Verkehrsmanagement",
        "Präsident der IHK Düsseldorf",
    ]
)


@st.composite
def rich_list(draw, *, nested: bool = True):
    """A bulleted or numbered list (a numbered one may start at another number), its items
    sentences, one of them perhaps with a list nested one level."""
    tag = draw(st.sampled_from(["ul", "ol"]))
    start = draw(st.sampled_from([1, 1, 3, 12])) if tag == "ol" else 1
    items = draw(st.lists(sentence, min_size=1, max_size=4))
    inner = [f"<li>{item}</li>" for item in items]
    if nested and draw(st.booleans()):
        position = draw(st.integers(0, len(items) - 1))
        inner[position] = inner[position].replace("</li>", draw(rich_list(nested=False)) + "</li>")
    attributes = f' start="{start}"' if start != 1 else ""
    return f"<{tag}{attributes}>{''.join(inner)}</{tag}>"


@st.composite
def block(draw):
    kind = draw(st.sampled_from(["paragraph", "quote", "image", "list", "heading"]))
    if kind == "paragraph":
        return ("paragraph", f"<p>{draw(paragraph_text)}</p>")
    if kind == "list":
        return ("paragraph", draw(rich_list()))
    if kind == "heading":
        tag = draw(st.sampled_from(["h2", "h3"]))
        words = draw(st.lists(WORDS, min_size=1, max_size=9).map(" ".join))
        return ("paragraph", f"<{tag}>{words}</{tag}>")
    if kind == "quote":
        name = f"{draw(TITLE)}{draw(FIRST)} {draw(LAST)}"
        return (
            "quote",
            {"text": f"<p>{draw(paragraph_text)}</p>", "name": name, "role": draw(ROLE)},
        )
    number = draw(st.integers(min_value=1, max_value=999))
    return (
        "image",
        ParsedImage(
            source_url=f"https://www.duesseldorf.de/media/original_images/foto-{number}.jpg",
            file_name=f"foto-{number}.jpg",
            caption=draw(sentence).rstrip("."),
            credit=f"Landeshauptstadt Düsseldorf/{draw(FIRST)} {draw(LAST)}",
            alt=draw(sentence).rstrip("."),
        ),
    )


ENGLISH = {
    "office_name": "City of Düsseldorf",
    "service_name": "Press service",
    "download_sentence": "The following material is available for editorial use:",
    "labels": TextLabels(text_version="Text version", contact="Contact", phone="Phone"),
}


def render(title, release_date, body, contact, *, english: bool = False) -> str:
    blocks = []
    for kind, value in body:
        if kind == "paragraph":
            blocks.append({"type": kind, "value": {"html": value}})
        elif kind == "quote":
            blocks.append({"type": kind, "value": dict(value)})
        else:
            image = {"caption": value.caption, "credit": value.credit, "alt": value.alt}
            blocks.append({"type": kind, "value": {**image, "url": value.source_url}})
    office = OFFICE
    if english:  # what the CMS writes with English active
        date_text = f"{MONTHS_EN[release_date.month - 1]} {release_date.day}, {release_date.year}"
        office = {**ENGLISH, "date_text": date_text}
    return release_render_text(
        title=title,
        release_date=release_date,
        lead="",
        body=blocks,
        contact=contact,
        text_url="https://www.duesseldorf.de/presse/mitteilung/text/",
        **office,
    )


def comparable(body):
    # The text version carries a photo's caption, not its alt text.
    return [
        (kind, dataclasses.replace(value, alt="") if isinstance(value, ParsedImage) else value)
        for kind, value in body
    ]


@SETTINGS
@given(
    title=st.lists(WORDS, min_size=2, max_size=10).map(" ".join),
    release_date=st.dates(datetime.date(1990, 1, 1), datetime.date(2040, 12, 31)),
    body=st.lists(block(), min_size=1, max_size=8),
    contact_name=st.tuples(FIRST, LAST).map(" ".join),
    english=st.booleans(),
)
def test_export_then_import_is_a_fixed_point(title, release_date, body, contact_name, english):
    # Two photos in a row share one download sentence; that is the format, not a loss.
    assume(body[0][0] != "image")
    contact = {"name": contact_name, "email": "presse@duesseldorf.de", "phone": "+49.211.89-93131"}
    text = render(title, release_date, body, contact, english=english)
    parsed = release_parse(text, source="export.txt")

    assert parsed.title == title
    assert parsed.release_date == release_date
    assert comparable(parsed.body) == comparable(body)
    assert dataclasses.asdict(parsed.contact) == contact
    again = render(parsed.title, parsed.release_date, parsed.body, contact, english=english)
    assert again == text
