"""Parsing of legacy press releases ("Pressedienst" text files) into StreamField values.

Pure: no database, no Django settings (stdlib and markdown-it-py). The management command
that saves a release calls `release_parse` and stores what it returns. Its error messages are
English and marked for translation; inside a running Django project they come in the active
language.

Two layouts are read by the same parser:

* the archive's Markdown rendering of the printed release (``## Pressedienst``, ``---``, the
  date, ``### **Title**``, body, download section, ``Textversion:``, ``**Kontakt: …**``), with
  print artefacts (a running header repeating the title plus ``Seite N``) in between;
* the plain-text layout written by `press.text.release_render_text` (office and service name,
  date, title, body, same download section / Textversion / Kontakt, no Markdown), also with
  the English labels and date it writes in English (``Text version:``, ``Contact:``,
  ``February 7, 2023``).

The layout is told apart by the header: a Markdown heading or rule before the date, or a
heading as title, means Markdown; otherwise plain text (where ``*`` and ``_`` are literal).

How: the header (office, date, title) is read by hand; then the print artefacts are blanked
out of the body and the rest is parsed as CommonMark by markdown-it-py. Each block it finds
is one body block: a paragraph (or a quote, or a structural part: download section,
Textversion, contact - told by their words), a bulleted or numbered list (``<ul>``/``<ol>``,
nested lists inside their item), a heading (``<h2>``/``<h3>``). Inline Markdown becomes
Wagtail's rich text: ``<b>``, ``<i>``, ``<a href>``, ``<br/>``, ``<sub>``/``<sup>``. The plain
layout is read by the same parser after its own list items (``  • item``, ``  1. item``) and
underlined headings are turned into Markdown and everything else is escaped.

Known limits, on purpose (see the docstrings of the helpers for details):

* A paragraph that ends with sentence-final punctuation right before a page break and whose
  continuation starts with a capital letter is taken as two paragraphs. A list item cut by a
  page break is not joined again (the rest becomes a paragraph).
* A paragraph of the form ``Label: "…"`` whose quotation spans to its end is read as a quote
  when ``Label`` looks like an attribution (capitalised words, titles, a few lower-case
  function words such as "der", "für").
* The name/role split of ``Role Name`` attributions is a heuristic (`attribution_split`).
* CommonMark's rules hold: a line ``1. …`` right under a paragraph line starts a numbered
  list (an archive that wraps its paragraphs by hand must not put "1. März" at a line start).
* Bold, italics and links inside plain-text input cannot be recognised (plain text has no
  markup); nor can a line break there (a wrapped line is not a break). Unicode sub-/superscript
  digits always become ``<sub>``/``<sup>``.
* Headings in Markdown: the release's highest level becomes ``<h2>``, all lower ones ``<h3>``.
* The download section starts at the standard sentence, or at any paragraph ending in ":"
  that is directly followed by a photo (caption with ©, then the address); that paragraph is
  not kept, the CMS writes its own sentence.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.apps import apps
from django.utils.translation import gettext
from markdown_it import MarkdownIt
from markdown_it.token import Token

# The month names are the text version's own: what it writes is what the parser reads back.
from ..text import MONTHS_DE, MONTHS_EN
from ..validators import CONTROL_CHARACTERS

__all__ = [
    "ParsedContact",
    "ParsedImage",
    "ParsedRelease",
    "ReleaseParseError",
    "attribution_split",
    "file_name_refused_message",
    "file_name_safe",
    "german_date_parse",
    "photo_file_name_from_url",
    "release_parse",
]


def _(message: str) -> str:
    """`message` in the active language once Django's apps are ready (the importer runs inside
    the CMS), else as written: the parser needs no configured Django. Also the marker
    `makemessages` looks for."""
    return gettext(message) if apps.ready else message


class ReleaseParseError(ValueError):
    """A legacy release that cannot be imported; `line` is 1-based, None for the whole file."""

    def __init__(self, message: str, *, line: int | None = None, source: str | None = None):
        self.message = message
        self.line = line
        self.source = source
        where = ", ".join(
            part
            for part in (source, _("line %(line)s") % {"line": line} if line is not None else None)
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class ParsedImage:
    source_url: str
    file_name: str
    caption: str
    credit: str
    alt: str


@dataclass(frozen=True)
class ParsedContact:
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class ParsedRelease:
    title: str
    release_date: datetime.date
    body: list[tuple[str, object]] = field(default_factory=list)
    contact: ParsedContact | None = None
    text_url: str | None = None


# --------------------------------------------------------------------------- file names


def file_name_refused_message(url: str) -> str:
    """One message for every refused name, whether or not such a file exists: the answer must
    not tell what lies outside the media folder."""
    return _(
        "The photo address “%(url)s” has a file name that is not allowed (folders, “..”, "
        "backslashes and encoded separators are refused)."
    ) % {"url": url}


_ENCODED_SEPARATOR_RE = re.compile(r"%(?:2f|5c|00)", re.IGNORECASE)


def file_name_safe(name: str) -> bool:
    """Whether `name` is a plain file name that cannot leave the folder it is looked up in."""
    return bool(name) and name not in {".", ".."} and not any(c in name for c in "/\\\0")


def photo_file_name_from_url(url: str) -> str | None:
    """The file name a photo address names (last path segment, decoded), None when the address
    tries to leave a folder: a ``..`` segment, a backslash or an encoded separator (%2F, %5C,
    %00) anywhere in its path, or a name that is empty."""
    path = urlsplit(url).path
    if "\\" in path or _ENCODED_SEPARATOR_RE.search(path):
        return None
    if any(unquote(segment) in {".", ".."} for segment in path.split("/")):
        return None
    name = unquote(path.rsplit("/", 1)[-1])
    return name if file_name_safe(name) else None


# --------------------------------------------------------------------------- dates

_MONTH_NUMBERS = {name.casefold(): number for number, name in enumerate(MONTHS_DE, start=1)}
_MONTH_NUMBERS.update({"maerz": 3, "jänner": 1})  # ASCII spelling; Austrian January
# The English text version's months ("February 7, 2023"), also in a day-first date.
_MONTH_NUMBERS_EN = {name.casefold(): number for number, name in enumerate(MONTHS_EN, start=1)}
_MONTH_NUMBERS.update(_MONTH_NUMBERS_EN)

# "07. Februar 2023", "7. Februar 2023", optionally after "Düsseldorf, " or a weekday.
_DATE_RE = re.compile(
    r"^(?:[A-ZÄÖÜ][\w .-]*,\s*)?(?P<day>\d{1,2})\.\s*(?P<month>[^\W\d_]+)\s+(?P<year>\d{4})$"
)
# "February 7, 2023", optionally after "Düsseldorf, " or a weekday; only with an English month
# (any other word before a number is no date line).
_DATE_EN_RE = re.compile(
    r"^(?:[A-ZÄÖÜ][\w .-]*,\s*)?(?P<month>[A-Za-z]+)\s+(?P<day>\d{1,2}),\s*(?P<year>\d{4})$"
)


def german_date_parse(value: str) -> datetime.date | None:
    """The date of a long-form date line (German, or the English text version's), None when
    the line is no date line.

    Raises ValueError (with a translated message) for a date line with an unknown month or an
    impossible day, so that the caller can point at the line.
    """
    match = _DATE_RE.match(value.strip())
    if match:
        month = _MONTH_NUMBERS.get(match["month"].casefold())
    else:
        match = _DATE_EN_RE.match(value.strip())
        if not match or match["month"].casefold() not in _MONTH_NUMBERS_EN:
            return None
        month = _MONTH_NUMBERS_EN[match["month"].casefold()]
    if month is None:
        raise ValueError(
            _("Unknown month “%(month)s” in the date “%(date)s”.")
            % {"month": match["month"], "date": value.strip()}
        )
    try:
        return datetime.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        raise ValueError(
            _("There is no such date as “%(date)s”.") % {"date": value.strip()}
        ) from None


# --------------------------------------------------------------------------- names

_TITLE_RE = re.compile(
    r"^(?:Prof|Dr|Dipl|Mag|Priv|Doz|Univ|Ing|Jun|PD|Dres)\.?(?:-[A-Za-zÄÖÜäöü]+\.?)*$"
    r"|^(?:h\.\s?c\.|mult\.|med\.|rer\.|nat\.|phil\.|jur\.|habil\.|dent\.|vet\.|oec\.|pol\.|"
    r"theol\.|paed\.|e\.\s?h\.|E\.\s?h\.)$"
)
_PARTICLES = {"von", "van", "de", "zu", "vom", "zur", "ten", "ter", "di", "da", "del", "la", "le"}
_PARTICLES_AFTER_PARTICLE = {"der", "den", "dem", "de", "la", "van", "zu"}
_NAME_WORD_RE = re.compile(r"^[A-ZÄÖÜÀ-ÞŁŠŽ][\wÀ-ÿ'\u2019-]*\.?$")
# Words that name a function, so "Oberbürgermeister Keller" keeps the role out of the name.
_ROLE_WORD_RE = re.compile(
    r"(meister|direktor|präsident|vorsitzende|beigeordnete|minister|leiter|sprecher|führer|"
    r"dezernent|chef|intendant|rektor|kämmerer|kämmerin|rat|rätin|vorstand|referent|beauftragte|"
    r"koordinator|manager|inhaber|gründer|kurator|dekan|kanzler|professor|senator|landrat|"
    r"bürgermeister|stadtdirektor|pfarrer|bischof|trainer|kapitän|vertreter)(in|innen|r|e)?$",
    re.IGNORECASE,
)
# Lower-case words that may appear in an attribution before its first comma ("Präsident der
# IHK"); any other lower-case word ("sagte") means the text is a sentence, not an attribution.
_ATTRIBUTION_LOWER = {
    "der", "des", "den", "dem", "die", "das", "für", "und", "im", "in", "am", "an", "vom",
    "von", "zu", "zur", "zum", "van", "de", "di", "da", "del", "la", "le", "du", "ten", "ter",
    "bei", "beim", "auf", "aus", "mit", "a.d.", "e.v.", "ggmbh", "mbh", "gmbh", "i.r.", "stv.",
    "stellv.", "u.", "of", "the", "and", "for", "sowie",
}  # fmt: skip


def _is_title(token: str) -> bool:
    return bool(_TITLE_RE.match(token))


def _is_name_word(token: str) -> bool:
    return bool(_NAME_WORD_RE.match(token)) and not _is_title(token)


def _is_person_name(tokens: list[str]) -> bool:
    """Titles first, then one to four capitalised words with name particles between them."""
    i = 0
    while i < len(tokens) and _is_title(tokens[i]):
        i += 1
    rest = tokens[i:]
    if not rest or len(rest) > 4 or not _is_name_word(rest[-1]):
        return False
    previous_particle = False
    for position, token in enumerate(rest):
        inner = 0 < position < len(rest) - 1
        if inner and (
            token in _PARTICLES or (previous_particle and token in _PARTICLES_AFTER_PARTICLE)
        ):
            previous_particle = True
            continue
        if not _is_name_word(token):
            return False
        if position < len(rest) - 1 and _ROLE_WORD_RE.search(token):
            return False  # "IHK-Präsident Andreas Schmitz" is a role plus a name
        previous_particle = False
    return True


def _split_role_name(tokens: list[str]) -> tuple[list[str], list[str]]:
    """(name, role) of a "Role Name" attribution; see `attribution_split`."""
    for start, token in enumerate(tokens):
        if _is_title(token) and _is_person_name(tokens[start:]):
            return tokens[start:], tokens[:start]
    end = len(tokens) - 1
    if end < 0 or not _is_name_word(tokens[end]):
        return [], tokens
    # The surname is taken even if it looks like a function word ("Anna Meister").
    name = [tokens[end]]
    end -= 1
    # Particles stay with the surname, but only when a first name stands before them.
    particle_start = end
    while particle_start >= 1 and tokens[particle_start] in _PARTICLES | _PARTICLES_AFTER_PARTICLE:
        particle_start -= 1
    particles = tokens[particle_start + 1 : end + 1]
    if particles and particles[0] in _PARTICLES and _is_first_name(tokens[particle_start]):
        name = [*particles, *name]
        end = particle_start
    if end >= 0 and _is_first_name(tokens[end]):
        name.insert(0, tokens[end])
        end -= 1
    return name, tokens[: end + 1]


def _is_first_name(token: str) -> bool:
    return _is_name_word(token) and not _ROLE_WORD_RE.search(token)


def attribution_split(attribution: str) -> tuple[str, str]:
    """Split a quote's attribution into (name, role).

    Styles read:

    * ``Name, Role`` - "Andreas Schmitz, Präsident der IHK Düsseldorf": the part before the
      first comma is the name when it looks like a person's name (academic titles, then one to
      four capitalised words, particles such as von/van/de/zu between them, no function word
      such as "Präsident" before the surname).
    * ``Role, Name`` - the part after the last comma is the name when it looks like one.
    * ``Role Name`` - "Oberbürgermeister Dr. Stephan Keller": the name starts at the first
      academic title (Dr., Prof., Dipl.-Ing. …) that is followed only by name words. Without
      a title the name is the last two capitalised words (one, if the word before the surname
      is a function word like "Oberbürgermeister"); particles stay with the surname
      ("Ursula von der Leyen").
    * ``Name`` alone - the same rule, so the role is empty.

    Limits (no dictionary of names or functions is used):

    * without a title or comma, a three-part name without role ("Anna Lena Schmidt") loses
      its first part to the role, and "Patin Anna Lena Schmidt" gives the role "Patin Anna";
    * a role without a name ("Präsident der IHK") is split wrongly (name "IHK");
    * a function word that is not in the list (e.g. "Patin Schmidt") ends up in the name
      when only the surname follows it;
    * a name of more than four words before a comma is not recognised as ``Name, Role``.
    """
    text = re.sub(r"\s+", " ", attribution.replace("**", "")).strip(" *_,")
    if "," in text:
        head, tail = (part.strip() for part in text.split(",", 1))
        if head and _is_person_name(head.split()):
            return head, tail
        before, last = (part.strip() for part in text.rsplit(",", 1))
        if last and _is_person_name(last.split()):
            return last, before
        name, role = _split_role_name(head.split())
        role_text = " ".join(role)
        return " ".join(name), f"{role_text}, {tail}" if role_text else tail
    name, role = _split_role_name(text.split())
    return " ".join(name), " ".join(role)


def _attribution_plausible(attribution: str) -> bool:
    """Whether the text before ``: "`` is an attribution and not the end of a sentence."""
    text = attribution.replace("**", "").strip(" *_")
    tokens = text.split()
    if not tokens or len(tokens) > 14 or not (tokens[0][0].isupper() or _is_title(tokens[0])):
        return False
    before_comma = True
    for token in tokens:
        word = token.strip(",")
        if word.endswith(("!", "?")):
            return False
        if word.endswith(".") and not (
            _is_title(word) or re.fullmatch(r"(?:[^\W\d_]{1,5}\.)+(?:-[^\W\d_]{1,5}\.)?", word)
        ):
            return False
        lower = word[:1].islower()
        if before_comma and lower and word.casefold() not in _ATTRIBUTION_LOWER:
            return False
        if token.endswith(","):
            before_comma = False
    return True


