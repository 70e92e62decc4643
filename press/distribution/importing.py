"""Reading a file of journalists (CSV as German Excel writes it, or XLSX) and checking each row.

Pure: the database's view (known addresses, topics) is handed in, so this is tested without
one. Row numbers are the file's line numbers (the header is line 1), as the editor sees them in
a spreadsheet program.
"""

import csv
import io
import posixpath
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..validators import CONTROL_CHARACTERS

NEW = "new"
UPDATED = "updated"
UNCHANGED = "unchanged"
ERROR = "error"

# Header names as offices write them, German and English; compared without case, spaces,
# hyphens and underscores ("E-Mail", "e_mail", "EMail" are one).
HEADERS = {
    "name": ("name", "namen", "journalist", "journalistin"),
    "outlet": ("redaktion", "medium", "medien", "outlet", "media", "zeitung", "publication"),
    "email": ("email", "emailadresse", "mail", "emailaddress", "mailadresse"),
    "topics": ("themen", "thema", "topics", "topic", "ressort"),
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, size, header): said to the editor."""


@dataclass
class ImportRow:
    line: int
    name: str = ""
    outlet: str = ""
    email: str = ""
    topics: list[str] | None = None  # None: the file has no topic column (topics are kept)
    status: str = NEW
    messages: list[str] = field(default_factory=list)
    topic_names: list[str] = field(default_factory=list)  # for the preview, once checked

    def as_data(self) -> list:
        return [self.line, self.name, self.outlet, self.email, self.topics]

    @classmethod
    def from_data(cls, data: list) -> "ImportRow":
        line, name, outlet, email, topics = data
        return cls(line=line, name=name, outlet=outlet, email=email, topics=topics)


def _header_key(text: str) -> str:
    return "".join(ch for ch in text.strip().lower() if ch not in " -_.")


def header_columns(header: list[str]) -> dict[str, int]:
    """Which column holds which field; the e-mail and name columns must be there."""
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        key = _header_key(str(text or ""))
        for name, aliases in HEADERS.items():
            if key in aliases and name not in columns:
                columns[name] = index
    missing = [
        label
        for name, label in (("email", _("E-Mail")), ("name", _("Name")))
        if name not in columns
    ]
    if missing:
        raise ImportFileError(
            _(
                "The first line names no column %(missing)s. Recognised column names: Name, "
                "Redaktion/Medium/Outlet, E-Mail, Themen/Topics."
            )
            % {"missing": " / ".join(f"„{label}“" for label in missing)}
        )
    return columns


def _text_decode(content: bytes) -> str:
    # UTF-8 (with or without the BOM Excel writes for "CSV UTF-8"), else Windows-1252, the
    # encoding of German Excel's plain "CSV (Trennzeichen-getrennt)".
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The file is not readable as text (neither UTF-8 nor Windows-1252).")
        ) from error


def _delimiter_sniff(first_line: str) -> str:
    # German Excel separates with ";", most other programs with ","; the header line decides.
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    return max(counts, key=lambda delimiter: counts[delimiter])


def _too_many_rows(max_rows: int) -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)s rows; at most %(max)s can be imported at once.")
        % {"max": max_rows}
    )


def _records_capped(records: Iterable[tuple[int, list]], *, max_rows: int) -> list:
    """The non-blank records (the header and at most `max_rows` more), read one at a time: a
    file with more is refused as soon as the next one comes, before the rest is read. Blank
    lines are skipped but counted too, up to as many again, so a sheet of a million empty
    rows stops as early."""
    kept: list[tuple[int, list[str]]] = []
    blank = 0
    for line, cells in records:
        if not any(str(c).strip() for c in cells if c is not None):
            blank += 1
            if blank > max_rows:
                raise _too_many_rows(max_rows)
            continue
        if len(kept) > max_rows:  # the header plus max_rows journalists are kept already
            raise _too_many_rows(max_rows)
        kept.append((line, ["" if c is None else str(c) for c in cells]))
    return kept


def csv_records(content: bytes, *, max_rows: int) -> list[tuple[int, list[str]]]:
    text = _text_decode(content)
    if "\x00" in text:
        raise ImportFileError(_("The file is neither a CSV nor an XLSX file."))
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter_sniff(first_line))
    try:
        return _records_capped(((reader.line_num, cells) for cells in reader), max_rows=max_rows)
    except csv.Error as error:
        raise ImportFileError(
            _("Line %(line)s: the CSV cannot be read (%(error)s).")
            % {"line": reader.line_num, "error": error}
        ) from error


# Columns read of each sheet row: a header further right is not recognised.
XLSX_MAX_COLUMNS = 50
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def xlsx_unpacked_check(content: bytes, *, max_unpacked_bytes: int) -> None:
    """Refuse a workbook whose parts unpack to more than `max_unpacked_bytes`, from the sizes
    its zip directory declares, before anything is unpacked. Python's zipfile never unpacks a
    member beyond its declared size (a member that lies is cut short and fails its checksum),
    so the declared total bounds the memory and time the reading below can take: a zip bomb
    of a few hundred kilobytes that unpacks to millions of rows is refused here."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(_("The file is no readable XLSX workbook.")) from error
    if unpacked > max_unpacked_bytes:
        raise ImportFileError(
            _(
                "The workbook unpacks to %(size)s, more than the %(limit)s a list of "
                "journalists can take; nothing was imported. Please save only the list itself, "
                "or split it into several files."
            )
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(max_unpacked_bytes)}
        )


