"""The plain-text version of a release, for mail clients and the press office's archive.

Pure and stdlib-only: it reads the same block data as every other channel and returns text.
The layout is the one `press.importer.release_parse` reads back (its "plain" layout):

    Stadt Musterstadt
    Pressedienst

    07. Februar 2023

    Masterplan Industrie: Konstante Zusammenarbeit in herausfordernden
    Zeiten

    Zum Jahresauftakt fand im Rathaus das Treffen des Steuerungskreises …

    Erika Mustermann, Bürgermeisterin: „Im Rahmen des Masterplan
    Industrie wollen wir … die CO₂-Emissionen … geboten.“

    Zu Ihrer redaktionellen Verwendung stellen wir Ihnen folgendes Material
    zum Download zur Verfügung:

    Der Steuerungskreis im Rathaus (v.l.), ©Stadt Musterstadt/Max Muster
    https://www.example.org/…/steuerungskreis.jpg

    Textversion:
    https://www.example.org/…/text/

    Kontakt: Jana Beispiel
    presse@example.org, Telefon +49 123 456-789

The labels ("Textversion:", "Kontakt:", "Telefon") and the date are the archive's German ones
unless the caller passes others: the CMS passes them translated into the active language
(`press.documents`), and the importer reads the German and the English ones back.

Lists are written as indented items (``  • item``, ``  1. item``; wrapped lines and a nested
list stand under the item's text), headings as a line underlined with ``=`` (h2) or ``-``
(h3), a photo's caption and credit as ``Caption, ©Credit`` (``Caption. ©Credit`` after a
caption that ends in a full stop).

What a round trip through the importer keeps: title, date, contact, Textversion address,
paragraph HTML made of text with digit sub-/superscripts (CO<sub>2</sub>, m<sup>2</sup>),
bulleted and numbered lists (nested ones too), h2/h3 headings, quotes (text, name, role) and
photos (caption, credit, file name). What it cannot keep, because plain text has no markup:
bold/italic, links (written as "text (URL)"), line breaks, non-digit sub-/superscripts, a
paragraph block holding several <p> or a paragraph and a list (it comes back as several
blocks). The lead is written as the first paragraph and comes back as one. Photos without an
address of the original are left out (nothing to download).
"""

from __future__ import annotations

import datetime
import re
import textwrap
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = [
    "TextLabels",
    "caption_with_credit",
    "german_long_date",
    "html_to_text",
    "release_render_text",
]

MONTHS_DE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class TextLabels:
    """The words of the text version around the release's own text; German by default (the
    archive's format). Each is written followed by a colon or a space as in the layout."""

    text_version: str = "Textversion"
    contact: str = "Kontakt"
    phone: str = "Telefon"
    correction: str = "Korrektur vom"


GERMAN_LABELS = TextLabels()

_ASCII_SCRIPT = "0123456789+-=()"
_TO_SUB = str.maketrans(_ASCII_SCRIPT, "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_TO_SUP = str.maketrans(_ASCII_SCRIPT, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")

# Markers inside the extracted text; real text never holds these control characters (the
# editor's forms refuse them, press.validators).
_PARAGRAPH = "\x00"
_LINE = "\x01"
_INDENT = "\x02"  # one column of indentation that survives the clean-up of white space

_BLOCK_TAGS = {
    "p", "div", "blockquote", "figure", "figcaption",
    "table", "tr", "pre", "address", "section", "article", "header", "footer",
}  # fmt: skip
_HEADING_UNDERLINES = {"h1": "=", "h2": "=", "h3": "-", "h4": "-", "h5": "-", "h6": "-"}
_SKIPPED_TAGS = {"script", "style", "template"}
BULLET = "•"


def german_long_date(d: datetime.date) -> str:
    """``07. Februar 2023``: the press office's date, independent of the server's locale."""
    return f"{d.day:02d}. {MONTHS_DE[d.month - 1]} {d.year}"


