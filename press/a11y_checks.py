"""What makes a release hard to use with a screen reader or hard to read, found before it is
published (BITV 2.0 / EN 301 549). Pure functions on the release's block data: the image block's
validation (press.blocks), the warnings in the editor (press.wagtail_hooks) and the press API's
alternative texts (press.blocks) use the same rules; the admin's axe checker gets the same
rules for the rendered page (press/static/press/a11y-rules.js).

A finding is serious (`ERROR`: a photo without a usable alternative text, which publishing
refuses) or a warning (everything a person should look at but may keep).
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.translation import gettext_lazy as _

ERROR = "error"
WARNING = "warning"

# An alternative text that is a file name says nothing about the photo ("IMG_1234.JPG",
# "230206-steuerungskreis-mp-industrie1.jpg"): a name with an image extension, or one word of
# letters, digits, dashes and underscores with digits in it and no space.
IMAGE_EXTENSION = re.compile(r"\.(jpe?g|png|gif|webp|avif|tiff?|bmp|heic|svg)\s*$", re.IGNORECASE)
FILE_NAME_WORD = re.compile(r"^[\w.-]*\d[\w.-]*$")
CAMERA_NAME = re.compile(r"^(img|dsc|dscn|dji|pxl|p|photo|foto|bild)[-_ ]?\d+", re.IGNORECASE)

# Link texts that say nothing out of context (a screen reader lists the links of a page).
VAGUE_LINK_TEXTS = frozenset(
    {
        "hier", "hier klicken", "klicken sie hier", "mehr", "mehr erfahren", "mehr lesen",
        "weiter", "weiterlesen", "link", "dieser link", "diesen link", "details", "info",
        "here", "click here", "more", "read more", "learn more", "this link",
    }
)  # fmt: skip
# Three words in capitals in a row read as shouting and are spelt out letter by letter by
# some screen readers; abbreviations (IHK, CO2) stand alone.
CAPITALS_RUN = 3
# Function words that mark an English sentence; German text hardly has any of them.
ENGLISH_WORDS = frozenset(
    {
        "the", "and", "of", "to", "is", "are", "with", "for", "we", "our", "this", "that",
        "will", "be", "have", "has", "it", "you", "your", "not", "from", "by", "on", "at",
        "which", "they", "their", "been", "was", "were", "would", "can",
    }
)  # fmt: skip
ENGLISH_MIN_WORDS = 4
ENGLISH_SHARE = 0.3
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


@dataclass(frozen=True)
class Finding:
    level: str  # ERROR or WARNING
    code: str
    message: str
    block_id: str = ""

    @property
    def serious(self) -> bool:
        return self.level == ERROR


def looks_like_file_name(text: str) -> bool:
    text = (text or "").strip()
    if not text:
        return False
    return bool(
        IMAGE_EXTENSION.search(text)
        or CAMERA_NAME.match(text)
        or (" " not in text and FILE_NAME_WORD.match(text))
    )


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def photo_alt_text(*, alt: str, description: str, caption: str) -> str:
    """The alternative text a photo is shown with: the block's own, else the photo's
    description in the image library, else the caption — the first that is not a file name.
    "" when none is usable (publishing refuses that; see `photo_findings`)."""
    for text in (alt, description, caption):
        text = " ".join((text or "").split())
        if text and not looks_like_file_name(text):
            return text
    return ""


def photo_findings(*, alt: str, description: str, caption: str, block_id: str = "") -> list:
    """The image block's findings: no usable alternative text (serious), a file name typed as
    alternative text (serious: a screen reader reads it out instead of describing the photo),
    an alternative text that repeats the caption (a screen reader reads both)."""
    findings = []
    if looks_like_file_name(alt):
        findings.append(
            Finding(
                ERROR,
                "alt-file-name",
                _(
                    "The alternative text looks like a file name. Describe what the photo "
                    "shows, in a sentence."
                ),
                block_id,
            )
        )
    resolved = photo_alt_text(alt=alt, description=description, caption=caption)
    if not resolved:
        findings.append(
            Finding(
                ERROR,
                "alt-missing",
                _(
                    "Required: the photo needs an alternative text for people who cannot see "
                    "it. Describe what it shows (here or as the photo's description in the "
                    "image library)."
                ),
                block_id,
            )
        )
    elif caption and _same_text(resolved, caption):
        findings.append(
            Finding(
                WARNING,
                "alt-repeats-caption",
                _(
                    "The alternative text repeats the caption, so a screen reader reads it "
                    "twice. Describe what the photo shows instead."
                ),
                block_id,
            )
        )
    return findings


class _HtmlReader(HTMLParser):
    """Headings, links and text passages (paragraphs, list items, headings) of rich text."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.links: list[str] = []
        self.passages: list[str] = []
        self._heading: int | None = None
        self._link: list[str] | None = None
        self._passage: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._flush()
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = int(tag[1])
            self._heading_text = []
        elif tag == "a":
            self._link = []
        elif tag == "br":
            self._passage.append(" ")

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((self._heading, " ".join("".join(self._heading_text).split())))
            self._heading = None
        elif tag == "a" and self._link is not None:
            self.links.append(" ".join("".join(self._link).split()))
            self._link = None
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        self._passage.append(data)
        if self._heading is not None:
            self._heading_text.append(data)
        if self._link is not None:
            self._link.append(data)

    def _flush(self):
        text = " ".join("".join(self._passage).split())
        if text:
            self.passages.append(text)
        self._passage = []

    def close(self):
        super().close()
        self._flush()


