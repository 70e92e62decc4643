"""Reading a file of journalists (CSV as German Excel writes it, or XLSX) and checking each row.

Pure: the database's view (known addresses, topics) is handed in, so this is tested without
one. Row numbers are the file's line numbers (the header is line 1), as the editor sees them in
a spreadsheet program.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
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


def csv_records(content: bytes) -> list[tuple[int, list[str]]]:
    text = _text_decode(content)
    if "\x00" in text:
        raise ImportFileError(_("The file is neither a CSV nor an XLSX file."))
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter_sniff(first_line))
    records = []
    try:
        for cells in reader:
            records.append((reader.line_num, cells))
    except csv.Error as error:
        raise ImportFileError(
            _("Line %(line)s: the CSV cannot be read (%(error)s).")
            % {"line": reader.line_num, "error": error}
        ) from error
    return records


def xlsx_records(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(_("The file is no readable XLSX workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, ["" if value is None else str(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def journalists_file_read(*, content: bytes, max_rows: int) -> list[ImportRow]:
    """The rows of a file, read but not checked; raises ImportFileError for the whole file."""
    if content.startswith(b"PK\x03\x04"):
        records = xlsx_records(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("Old Excel files (.xls) cannot be read: please save it as .xlsx or CSV.")
        )
    else:
        records = csv_records(content)
    records = [(line, cells) for line, cells in records if any(str(c).strip() for c in cells)]
    if not records:
        raise ImportFileError(_("The file is empty."))
    (_line, header), *body = records
    columns = header_columns(header)
    if not body:
        raise ImportFileError(_("The file has a header but no journalists."))
    if len(body) > max_rows:
        raise ImportFileError(
            _("The file has %(count)s rows; at most %(max)s can be imported at once.")
            % {"count": len(body), "max": max_rows}
        )

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