@dataclass
class _OpenList:
    numbered: bool
    number: int  # the next item's number
    indent: int  # where this list's markers stand
    content: int = 0  # where the text of its current item starts


class _TextExtractor(HTMLParser):
    """Rich-text HTML → text with paragraph/line markers; inline elements become text.

    Lists become indented items ("  • item", "  1. item"; a nested list starts where its
    item's text does), headings a line underlined with ``=`` (h2) or ``-`` (h3)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # A stack of buffers: <a>, <sub>, <sup> and headings collect their content before it
        # is written, because their text form depends on all of it.
        self._buffers: list[list[str]] = [[]]
        self._inline: list[tuple[str, str]] = []  # (tag, href) per open buffer
        self._lists: list[_OpenList] = []
        self._in_item = 0
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in ("a", "sub", "sup") or (tag in _HEADING_UNDERLINES and not self._in_item):
            self._inline.append((tag, dict(attrs).get("href") or ""))
            self._buffers.append([])
        elif tag == "br":
            self._line_break()
        elif tag in ("ul", "ol"):
            start = dict(attrs).get("start") or "1"
            number = int(start) if start.isdigit() else 1
            indent = self._lists[-1].content if self._lists else 2
            self._lists.append(_OpenList(numbered=tag == "ol", number=number, indent=indent))
            self._write(_PARAGRAPH if len(self._lists) == 1 else "")
        elif tag == "li":
            self._in_item += 1
            current = self._lists[-1] if self._lists else _OpenList(False, 1, 2)
            marker = f"{current.number}." if current.numbered else BULLET
            current.number += 1
            current.content = current.indent + len(marker) + 1
            self._write(_LINE + _INDENT * current.indent + marker + " ")
        elif tag in _BLOCK_TAGS and not self._in_item:
            self._write(_PARAGRAPH)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._line_break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif (
            (tag in ("a", "sub", "sup") or tag in _HEADING_UNDERLINES)
            and self._inline
            and self._inline[-1][0] == tag
        ):
            _tag, href = self._inline.pop()
            content = "".join(self._buffers.pop())
            if tag in _HEADING_UNDERLINES:
                self._write(_heading_text(content, _HEADING_UNDERLINES[tag]))
            else:
                self._write(_inline_text(tag, content, href))
        elif tag in ("ul", "ol"):
            if self._lists:
                self._lists.pop()
            self._write(_PARAGRAPH if not self._lists else "")
        elif tag == "li":
            self._in_item = max(0, self._in_item - 1)
        elif tag in _BLOCK_TAGS and not self._in_item:
            self._write(_PARAGRAPH)

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            # HTML collapses white space; a no-break space is content and stays.
            self._write(re.sub(r"[ \t\r\n\f]+", " ", data))

    def _line_break(self) -> None:
        """A line break; inside a list item the next line starts under the item's text."""
        indent = self._lists[-1].content if self._in_item and self._lists else 0
        self._write(_LINE + _INDENT * indent)

    def _write(self, text: str) -> None:
        self._buffers[-1].append(text)

    def text(self) -> str:
        while len(self._buffers) > 1:  # unclosed <a>/<sub>/<sup>/heading: keep their text
            content = "".join(self._buffers.pop())
            self._write(content)
        return "".join(self._buffers[0])


def _heading_text(content: str, underline: str) -> str:
    """A heading as its own paragraph, its line(s) underlined as long as the longest."""
    lines = [_line_clean(line) for line in content.split(_LINE)]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    width = max(3, *(len(line) for line in lines))
    return _PARAGRAPH + _LINE.join([*lines, underline * width]) + _PARAGRAPH