def _xlsx_relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, path of the target in the archive)."""
    directory, name = posixpath.split(part)
    rels = posixpath.join(directory, "_rels", name + ".rels")
    found = {}
    for element in ElementTree.fromstring(archive.read(rels)).iter(
        PACKAGE_RELATIONSHIP + "Relationship"
    ):
        target = element.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(directory, target)
        found[element.get("Id")] = (element.get("Type", ""), posixpath.normpath(path))
    return found


def _xlsx_text(element) -> str:
    # A shared or inline string: its <t> runs, without the phonetic guides (<rPh>).
    return "".join(
        text.text or ""
        for text in element.iter(MAIN + "t")
        if text not in {t for ph in element.iter(MAIN + "rPh") for t in ph.iter(MAIN + "t")}
    )


def _xlsx_column(reference: str) -> int:
    letters = "".join(ch for ch in reference if ch.isalpha()).upper()
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _xlsx_rows(archive: zipfile.ZipFile) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows as (row number, cell texts), parsed from the zip as they are
    read, one row at a time: nothing beyond the row being read is held but the shared strings
    (bounded by the unpacked size). openpyxl is not used here: even in its read-only mode it
    reads a whole sheet that names no dimension before the first row comes."""
    documents = _xlsx_relationships(archive, "")
    workbook = next(path for kind, path in documents.values() if kind.endswith("/officeDocument"))
    parts = _xlsx_relationships(archive, workbook)
    first_sheet = next(ElementTree.fromstring(archive.read(workbook)).iter(MAIN + "sheet"))
    sheet = parts[first_sheet.get(RELATIONSHIP)][1]
    shared: list[str] = []
    for kind, path in parts.values():
        if kind.endswith("/sharedStrings"):
            with archive.open(path) as source:
                for _event, element in ElementTree.iterparse(source):
                    if element.tag == MAIN + "si":
                        shared.append(_xlsx_text(element))
                        element.clear()
    with archive.open(sheet) as source:
        line = 0
        for _event, element in ElementTree.iterparse(source):
            if element.tag != MAIN + "row":
                continue
            line = int(element.get("r") or line + 1)
            cells: list[str] = []
            for cell in element.iter(MAIN + "c"):
                column = _xlsx_column(cell.get("r") or "") or len(cells) + 1
                if column > XLSX_MAX_COLUMNS:
                    continue
                kind = cell.get("t", "n")
                value = cell.find(MAIN + "v")
                if kind == "inlineStr":
                    text = _xlsx_text(cell)
                elif value is None or value.text is None:
                    text = ""
                elif kind == "s":
                    text = shared[int(value.text)]
                elif kind == "n" and value.text.endswith(".0"):
                    text = value.text.removesuffix(".0")
                else:
                    text = value.text
                cells.extend([""] * (column - 1 - len(cells)))
                cells.append(text)
            element.clear()
            yield line, cells