# --------------------------------------------------------------------------- inline markup

_SUB_DIGITS = "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"
_SUP_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾"
_ASCII_SCRIPT = "0123456789+-=()"
_FROM_SUB = str.maketrans(_SUB_DIGITS, _ASCII_SCRIPT)
_FROM_SUP = str.maketrans(_SUP_DIGITS, _ASCII_SCRIPT)
_SUB_RUN = re.compile(f"[{re.escape(_SUB_DIGITS)}]+")
_SUP_RUN = re.compile(f"[{re.escape(_SUP_DIGITS)}]+")

# A Markdown escape (`\_`, and the archive's doubled `\\_`) protects one ASCII punctuation
# character. In structural lines (addresses, running headers) it is swapped for a private-use
# character while they are matched.
_ESCAPE_RE = re.compile(r"\\{1,2}([!-/:-@\[-`{-~])")
_PROTECTED_RE = re.compile("[\ue021-\ue07e]")

# The Markdown dialect of the archive: CommonMark (markdown-it-py) without the constructs a
# printed release cannot have. Indented lines stay text (no code blocks), ``>`` stays text,
# HTML lines stay text (the only HTML kept is <sub>/<sup>), and a line ``[a]: …`` is text, not
# a link definition that would vanish. Every address is judged by `_link_href` instead of
# markdown-it's own filter, so a refused link keeps its text.
_MARKDOWN = MarkdownIt("commonmark", {"html": True}).disable(
    ["code", "fence", "blockquote", "html_block", "reference"]
)
_MARKDOWN.validateLink = lambda url: True  # type: ignore[method-assign]
_SAFE_URL_RE = re.compile(r"^(?:https?://|mailto:|tel:)", re.IGNORECASE)
_SCRIPT_TAG_RE = re.compile(r"^<(?P<close>/?)(?P<tag>sub|sup)\s*>$", re.IGNORECASE)


