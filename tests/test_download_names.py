"""Download file names (RFC 6266): `filename*=UTF-8''…` plus an ASCII fallback, for any slug.

The header is checked the way a client reads it: it must be encodable in latin-1 (what HTTP
headers carry), parse with `email.message.Message`, and its `filename*` must decode back to the
release's file name; the plain `filename` must be ASCII without quotes or separators.
"""

import datetime
import re
from email.message import Message
from email.utils import collapse_rfc2231_value
from urllib.parse import unquote

import pytest

from press.http import attachment_disposition
from press.models.embargo import embargo_link_create
from tests.factories import PressReleasePageFactory, body_paragraph
from tests.test_embargo import release_scheduled

SLUGS = {
    "cyrillic": "пресс-релиз-город",
    "umlauts": "übergabe-der-straße-an-die-öffentlichkeit",
    "greek": "δελτίο-τύπου",
    "ascii": "masterplan-industrie",
}


DISPOSITION_RE = re.compile(
    # RFC 6266 with RFC 5987's attr-chars in the extended value, nothing else percent-encoded.
    r'^(?P<kind>inline|attachment); filename="(?P<fallback>[ !#-\[\]-~]+)"'
    r"(?:; filename\*=UTF-8''(?P<extended>[A-Za-z0-9!#$&+\-.^_`|~%]+))?$"
)


def disposition_parts(header: str) -> tuple[str, str, str | None]:
    """(kind, ASCII fallback, decoded filename* or None), after the strict checks."""
    header.encode("latin-1")  # raises for anything an HTTP header cannot carry
    match = DISPOSITION_RE.match(header)
    assert match, header
    fallback = match["fallback"]
    assert not any(char in fallback for char in "/%")
    decoded = None
    if match["extended"]:
        decoded = unquote(match["extended"], encoding="utf-8", errors="strict")
    # The standard library's MIME parser reads the same two names.
    message = Message()
    message["Content-Disposition"] = header
    assert message.get_content_disposition() == match["kind"]
    params = message.get_params(header="Content-Disposition")[1:]
    plain = [value for key, value in params if key == "filename" and isinstance(value, str)]
    extended = [value for key, value in params if key == "filename" and isinstance(value, tuple)]
    assert plain == [fallback]
    assert [collapse_rfc2231_value(value) for value in extended] == ([decoded] if decoded else [])
    return match["kind"], fallback, decoded


@pytest.mark.parametrize("slug", SLUGS.values(), ids=SLUGS.keys())
def test_the_text_download_names_the_file_for_any_slug(client, newsroom, slug):
    release = PressReleasePageFactory(
        parent=newsroom,
        title="Pressemitteilung",
        slug=slug,
        release_date=datetime.date(2023, 2, 7),
        body=[body_paragraph("<p>Text.</p>")],
    )
    file_name = f"20230207-{slug}.txt"

    response = client.get(release.url + "text/", {"download": "1"})

    assert response.status_code == 200
    kind, fallback, decoded = disposition_parts(response["Content-Disposition"])
    assert kind == "attachment"
    assert fallback.startswith("20230207") and fallback.endswith(".txt")
    if slug.isascii():
        assert fallback == file_name and decoded is None
    else:
        assert decoded == file_name
    if slug == SLUGS["umlauts"]:
        # German letters spelled out in the fallback, the way the office writes them.
        assert fallback == "20230207-uebergabe-der-strasse-an-die-oeffentlichkeit.txt"


@pytest.mark.parametrize("slug", [SLUGS["cyrillic"], SLUGS["umlauts"]])
def test_the_embargo_text_view_names_the_file_for_any_slug(client, newsroom, slug):
    scheduled = release_scheduled(newsroom)
    scheduled.slug = slug
    scheduled.save_revision().publish()
    link = embargo_link_create(release=scheduled)

    response = client.get(link.get_absolute_url() + "text/")

    assert response.status_code == 200
    kind, _fallback, decoded = disposition_parts(response["Content-Disposition"])
    assert kind == "inline"
    assert decoded is not None and decoded.endswith(f"-{slug}.txt")


@pytest.mark.parametrize(
    "name",
    [
        'an "quoted" name.txt',
        "semi;colon.txt",
        "slash/and\\backslash.txt",
        "percent%2F.txt",
        "line\r\nSet-Cookie: x=1.txt",
        "日本語.txt",
        "",
    ],
)
def test_hostile_names_give_a_valid_header(name):
    header = attachment_disposition(name)
    _kind, fallback, decoded = disposition_parts(header)
    assert fallback
    if decoded is not None:
        assert "/" not in decoded and "\\" not in decoded and "\n" not in decoded
