"""A small XLSX that unpacks to millions of rows (a zip bomb), built without unpacking it.

Deflating hundreds of megabytes at test time would take seconds; instead one block of rows is
deflated once and its compressed bytes are repeated (each block is flushed with a fresh
dictionary, so the copies are valid one after another), and the zip is written by hand with
the sizes and checksum of what it unpacks to."""

import struct
import zlib

NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NAMESPACE}" xmlns:r="{DOCUMENT}">'
    '<sheets><sheet name="Verteiler" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{DOCUMENT}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{DOCUMENT}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
# Shared strings 0-3: the header's two names, then a name and an address for every row.
SHARED = (
    f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NAMESPACE}" count="4" uniqueCount="4">'
    "<si><t>Name</t></si><si><t>E-Mail</t></si>"
    "<si><t>Anna Berg</t></si><si><t>anna@example.org</t></si></sst>"
)
SHEET_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NAMESPACE}"><sheetData>'
    '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>'
).encode()
ROW = b'<row><c t="s"><v>2</v></c><c t="s"><v>3</v></c></row>'
SHEET_TAIL = b"</sheetData></worksheet>"
BLOCK_ROWS = 20_000


def _deflated(data: bytes, *, last: bool) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, as zip stores it
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH
    )


def _member(name: str, chunks: list[bytes], *, size: int, crc: int, offset: int):
    """The local header with the member's data, and its central directory entry."""
    name_bytes = name.encode()
    data = b"".join(chunks)
    fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(name_bytes), 0)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + name_bytes + data
    central = (
        struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset) + name_bytes
    )
    return local, central


def xlsx_bomb(*, rows: int) -> bytes:
    """An XLSX whose first sheet has a header (Name, E-Mail) and `rows` rows of one journalist,
    `rows` a multiple of 20,000."""
    block = ROW * BLOCK_ROWS
    repeats = rows // BLOCK_ROWS
    sheet_crc = zlib.crc32(SHEET_HEAD)
    for _ in range(repeats):
        sheet_crc = zlib.crc32(block, sheet_crc)
    sheet_crc = zlib.crc32(SHEET_TAIL, sheet_crc)
    sheet_chunks = [
        _deflated(SHEET_HEAD, last=False),
        *[_deflated(block, last=False)] * repeats,
        _deflated(SHEET_TAIL, last=True),
    ]
    sheet_size = len(SHEET_HEAD) + len(block) * repeats + len(SHEET_TAIL)
    members = [
        (name, [_deflated(text.encode(), last=True)], len(text.encode()), zlib.crc32(text.encode()))
        for name, text in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", PACKAGE_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/sharedStrings.xml", SHARED),
        )
    ]
    members.append(("xl/worksheets/sheet1.xml", sheet_chunks, sheet_size, sheet_crc))
    locals_, centrals = [], []
    offset = 0
    for name, chunks, size, crc in members:
        local, central = _member(name, chunks, size=size, crc=crc, offset=offset)
        locals_.append(local)
        centrals.append(central)
        offset += len(local)
    directory = b"".join(centrals)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), offset, 0
    )
    return b"".join(locals_) + directory + end