def _protect(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: chr(0xE000 + ord(m[1])), text)


def _unprotect(text: str) -> str:
    return _PROTECTED_RE.sub(lambda m: chr(ord(m[0]) - 0xE000), text)


def markdown_unescape(text: str) -> str:
    """`\\_` and `\\\\_` → `_`: the archive escapes Markdown characters, sometimes twice."""
    return _unprotect(_protect(text))


def _markdown_source(text: str) -> str:
    """Archive Markdown as CommonMark reads it: a doubled escape (`\\\\_`) made single."""
    return _ESCAPE_RE.sub(lambda m: "\\" + m[1], text)


def _text_html(text: str) -> str:
    """Literal text as rich-text HTML: escaped, Unicode script digits as <sub>/<sup>."""
    escaped = html.escape(_unprotect(text), quote=False)
    escaped = _SUB_RUN.sub(lambda m: f"<sub>{m[0].translate(_FROM_SUB)}</sub>", escaped)
    return _SUP_RUN.sub(lambda m: f"<sup>{m[0].translate(_FROM_SUP)}</sup>", escaped)


def _link_href(url: str) -> str | None:
    """The address a link may keep: web, mail and phone addresses only (never `javascript:`)."""
    return url if _SAFE_URL_RE.match(url) else None


def _script_pairs(tokens: list[Token]) -> set[int]:
    """Indexes of the inline HTML tokens that are a matched <sub>…</sub> or <sup>…</sup>: the
    only HTML the archive may carry. Any other tag, or an unmatched one, is text."""
    paired: set[int] = set()
    open_tags: list[tuple[str, int]] = []
    for index, token in enumerate(tokens):
        match = _SCRIPT_TAG_RE.match(token.content) if token.type == "html_inline" else None
        if not match:
            continue
        tag = match["tag"].lower()
        if not match["close"]:
            open_tags.append((tag, index))
        elif open_tags and open_tags[-1][0] == tag:
            paired.update((open_tags.pop()[1], index))
    return paired