def _inline_text(tag: str, content: str, href: str) -> str:
    """The text form of <sub>/<sup> (Unicode digits when possible) and <a> ("text (URL)")."""
    stripped = content.strip()
    if tag in ("sub", "sup"):
        if stripped and all(char in _ASCII_SCRIPT for char in stripped):
            return stripped.translate(_TO_SUB if tag == "sub" else _TO_SUP)
        return content
    # Internal Wagtail links (no href) and anchors have no address worth printing.
    if not href or href.startswith("#"):
        return content
    shown = href.removeprefix("mailto:")
    text = shown if not stripped or stripped in (href, shown) else f"{stripped} ({shown})"
    # Keep the spaces around the link text: they separate it from the words around it.
    before = " " if content[:1].isspace() else ""
    after = " " if content[-1:].isspace() else ""
    return f"{before}{text}{after}"


def html_to_text(html: str) -> str:
    """Rich-text HTML → plain text: paragraphs separated by a blank line, ``<br>`` as a line
    break, list items as indented lines (``  • item``, ``  1. item``, a nested list indented
    under its item's text), a heading underlined (``===`` h2, ``---`` h3), no tags and no
    entities."""
    extractor = _TextExtractor()
    extractor.feed(html or "")
    extractor.close()
    paragraphs = []
    for chunk in extractor.text().split(_PARAGRAPH):
        lines = [_line_clean(line) for line in chunk.split(_LINE)]
        lines = [line for line in lines if line.strip()]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _line_clean(line: str) -> str:
    """Runs of spaces collapsed, the line stripped; the indentation written for list items
    (`_INDENT`) kept."""
    text = line.lstrip(" ")
    indent = len(text) - len(text.lstrip(_INDENT))
    text = re.sub(r" {2,}", " ", text.replace(_INDENT, "")).strip(" ")
    return " " * indent + text if text else ""


# A line textwrap would split on single spaces only (no other white space, none leading or
# trailing): wrapped greedily by hand, which gives textwrap's result several times faster.
_NOT_SIMPLE = re.compile(r"[\t\n\x0b\x0c\r]|  |^ | $")
# A list item ("  • ", "  12. ") or a line indented under one: wrapped lines go under its text.
_HANGING = re.compile(rf"^( +(?:[{BULLET}◦▪‣]|\d+\.) | +)")
_UNDERLINE = re.compile(r"^(=|-)\1{2,}$")


def _wrap_simple(line: str, *, width: int, indent: str) -> list[str]:
    if len(line) <= width:
        return [line]
    lines: list[str] = []
    current: list[str] = []
    length = 0
    limit = width
    prefix = ""
    for word in line.split(" "):
        if current and length + 1 + len(word) > limit:
            lines.append(prefix + " ".join(current))
            prefix, limit = indent, width - len(indent)
            current, length = [word], len(word)
        else:
            length += len(word) + (1 if current else 0)
            current.append(word)
    lines.append(prefix + " ".join(current))
    return lines