def html_read(html: str) -> _HtmlReader:
    reader = _HtmlReader()
    reader.feed(html or "")
    reader.close()
    return reader


def capitals_run(text: str) -> str:
    """The first run of CAPITALS_RUN or more words in capitals in `text`, else ""."""
    run: list[str] = []
    for word in WORD.findall(text):
        if len(word) >= 2 and word.isupper():
            run.append(word)
            if len(run) >= CAPITALS_RUN:
                continue
        else:
            if len(run) >= CAPITALS_RUN:
                break
            run = []
    return " ".join(run) if len(run) >= CAPITALS_RUN else ""


def looks_english(text: str) -> bool:
    words = [word.casefold() for word in WORD.findall(text)]
    english = sum(1 for word in words if word in ENGLISH_WORDS)
    return english >= ENGLISH_MIN_WORDS and english / max(len(words), 1) >= ENGLISH_SHARE


def text_findings(text: str, *, block_id: str = "") -> list[Finding]:
    findings = []
    if run := capitals_run(text):
        findings.append(
            Finding(
                WARNING,
                "capitals",
                _(
                    "“%(text)s” is written in capitals: it is harder to read, and screen "
                    "readers may spell it out. Write it in normal case."
                )
                % {"text": run},
                block_id,
            )
        )
    if looks_english(text):
        findings.append(
            Finding(
                WARNING,
                "english-passage",
                _(
                    "“%(text)s” looks English: screen readers read it with German "
                    "pronunciation. Translate it, or publish the English version as a "
                    "release of its own."
                )
                % {"text": text[:60]},
                block_id,
            )
        )
    return findings


def body_findings(body: list[dict]) -> list[Finding]:
    """Everything found in a release body given as `[{type, id, value}]`: a paragraph's value
    `{"html"}`, a quote's `{"text" (HTML), "name"}`, an image's `{"image" (truthy when one is
    chosen), "alt", "description" (the photo's, from the image library), "caption"}` —
    `release_body_checks` in press.blocks makes it from a body. Headings are counted from the
    release's title (h1): the first subheading is an h2, an h3 follows an h2."""
    findings: list[Finding] = []
    level = 1
    for block in body:
        kind, value, block_id = block["type"], block["value"], block.get("id") or ""
        if kind == "paragraph":
            read = html_read(value.get("html", ""))
            for heading, text in read.headings:
                if heading > level + 1:
                    findings.append(
                        Finding(
                            WARNING,
                            "heading-order",
                            _(
                                "The heading “%(text)s” skips a level (h%(level)s after "
                                "h%(previous)s): screen reader users navigate by the "
                                "headings. Use the next level down."
                            )
                            % {"text": text, "level": heading, "previous": level},
                            block_id,
                        )
                    )
                level = heading
            for link in read.links:
                if link.casefold().strip(" .:!\u00bb\u203a\u2192") in VAGUE_LINK_TEXTS:
                    findings.append(
                        Finding(
                            WARNING,
                            "link-text",
                            _(
                                "The link text “%(text)s” says nothing on its own: screen "
                                "readers list links without their sentence. Name where the "
                                "link leads."
                            )
                            % {"text": link},
                            block_id,
                        )
                    )
            for passage in read.passages:
                findings.extend(text_findings(passage, block_id=block_id))
        elif kind == "quote":
            if not (value.get("name") or "").strip():
                findings.append(
                    Finding(
                        WARNING,
                        "quote-name",
                        _("The quote names nobody: say who is quoted."),
                        block_id,
                    )
                )
            for passage in html_read(value.get("text", "")).passages:
                findings.extend(text_findings(passage, block_id=block_id))
        elif kind == "image" and value.get("image"):
            caption = value.get("caption", "")
            findings.extend(
                photo_findings(
                    alt=value.get("alt", ""),
                    description=value.get("description", ""),
                    caption=caption,
                    block_id=block_id,
                )
            )
            if caption:
                findings.extend(text_findings(caption, block_id=block_id))
    return findings