class _InlineImageError(ValueError):
    """An image inside running text: a press photo belongs in the download section."""


def _inline_tokens_html(tokens: list[Token]) -> str:
    """markdown-it's inline tokens → Wagtail rich-text inline HTML (its stored format: <b>, <i>,
    <a href>, <br/>, <sub>, <sup>)."""
    paired = _script_pairs(tokens)
    out: list[str] = []
    open_links: list[bool] = []
    for index, token in enumerate(tokens):
        kind = token.type
        if kind in ("text", "code_inline"):
            out.append(_text_html(token.content))
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("<br/>")
        elif kind in ("strong_open", "strong_close", "em_open", "em_close"):
            tag = "b" if kind.startswith("strong") else "i"
            out.append(f"</{tag}>" if kind.endswith("close") else f"<{tag}>")
        elif kind == "link_open":
            href = _link_href(str(token.attrGet("href") or ""))
            open_links.append(href is not None)
            if href is not None:
                out.append(f'<a href="{html.escape(href, quote=True)}">')
        elif kind == "link_close":
            if open_links and open_links.pop():
                out.append("</a>")
        elif kind == "html_inline" and index in paired:
            match = _SCRIPT_TAG_RE.match(token.content)
            out.append(f"<{match['close']}{match['tag'].lower()}>")  # type: ignore[index]
        elif kind == "html_inline":
            out.append(_text_html(token.content))
        elif kind == "image":
            raise _InlineImageError(token.content)
        else:  # a token type this dialect does not make: its text, never its markup
            out.append(_text_html(token.content))
    return "".join(out)


def _inline_html(text: str, *, markdown: bool) -> str:
    if not markdown:
        return _text_html(_squash(text))
    tokens = _MARKDOWN.parseInline(_markdown_source(text.strip()))
    return _inline_tokens_html(tokens[0].children or [] if tokens else [])