def xlsx_records(
    content: bytes, *, max_rows: int, max_unpacked_bytes: int
) -> list[tuple[int, list[str]]]:
    xlsx_unpacked_check(content, max_unpacked_bytes=max_unpacked_bytes)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return _records_capped(_xlsx_rows(archive), max_rows=max_rows)
    except ImportFileError:
        raise
    except (
        zipfile.BadZipFile,
        ElementTree.ParseError,
        KeyError,
        StopIteration,
        IndexError,
        OSError,
        ValueError,
    ) as error:
        raise ImportFileError(_("The file is no readable XLSX workbook.")) from error


def journalists_file_read(
    *, content: bytes, max_rows: int, max_unpacked_bytes: int
) -> list[ImportRow]:
    """The rows of a file, read but not checked; raises ImportFileError for the whole file.

    Read as a stream with two caps, both checked before a row is kept: an XLSX's declared
    unpacked size (`max_unpacked_bytes`), and `max_rows` journalists (reading stops at the
    first row beyond)."""
    if content.startswith(b"PK\x03\x04"):
        records = xlsx_records(content, max_rows=max_rows, max_unpacked_bytes=max_unpacked_bytes)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("Old Excel files (.xls) cannot be read: please save it as .xlsx or CSV.")
        )
    else:
        records = csv_records(content, max_rows=max_rows)
    if not records:
        raise ImportFileError(_("The file is empty."))
    (_line, header), *body = records
    columns = header_columns(header)
    if not body:
        raise ImportFileError(_("The file has a header but no journalists."))

    def cell(cells: list[str], name: str) -> str:
        index = columns.get(name)
        return str(cells[index]).strip() if index is not None and index < len(cells) else ""

    rows = []
    for line, cells in body:
        topics = None
        if "topics" in columns:
            raw = cell(cells, "topics").replace(";", ",")
            topics = [part.strip() for part in raw.split(",") if part.strip()]
        rows.append(
            ImportRow(
                line=line,
                name=cell(cells, "name"),
                outlet=cell(cells, "outlet"),
                email=cell(cells, "email"),
                topics=topics,
            )
        )
    return rows


@dataclass
class KnownJournalist:
    name: str
    outlet: str
    topics: set[str]  # slugs
    on_list: bool


def journalist_rows_check(
    *,
    rows: list[ImportRow],
    topics: dict[str, str],
    known: dict[str, KnownJournalist],
) -> list[ImportRow]:
    """Each row's status (new, updated, unchanged or error) and its messages. `topics` maps a
    topic's lower-cased name and slug to its slug; `known` the lower-cased addresses already
    there. Topic names in the rows are replaced by slugs."""
    seen: dict[str, int] = {}
    for row in rows:
        row.messages = []
        prefix = _("Line %(line)s:") % {"line": row.line}
        try:
            validate_email(row.email)
        except ValidationError:
            row.messages.append(f"{prefix} {_('no valid e-mail address')}")
        else:
            address = row.email.lower()
            if address in seen:
                row.messages.append(
                    f"{prefix} "
                    + _("the e-mail address is already in line %(line)s") % {"line": seen[address]}
                )
            seen.setdefault(address, row.line)
        if not row.name:
            row.messages.append(f"{prefix} {_('the name is missing')}")
        for label, value, limit in ((_("name"), row.name, 200), (_("outlet"), row.outlet, 200)):
            if len(value) > limit:
                row.messages.append(
                    f"{prefix} "
                    + _("the %(field)s is longer than %(limit)s characters")
                    % {"field": label, "limit": limit}
                )
            if CONTROL_CHARACTERS.search(value):
                row.messages.append(
                    f"{prefix} "
                    + _("the %(field)s contains a control character") % {"field": label}
                )
        if row.topics is not None:
            slugs = []
            for topic in row.topics:
                slug = topics.get(topic.lower())
                if slug is None:
                    row.messages.append(
                        f"{prefix} " + _("unknown topic „%(topic)s“") % {"topic": topic}
                    )
                elif slug not in slugs:
                    slugs.append(slug)
            row.topics = slugs
        if row.messages:
            row.status = ERROR
            continue
        existing = known.get(row.email.lower())
        if existing is None:
            row.status = NEW
        elif (
            existing.on_list
            and existing.name == row.name
            and existing.outlet == row.outlet
            and (row.topics is None or set(row.topics) == existing.topics)
        ):
            row.status = UNCHANGED
        else:
            row.status = UPDATED
    return rows