def _wrap(text: str, *, width: int) -> list[str]:
    """Wrap for a mail client without breaking words, addresses or hyphenated words; a
    heading's underline is as long as its longest wrapped line."""
    lines: list[str] = []
    heading_start = 0
    for line in text.split("\n"):
        underline = _UNDERLINE.match(line)
        if underline and heading_start < len(lines):
            longest = max(len(previous) for previous in lines[heading_start:])
            lines.append(underline[1] * max(3, longest))
            heading_start = len(lines)
            continue
        hanging = _HANGING.match(line)
        indent = " " * len(hanging[1]) if hanging else ""
        if line and not _NOT_SIMPLE.search(line) and len(indent) < width:
            lines.extend(_wrap_simple(line, width=width, indent=indent))
            continue
        lines.extend(
            textwrap.wrap(
                line,
                width=width,
                subsequent_indent=indent if len(indent) < width else "",
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )
    return lines


def _quote_text(value: dict) -> str:
    """``Name, Role: „…“`` (``Name: „…“`` without role); paragraphs of the quote kept."""
    # The block data carries the plain text already (QuoteBlock); a bare dict has only HTML.
    text = value.get("text_plain")
    if text is None:
        text = html_to_text(value.get("text") or "")
    name = (value.get("name") or "").strip()
    role = (value.get("role") or "").strip()
    attribution = f"{name}, {role}" if name and role else name or role
    prefix = f"{attribution}: „" if attribution else "„"
    return f"{prefix}{text}“"


def _photo_lines(value: dict, *, width: int) -> list[str]:
    caption = (value.get("caption") or "").strip()
    credit = (value.get("credit") or "").strip()
    return [*_wrap(caption_with_credit(caption, credit), width=width), value["url"]]


def caption_with_credit(caption: str, credit: str) -> str:
    """``Caption, ©Credit`` as the archive prints it; after a caption that ends in a full stop
    (or other closing punctuation) just a space: ``Caption. ©Credit``, never ``Caption., ©…``."""
    caption, credit = caption.strip(), credit.strip()
    if not caption:
        return f"©{credit}"
    if caption[-1] in ".!?…:;,":
        return f"{caption} ©{credit}"
    return f"{caption}, ©{credit}"


def release_render_text(
    *,
    title: str,
    release_date: datetime.date,
    lead: str,
    body: list[dict],
    contact: dict | None,
    office_name: str,
    service_name: str,
    download_sentence: str,
    text_url: str | None = None,
    corrections: list[tuple[str, str]] = (),
    width: int = 72,
    date_text: str | None = None,
    labels: TextLabels = GERMAN_LABELS,
) -> str:
    """The release as plain text (layout: see the module docstring).

    `date_text`: the release date as written (default: the German long date); `labels`: the
    words around the text, already in the reader's language. `corrections`: (date as
    written, note) pairs, written under the title as "Korrektur vom <date>: <note>".

    `body` items are ``{"type": …, "value": …}`` as the blocks' API representation gives them;
    an image's ``value["url"]`` is the absolute address of the original. Consecutive photos
    share one download sentence, written where they stand in the body.
    """
    sections: list[list[str]] = []
    header = [name for name in (office_name.strip(), service_name.strip()) if name]
    if header:
        sections.append(header)
    sections.append([date_text or german_long_date(release_date)])
    sections.append(_wrap(title.strip(), width=width))
    for date_written, note in corrections:
        sections.append(_wrap(f"{labels.correction} {date_written}: {note}", width=width))
    if lead and lead.strip():
        sections.append(_wrap(re.sub(r"\s+", " ", lead).strip(), width=width))
    in_photos = False
    for block in body:
        kind, value = block.get("type"), block.get("value") or {}
        if kind == "image":
            if not value.get("url"):
                continue  # nothing to download: a photo without its original is left out
            if not in_photos:
                sections.append(_wrap(download_sentence.strip(), width=width))
                in_photos = True
            sections.append(_photo_lines(value, width=width))
            continue
        in_photos = False
        if kind == "paragraph":
            if isinstance(value, dict) and "text" in value:
                text = value["text"]  # ParagraphBlock's data: html_to_text of its HTML
            else:
                text = html_to_text(
                    value.get("html", "") if isinstance(value, dict) else str(value)
                )
        elif kind == "quote":
            text = _quote_text(value)
        else:
            continue  # a block type the text version does not know has no text form
        sections.extend(_wrap(part, width=width) for part in text.split("\n\n") if part)
    if text_url:
        sections.append([f"{labels.text_version}:", text_url])
    if contact:
        sections.append(_contact_lines(contact, width=width, labels=labels))
    return "\n\n".join("\n".join(lines) for lines in sections if lines).rstrip("\n") + "\n"


def _contact_lines(contact: dict, *, width: int, labels: TextLabels) -> list[str]:
    """``Kontakt: First Last`` - the name as stored, so the importer reads it back unchanged
    (it also reads the archive's ``Last, First``)."""
    name = (contact.get("name") or "").strip()
    email = (contact.get("email") or "").strip()
    phone = (contact.get("phone") or "").strip()
    phone_text = f"{labels.phone} {phone}" if phone else ""
    reach = ", ".join(part for part in (email, phone_text) if part)
    lines = _wrap(f"{labels.contact}: {name}", width=width)
    if reach:
        lines.extend(_wrap(reach, width=width))
    return lines