def _inline_text(tokens: list[Token]) -> str:
    """Inline tokens as plain text: emphasis and links dropped, their words kept."""
    parts = []
    for token in tokens:
        if token.type in ("text", "code_inline", "html_inline", "image"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _plain_string(text: str, *, markdown: bool) -> str:
    """A plain field (title, caption, name): Markdown emphasis, links and escapes removed."""
    if markdown:
        tokens = _MARKDOWN.parseInline(_markdown_source(text.strip()))
        text = _inline_text(tokens[0].children or [] if tokens else [])
    return _squash(text)


def _squash(text: str) -> str:
    # Only ASCII whitespace: a no-break space ("5\u00a0%") is content.
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()


# --------------------------------------------------------------------------- quotes

_QUOTE_START_RE = re.compile(
    r'^(?P<attr>[^"„“”:\n]{2,200}?)\s*:\s*(?:\*\*|__)?\s*(?P<open>["„“])(?P<rest>.*)$', re.DOTALL
)
_CLOSERS = {"„": "“”", "“": "”"}
_PARAGRAPH_SEPARATOR = "\n\n"  # between the paragraphs of one quote; never inside a joined text


def _close_index(text: str, opener: str) -> int | None:
    """Index of the mark that closes a quote opened just before `text`, None if still open.

    Nested quotations are counted: typographic ones by their marks, straight ones by position
    (a `"` after a space or bracket opens, any other closes).
    """
    depth = 1
    for index, char in enumerate(text):
        if opener == '"':
            if char != '"':
                continue
            before = text[index - 1] if index else " "
            depth += 1 if (before.isspace() or before in "([\u201e\u201a") else -1
        elif char == opener:
            depth += 1
        elif char in _CLOSERS[opener]:
            depth -= 1
        if depth == 0:
            return index
    return None


def _quote_start(text: str) -> re.Match[str] | None:
    match = _QUOTE_START_RE.match(text)
    if not match or not _attribution_plausible(match["attr"]):
        return None
    name, _role = attribution_split(match["attr"])
    return match if name else None


def _quote_open(text: str) -> bool:
    """Whether a quotation is still open at the end of `text` (it goes on after a break)."""
    start = _quote_start(text)
    if start and _close_index(start["rest"], start["open"]) is None:
        return True
    if text.count('"') % 2:
        return True
    if "„" in text:
        return text.count("„") > text.count("“") + text.count("”")
    return text.count("“") > text.count("”")


# --------------------------------------------------------------------------- blocks


@dataclass
class _Block:
    """One Markdown block of the body (a paragraph, a list, a heading) with its source lines;
    `after_break` when a page break came right before."""

    line: int
    lines: list[str]
    after_break: bool = False
    kind: str = "paragraph"  # "paragraph", "list" or "heading"
    tokens: list[Token] = field(default_factory=list)


_RULE_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_PAGE_RE = re.compile(r"^\s*Seite\s+\d+(?:\s+(?:von|/)\s*\d+)?\s*$", re.IGNORECASE)
_URL_LINE_RES = (
    re.compile(r"^<(?P<url>https?://[^<>\s]+)>$", re.IGNORECASE),
    re.compile(r"^\[[^\]]*\]\((?P<url>https?://[^()\s]+)\)$", re.IGNORECASE),
    re.compile(r"^(?P<url>https?://\S+)$", re.IGNORECASE),
)
_DOWNLOAD_RE = re.compile(
    r"^(?:Zu Ihrer redaktionellen Verwendung|The following material is available)\b.*:$",
    re.IGNORECASE,
)
# The labels of the text version's last parts, German (the archive's) and English.
_TEXT_VERSION_RE = re.compile(r"^(?:Textversion|Text version)\s*:", re.IGNORECASE)
_CONTACT_RE = re.compile(r"^(?:Kontakt|Contact)\s*:", re.IGNORECASE)
_SENTENCE_END_RE = re.compile("[.!?…:][\"“”'\u2019»«)\\]]*$")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(
    r"(?:(?:Telefon|Tel\.?|Fon|Phone)\s*:?\s*)(?P<phone>\+?\d[\d .\-/()]*\d)", re.IGNORECASE
)


def _structural_line(line: str) -> str:
    """A line of a structural part (contact, Textversion …) without Markdown emphasis."""
    text = line.strip().replace("**", "")
    return text[:-1].rstrip() if text.endswith("\\") else text


def _url_of(line: str) -> str | None:
    text = _structural_line(line)
    for pattern in _URL_LINE_RES:
        match = pattern.match(text)
        if match:
            return markdown_unescape(match["url"])
    return None


def _running_header_re(title: str) -> re.Pattern[str]:
    """A line repeating the title (print running header), with or without `##`/`**`,
    optionally followed by `Seite N` after a Markdown hard break on the same line."""
    words = [re.escape(word) for word in title.split()]
    title_pattern = r"\s+".join(words)
    return re.compile(
        rf"^\s*(?:#{{1,6}}\s*)?(?:\*\*|__)?\s*{title_pattern}\s*(?:\*\*|__)?\s*\\?\s*"
        rf"(?P<page>Seite\s+\d+(?:\s+(?:von|/)\s*\d+)?)?\s*$",
        re.IGNORECASE,
    )


def _print_artefacts_removed(
    lines: list[tuple[int, str]], *, title: str
) -> tuple[list[tuple[int, str]], set[int]]:
    """The body with page breaks (running header + `Seite N`) blanked out, and the indexes of
    the blanked lines.

    Blank lines take their place, so a page break also separates blocks (even without blank
    lines around it) and every line keeps its number; the caller joins a paragraph that a
    break cut in two again.
    """
    header = _running_header_re(markdown_unescape(title))
    clean = list(lines)
    breaks: set[int] = set()
    at_block_start = True
    index = 0
    while index < len(lines):
        line = lines[index][1]
        match = header.match(markdown_unescape(line))
        # A title repeat is a running header when "Seite N" follows, or when it is set apart
        # as a Markdown heading/bold line: a wrapped plain line that happens to equal the
        # title stays text.
        is_header = bool(match) and (
            bool(match["page"])
            or _next_is_page(lines, index)
            or (at_block_start and bool(re.match(r"^\s*(?:#|\*\*|__)", line)))
        )
        standalone_page = (
            bool(_PAGE_RE.match(line))
            and at_block_start
            and (index + 1 == len(lines) or not lines[index + 1][1].strip())
        )
        if is_header or standalone_page:
            artefact = [index]
            if is_header:  # its "Seite N" may follow on the next non-blank line
                ahead = index + 1
                while ahead < len(lines) and not lines[ahead][1].strip():
                    ahead += 1
                if ahead < len(lines) and _PAGE_RE.match(lines[ahead][1]):
                    artefact = list(range(index, ahead + 1))
            for position in artefact:
                clean[position] = (lines[position][0], "")
                breaks.add(position)
            at_block_start = True
            index = artefact[-1] + 1
            continue
        at_block_start = not line.strip() or bool(_RULE_RE.match(line))
        index += 1
    return clean, breaks


def _next_is_page(lines: list[tuple[int, str]], index: int) -> bool:
    ahead = index + 1
    while ahead < len(lines) and not lines[ahead][1].strip():
        ahead += 1
    return ahead < len(lines) and bool(_PAGE_RE.match(lines[ahead][1]))


# The plain layout's lists, as the text version writes them: "  • item", "  1. item". Only
# indented: "1. März" or "• " at the start of a wrapped paragraph line is text.
_PLAIN_ITEM_RE = re.compile(
    r"^(?P<indent> +)(?:(?P<bullet>[•◦▪‣])|(?P<number>\d{1,9})[.)])[ \t]+(?P<rest>\S.*)$"
)
_UNDERLINE_RE = re.compile(r"^(?:=+|-+)$")
_MARKDOWN_PUNCTUATION_RE = re.compile(r"([!-/:-@\[-`{-~])")


def _plain_as_markdown(lines: list[str]) -> tuple[list[str], dict[int, int]]:
    """The plain layout's lines as Markdown with the same blocks, and the number each numbered
    item line carries: its list items and underlined headings (what the text version writes)
    become Markdown ones, everything else is escaped, so ``*``, ``_``, ``#`` or ``1.`` in
    running text stay text.

    Every numbered item is written as ``1.``: CommonMark lets a list right under a line of
    text (a nested list under its item) start only at 1. The caller gives each list the number
    its first item carried."""
    converted = []
    numbers: dict[int, int] = {}
    previous = ""
    style = 0
    for position, line in enumerate(lines):
        text = line.rstrip()
        item = _PLAIN_ITEM_RE.match(text)
        if item:
            # Two lists the text version wrote one after the other (a blank line between) stay
            # two: in Markdown a list goes on over a blank line unless its marker changes.
            style = 1 - style if not previous.strip() else style
            if item["bullet"]:
                marker = "-*"[style]
            else:
                marker = "1" + ".)"[style]
                numbers[position] = int(item["number"])
            rest = _MARKDOWN_PUNCTUATION_RE.sub(r"\\\1", item["rest"])
            converted.append(f"{item['indent']}{marker} {rest}")
        elif len(text) >= 3 and _UNDERLINE_RE.match(text) and previous.strip():
            converted.append(text)
        else:
            converted.append(_MARKDOWN_PUNCTUATION_RE.sub(r"\\\1", text.strip()))
        previous = text
    return converted, numbers


def _blocks(lines: list[tuple[int, str]], *, title: str, markdown: bool) -> list[_Block]:
    """The body as Markdown blocks (markdown-it), with page breaks removed first.

    A block's `lines` are its source lines as written (the structural parts - photos,
    Textversion, contact - are read from them); its `tokens` are markdown-it's, for lists and
    headings. The plain layout is read as Markdown after `_plain_as_markdown`.
    """
    clean, breaks = _print_artefacts_removed(lines, title=title)
    texts = [line for _number, line in clean]
    if markdown:
        source, numbers = [_markdown_source(text) for text in texts], {}
    else:
        source, numbers = _plain_as_markdown(texts)
    tokens = _MARKDOWN.parse("\n".join(source))
    for token in tokens:
        if token.type == "ordered_list_open" and token.map and token.map[0] in numbers:
            token.attrSet("start", numbers[token.map[0]])
    blocks: list[_Block] = []
    previous_end = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = index + 1
        if token.nesting == 1:  # the block runs to its closing token on the same level
            while not (tokens[end].level == token.level and tokens[end].nesting == -1):
                end += 1
            end += 1
        if token.map is None or token.type == "hr":
            index = end
            continue
        first, last = token.map
        block_lines = [text for text in texts[first:last] if text.strip()]
        kind = {"bullet_list_open": "list", "ordered_list_open": "list"}.get(token.type)
        if token.type == "heading_open":
            kind = "heading"
        blocks.append(
            _Block(
                line=clean[first][0],
                lines=block_lines,
                after_break=any(position in breaks for position in range(previous_end, first)),
                kind=kind or "paragraph",
                tokens=tokens[index:end],
            )
        )
        previous_end = last
        index = end
    return blocks


def _block_text(block: _Block, *, markdown: bool) -> str:
    """A paragraph's source text: in Markdown its lines (hard breaks are Markdown's)."""
    if markdown:
        return "\n".join(line.lstrip() for line in block.lines).strip()
    return _squash(" ".join(block.lines))


def _continues(before: str, after: str) -> bool:
    """Whether `after` (first text after a page break) continues the paragraph `before`."""
    if _quote_open(before):
        return True
    if after[:1].islower():
        return True
    return not _SENTENCE_END_RE.search(before.rstrip(" *_"))


# --------------------------------------------------------------------------- structure


@dataclass
class _Para:
    line: int
    text: str


@dataclass
class _Rich:
    """A list or heading, already rich text: never a quote, never joined with a paragraph."""

    line: int
    html: str


@dataclass
class _Structure:
    """Body parts in order, before paragraphs are told from quotes."""

    parts: list[object] = field(default_factory=list)
    contact: ParsedContact | None = None
    text_url: str | None = None


def _photos(
    blocks: list[_Block], index: int, *, markdown: bool, source: str
) -> tuple[list[ParsedImage], int]:
    """Photos of the download section from blocks[index:]: caption line(s) ending in
    ``©credit``, then the address on the next line (a page break may fall between)."""
    photos: list[ParsedImage] = []
    caption_lines: list[str] = []
    caption_line = blocks[index].line
    position = index
    while position < len(blocks):
        block = blocks[position]
        if position > index and not caption_lines:
            break  # the next block starts after complete photos: not ours to read
        for offset, line in enumerate(block.lines):
            url = _url_of(line)
            if url is None:
                if not caption_lines:
                    caption_line = block.line + offset
                caption_lines.append(line)
                continue
            if not caption_lines:
                raise ReleaseParseError(
                    _(
                        "Photo address without a caption: the address needs a line "
                        "“Caption, ©Credit” before it."
                    ),
                    line=block.line + offset,
                    source=source,
                )
            photos.append(
                _photo(
                    caption_lines,
                    url,
                    line=caption_line,
                    url_line=block.line + offset,
                    markdown=markdown,
                    source=source,
                )
            )
            caption_lines = []
        position += 1
        if caption_lines and (position >= len(blocks) or not _url_of(blocks[position].lines[0])):
            break
    if caption_lines:
        if "©" not in " ".join(caption_lines):
            raise ReleaseParseError(
                _("Caption without ©credit: the line must end with “©Author”."),
                line=caption_line,
                source=source,
            )
        raise ReleaseParseError(
            _(
                "Photo without an address: the address of the original (<https://…>) must "
                "follow the caption."
            ),
            line=caption_line,
            source=source,
        )
    return photos, position


def _photo(
    caption_lines: list[str], url: str, *, line: int, url_line: int, markdown: bool, source: str
) -> ParsedImage:
    text = _plain_string(" ".join(caption_lines), markdown=markdown)
    if "©" not in text:
        raise ReleaseParseError(
            _("Caption without ©credit: the line must end with “©Author”."),
            line=line,
            source=source,
        )
    caption, credit = (part.strip() for part in text.split("©", 1))
    caption = caption.rstrip(",").strip()
    if not credit:
        raise ReleaseParseError(
            _("Empty credit: the author's name must follow “©”."), line=line, source=source
        )
    file_name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    if not file_name:
        raise ReleaseParseError(
            _("The photo address “%(url)s” names no file.") % {"url": url},
            line=url_line,
            source=source,
        )
    if photo_file_name_from_url(url) is None:
        raise ReleaseParseError(file_name_refused_message(url), line=url_line, source=source)
    return ParsedImage(
        source_url=url, file_name=file_name, caption=caption, credit=credit, alt=caption
    )


def _is_download_sentence(blocks: list[_Block], index: int, *, text: str) -> bool:
    """The standard sentence, or any sentence ending in ":" right before a photo (caption
    with ©, then an address): an office may word its download sentence differently."""
    if _DOWNLOAD_RE.match(text):
        return True
    if not text.endswith(":") or index + 1 >= len(blocks):
        return False
    following = blocks[index + 1].lines
    return any("©" in line for line in following) and _url_of(following[-1]) is not None


def _looks_like_photo(block: _Block) -> bool:
    return any("©" in line or _url_of(line) for line in block.lines)


_REACH_LINE_RE = re.compile(r"@|^\s*(?:Telefon|Tel\b|Fon\b|Phone\b|\+?\d)", re.IGNORECASE)


def _contact(lines: list[str], *, markdown: bool) -> ParsedContact | None:
    """``Kontakt: Last, First`` (or ``First Last``), then e-mail and ``Telefon …``.

    The name may be wrapped over lines; the first line with an address or a number starts
    the part with e-mail and phone, whose lines are joined with spaces (a mail client may
    wrap "…, Telefon" and the number apart).
    """
    lines = [_plain_string(line, markdown=markdown) for line in lines]
    lines[0] = _CONTACT_RE.sub("", lines[0])
    reach_start = next(
        (i for i, line in enumerate(lines) if i and _REACH_LINE_RE.search(line)), len(lines)
    )
    name_text = " ".join(lines[:reach_start])
    text = f"{name_text} , {' '.join(lines[reach_start:])}"
    email_match = _EMAIL_RE.search(text)
    email = email_match[0] if email_match else ""
    phone_match = _PHONE_RE.search(text)
    phone = phone_match["phone"] if phone_match else ""
    for match in (email_match, phone_match):
        if match:
            name_text = name_text.replace(match[0], ",")
    parts = [part.strip() for part in name_text.split(",") if part.strip(" ,;")]
    name = parts[0] if parts else ""
    if len(parts) >= 2:  # "Last, First": academic titles of the surname go in front
        last, first = parts[0].split(), parts[1].split()
        titles = [token for token in last if _is_title(token)]
        name = " ".join([*titles, *first, *(t for t in last if not _is_title(t))])
    if not (name or email or phone):
        return None
    return ParsedContact(name=name, email=email, phone=phone)


def _heading_tags(blocks: list[_Block], *, markdown: bool) -> dict[str, str]:
    """Heading levels of the source → the rich text's h2/h3 (the page's title is its h1).

    In Markdown the release's own levels count, not their number of ``#``: its highest level
    becomes h2, every lower one h3 (the archive sets the title itself in ``###``). The plain
    layout's underlines are fixed: ``===`` is h2, ``---`` h3, as the text version writes them.
    """
    if not markdown:
        return {f"h{level}": "h2" if level == 1 else "h3" for level in range(1, 7)}
    used = [block.tokens[0].tag for block in blocks if block.kind == "heading"]
    top = min(used, default="h1")
    return {f"h{level}": "h2" if f"h{level}" == top else "h3" for level in range(1, 7)}


def _inline_or_error(token: Token, *, line: int, source: str) -> str:
    try:
        return _inline_tokens_html(token.children or [])
    except _InlineImageError:
        raise ReleaseParseError(_inline_image_message(), line=line, source=source) from None


def _inline_image_message() -> str:
    return _(
        "An image inside the text cannot be imported: a press photo goes in the download "
        "section, as a line “Caption, ©Credit” and the address of the original."
    )


def _heading_html(block: _Block, tag: str, source: str) -> str:
    inline = block.tokens[1]
    if not inline.content.strip():
        raise ReleaseParseError(
            _("Empty heading: a heading needs its text on the same line."),
            line=block.line,
            source=source,
        )
    return f"<{tag}>{_inline_or_error(inline, line=block.line, source=source)}</{tag}>"


def _list_html(block: _Block, source: str) -> str:
    """A bulleted or numbered list, nested lists inside their item, as Wagtail stores it:
    no <p> inside an item (several paragraphs of one item are kept apart by a line break)."""
    out: list[str] = []
    item_started: list[bool] = []  # per open item: whether text was written into it yet
    line = block.line
    for position, token in enumerate(block.tokens):
        if token.map:
            line = block.line + token.map[0] - block.tokens[0].map[0]
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrGet("start")
            attributes = f' start="{int(start)}"' if start not in (None, 1) else ""
            out.append(f"<{token.tag}{attributes}>")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            out.append(f"</{token.tag}>")
        elif kind == "list_item_open":
            if block.tokens[position + 1].type == "list_item_close":
                raise ReleaseParseError(
                    _("Empty list item: the marker (“-”, “1.”) must be followed by its text."),
                    line=line,
                    source=source,
                )
            out.append("<li>")
            item_started.append(False)
        elif kind == "list_item_close":
            out.append("</li>")
            item_started.pop()
        elif kind == "inline":
            if item_started and item_started[-1]:
                out.append("<br/>")
            out.append(_inline_or_error(token, line=line, source=source))
            if item_started:
                item_started[-1] = True
        # Anything else inside an item ("- ## text") keeps its words, not its markup.
    return "".join(out)


def _structure(blocks: list[_Block], *, markdown: bool, source: str) -> _Structure:
    """Sort the blocks into paragraphs, photos, Textversion and contact; join paragraphs
    that a page break cut in two."""
    result = _Structure()
    heading_tags = _heading_tags(blocks, markdown=markdown)
    in_download = False
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind == "heading":
            tag = heading_tags[block.tokens[0].tag]
            result.parts.append(_Rich(line=block.line, html=_heading_html(block, tag, source)))
            in_download = False
            index += 1
            continue
        first = _structural_line(block.lines[0])
        if _TEXT_VERSION_RE.match(first):
            index = _text_version(blocks, index, result, source=source)
            in_download = False
            continue
        if _CONTACT_RE.match(first):
            contact_lines = list(block.lines)
            index += 1
            if (
                not any(_REACH_LINE_RE.search(line) for line in contact_lines[1:])
                and index < len(blocks)
                and _EMAIL_RE.search(" ".join(blocks[index].lines))
            ):
                contact_lines += blocks[index].lines  # e-mail and phone after a blank line
                index += 1
            if result.contact is not None:
                raise ReleaseParseError(
                    _("More than one contact: a press release has exactly one contact."),
                    line=block.line,
                    source=source,
                )
            result.contact = _contact(contact_lines, markdown=markdown)
            in_download = False
            continue
        text = _block_text(block, markdown=markdown)
        if _is_download_sentence(blocks, index, text=_plain_string(text, markdown=markdown)):
            in_download = True
            index += 1
            continue
        if in_download and _looks_like_photo(block):
            photos, index = _photos(blocks, index, markdown=markdown, source=source)
            result.parts.extend(photos)
            continue
        in_download = False
        if block.kind == "list":
            result.parts.append(_Rich(line=block.line, html=_list_html(block, source)))
            index += 1
            continue
        previous = result.parts[-1] if result.parts else None
        if block.after_break and isinstance(previous, _Para) and _continues(previous.text, text):
            previous.text = f"{previous.text} {text}"
        else:
            result.parts.append(_Para(line=block.line, text=text))
        index += 1
    return result


def _text_version(blocks: list[_Block], index: int, result: _Structure, *, source: str) -> int:
    """``Textversion:`` and its address (same line, next line or next block)."""
    block = blocks[index]
    candidates = [
        _TEXT_VERSION_RE.sub("", _structural_line(block.lines[0])).strip(),
        *block.lines[1:],
    ]
    consumed = 1
    if not any(candidate.strip() for candidate in candidates) and index + 1 < len(blocks):
        candidates = blocks[index + 1].lines[:1]
        consumed = 2
    url = next((_url_of(c) for c in candidates if c.strip()), None)
    if url is None:
        raise ReleaseParseError(
            _("The address (https://…) is missing after “Text version:”."),
            line=block.line,
            source=source,
        )
    result.text_url = url
    return index + consumed


def _body(parts: list[object], *, markdown: bool, source: str) -> list[tuple[str, object]]:
    """Paragraphs and quotes (a quote may run over several paragraphs) in order."""
    body: list[tuple[str, object]] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if isinstance(part, ParsedImage):
            body.append(("image", part))
            index += 1
            continue
        if isinstance(part, _Rich):
            body.append(("paragraph", part.html))
            index += 1
            continue
        assert isinstance(part, _Para)
        quote = _quote(parts, index, markdown=markdown, source=source)
        if quote is not None:
            value, index = quote
            body.append(("quote", value))
            continue
        html_text = _paragraph_html(part.text, markdown=markdown, line=part.line, source=source)
        body.append(("paragraph", f"<p>{html_text}</p>"))
        index += 1
    return body


def _paragraph_html(text: str, *, markdown: bool, line: int, source: str) -> str:
    """A paragraph's rich text; an image in it is an error on the line that holds it."""
    try:
        return _inline_html(text, markdown=markdown)
    except _InlineImageError:
        offset = text[: text.find("![")].count("\n") if "![" in text else 0
        raise ReleaseParseError(
            _inline_image_message(), line=line + offset, source=source
        ) from None


def _quote(
    parts: list[object], index: int, *, markdown: bool, source: str
) -> tuple[dict[str, str], int] | None:
    """The quote starting at parts[index] and the index after it, None for a paragraph."""
    part = parts[index]
    assert isinstance(part, _Para)
    start = _quote_start(part.text)
    if start is None:
        return None
    opener = start["open"]
    texts = [start["rest"]]
    end = index
    close = _close_index(start["rest"], opener)
    while close is None and end + 1 < len(parts) and isinstance(parts[end + 1], _Para):
        end += 1
        following = parts[end].text
        # German typesetting reopens a quote that runs over paragraphs with „ each time.
        texts.append(following[1:].lstrip() if following.startswith(opener) else following)
        close = _close_index(_PARAGRAPH_SEPARATOR.join(texts), opener)
    if close is None:
        raise ReleaseParseError(
            _("The quote is not closed: the closing quotation mark is missing at its end."),
            line=part.line,
            source=source,
        )
    joined = _PARAGRAPH_SEPARATOR.join(texts)
    if joined[close + 1 :].strip(" *_"):
        return None  # the quotation ends inside the paragraph: a normal paragraph
    paragraphs = joined[:close].strip().split(_PARAGRAPH_SEPARATOR)
    name, role = attribution_split(start["attr"])
    html_text = "".join(
        f"<p>{_paragraph_html(text, markdown=markdown, line=part.line, source=source)}</p>"
        for text in paragraphs
    )
    value = {
        "text": html_text,
        "name": _plain_string(name, markdown=markdown),
        "role": _plain_string(role, markdown=markdown),
    }
    return value, end + 1


# --------------------------------------------------------------------------- header


@dataclass
class _Header:
    title: str
    release_date: datetime.date
    markdown: bool
    body_start: int  # index into the list of lines


def _header(lines: list[str], *, source: str) -> _Header:
    """Office/service preamble, date, title; tells the Markdown from the plain layout."""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    first_block_end = index
    while first_block_end < len(lines) and lines[first_block_end].strip():
        first_block_end += 1
    markdown = False
    release_date = None
    last_seen = index
    while index < len(lines):
        text = lines[index].strip()
        if not text:
            index += 1
            continue
        last_seen = index
        try:
            release_date = german_date_parse(text.replace("**", "").lstrip("#").strip())
        except ValueError as exc:
            raise ReleaseParseError(str(exc), line=index + 1, source=source) from None
        if release_date is not None:
            break
        if re.match(r"^#{1,2}\s", text) or _RULE_RE.match(text):
            markdown = True
        elif index >= first_block_end or text.startswith("###"):
            raise ReleaseParseError(
                _("No date: a line like “February 7, 2023” is expected before the title."),
                line=index + 1,
                source=source,
            )
        index += 1
    if release_date is None:
        raise ReleaseParseError(
            _("No date: a line like “February 7, 2023” is expected after the service name."),
            line=last_seen + 1,
            source=source,
        )
    date_index = index
    index += 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines):
        raise ReleaseParseError(
            _("No title: the file ends after the date."), line=date_index + 1, source=source
        )
    first = lines[index].strip()
    markdown = markdown or first.startswith("#")
    if markdown:
        match = re.match(r"^#{1,6}\s*(.*)$", first)
        if not match:
            raise ReleaseParseError(
                _("No title: the heading “### **Title**” is expected after the date."),
                line=index + 1,
                source=source,
            )
        title_lines = [match[1]]
        index += 1
        # A bold title cut over lines: read on to its closing "**".
        while (
            title_lines[0].startswith("**")
            and not title_lines[-1].rstrip().endswith("**")
            and index < len(lines)
            and lines[index].strip()
        ):
            title_lines.append(lines[index])
            index += 1
    else:
        title_lines = []
        while index < len(lines) and lines[index].strip():
            title_lines.append(lines[index])
            index += 1
    title = _plain_string(" ".join(title_lines), markdown=markdown)
    if markdown:
        title = title.strip("*_ ")
    if not title:
        raise ReleaseParseError(_("The title is empty."), line=index, source=source)
    return _Header(title=title, release_date=release_date, markdown=markdown, body_start=index)


# --------------------------------------------------------------------------- entry point


def release_parse(text: str, *, source: str = "<string>") -> ParsedRelease:
    """Parse one legacy release (Markdown archive layout or our plain-text layout).

    Raises ReleaseParseError - and no other exception - for anything that cannot be imported,
    with the 1-based line where the problem is (None when it concerns the whole file).
    """
    shown_source = None if source == "<string>" else source
    try:
        return _release_parse(text, source=shown_source)
    except ReleaseParseError:
        raise
    except Exception as exc:  # the contract: a bad file never escapes as another exception
        raise ReleaseParseError(
            _("The file cannot be read (%(error)s).") % {"error": f"{type(exc).__name__}: {exc}"},
            source=shown_source,
        ) from exc


def _release_parse(text: str, *, source: str | None) -> ParsedRelease:
    if not isinstance(text, str):
        raise ReleaseParseError(_("The input is not text."), source=source)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\f", "\n")  # a form feed is a printer's page break
    if not text.strip():
        raise ReleaseParseError(_("The file is empty."), source=source)
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        control = CONTROL_CHARACTERS.search(line)
        if control:  # what the editor's forms refuse, the importer refuses too
            raise ReleaseParseError(
                _("Control character %(character)s: the text must not contain any.")
                % {"character": f"U+{ord(control[0]):04X}"},
                line=number,
                source=source,
            )
    header = _header(lines, source=source or "")
    numbered = list(enumerate(lines, start=1))  # trailing spaces: a Markdown hard break
    blocks = _blocks(numbered[header.body_start :], title=header.title, markdown=header.markdown)
    structure = _structure(blocks, markdown=header.markdown, source=source or "")
    body = _body(structure.parts, markdown=header.markdown, source=source or "")
    return ParsedRelease(
        title=header.title,
        release_date=header.release_date,
        body=body,
        contact=structure.contact,
        text_url=structure.text_url,
    )
