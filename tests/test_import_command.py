"""The archive import as an editor runs it: `manage.py import_press_release FILE...`."""

import dataclasses
import datetime
import io
import random
import socket
import struct
import zlib
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from press.documents import release_render_text_for
from press.importer.parse import release_parse
from press.importer.save import ReleaseImportError, release_import
from press.models import PressContact, PressIndexPage, PressReleasePage

# The copy in home/demo is byte for byte the shared fixture (checked in test_demo_content),
# so these tests also run where ../shared is not checked out.
SEED = (
    Path(settings.BASE_DIR) / "home" / "demo" / "pressedienst-2023-02-07-masterplan-industrie.txt"
)
SEED_TEXT = SEED.read_text(encoding="utf-8")
PHOTO = "230206-steuerungskreis-mp-industrie1.JPG"
PHOTO_URL = f"http://www.duesseldorf.de/fileadmin/Amt13/pressebilder/2302/{PHOTO}"
TEXT_URL = "http://www.duesseldorf.de/fileadmin/Amt13/pld/txt/20230207-17_05.txt"
TITLE = "Masterplan Industrie: Konstante Zusammenarbeit in herausfordernden Zeiten"
Image = get_image_model()


def jpeg_bytes(width=640, height=427, *, noise=False) -> bytes:
    if noise:  # incompressible, so a cut file really misses pixel data
        pixels = random.Random(7).randbytes(width * height * 3)
        image = PILImage.frombytes("RGB", (width, height), pixels)
    else:
        image = PILImage.new("RGB", (width, height), (70, 110, 160))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def png_bytes(width=64, height=64) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def png_bomb_bytes(side=20_000) -> bytes:
    """A real decompression bomb: 400 million 1-bit pixels of zeros in about 50 KB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" * (side // 8 + 1)
    idat = b"".join(compressor.compress(row * 1000) for _ in range(side // 1000))
    idat += compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def release_text(*, title=TITLE, photos=(PHOTO,), text_url=TEXT_URL, first_paragraph=None) -> str:
    """The seed with another title, photo list or text address: another release, same format."""
    text = SEED_TEXT.replace(TITLE, title)
    if text_url != TEXT_URL:
        address_line = next(line for line in text.split("\n") if line.endswith(f"({TEXT_URL})"))
        text = text.replace(address_line, f"[{text_url}]({text_url})")
    caption_line = next(line for line in text.split("\n") if "©Landeshauptstadt" in line)
    original = f"{caption_line}\n<{PHOTO_URL}>"
    photo_lines = [
        f"{caption_line}\n<http://www.duesseldorf.de/fileadmin/Amt13/pressebilder/2302/{name}>"
        for name in photos
    ]
    text = text.replace(original, "\n\n".join(photo_lines))
    if first_paragraph is not None:
        text = text.replace("Zum Jahresauftakt fand im Rathaus", first_paragraph)
    return text


@pytest.fixture
def media_dir(tmp_path):
    folder = tmp_path / "fotos"
    folder.mkdir()
    (folder / PHOTO).write_bytes(jpeg_bytes())
    return folder


def write(tmp_path, name: str, text: str, encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run_import(*files, media_dir=None, publish=False) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    args = [str(f) for f in files]
    if media_dir is not None:
        args += ["--media-dir", str(media_dir)]
    if publish:
        args.append("--publish")
    call_command("import_press_release", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_import_failing(*files, media_dir=None, publish=False) -> tuple[str, str, str]:
    out, err = io.StringIO(), io.StringIO()
    args = [str(f) for f in files]
    if media_dir is not None:
        args += ["--media-dir", str(media_dir)]
    if publish:
        args.append("--publish")
    with pytest.raises(CommandError) as failure:
        call_command("import_press_release", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(failure.value)


def stored_counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "releases": PressReleasePage.objects.count(),
        "images": Image.objects.count(),
        "contacts": PressContact.objects.count(),
        "revisions": Revision.objects.count(),
    }


def media_files() -> set[Path]:
    roots = (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
    return {path for root in roots for path in Path(root).rglob("*") if path.is_file()}


def blocks(release) -> list[tuple[str, object]]:
    return [(block.block_type, block.value) for block in release.body]


# --------------------------------------------------------------------------- the seed


def test_seed_imports_faithfully(newsroom, media_dir):
    run_import(SEED, media_dir=media_dir, publish=True)

    release = PressReleasePage.objects.get()
    assert release.get_parent().pk == newsroom.pk
    assert release.title == TITLE
    assert release.release_date == datetime.date(2023, 2, 7)
    assert release.archive_id == TEXT_URL
    body = blocks(release)
    assert [kind for kind, _ in body] == [
        "paragraph", "paragraph", "paragraph", "quote", "quote", "quote", "image",
    ]  # fmt: skip

    paragraphs = [value.source for kind, value in body if kind == "paragraph"]
    assert paragraphs[0].startswith("<p>Zum Jahresauftakt fand im Rathaus")
    assert paragraphs[0].endswith("steht auch in diesem Jahr im Fokus.</p>")
    assert paragraphs[1].endswith("den Deutschen Gewerkschaftsbund und die Unternehmerschaft.</p>")
    assert paragraphs[2].endswith("Entwicklungsperspektiven in Düsseldorf gegeben werden.</p>")
    assert not any("Zu Ihrer redaktionellen Verwendung" in p or "Kontakt" in p for p in paragraphs)

    quotes = [value for kind, value in body if kind == "quote"]
    # Academic titles stay with the name; the role never ends up inside it.
    assert [(q["name"], q["role"]) for q in quotes] == [
        ("Dr. Stephan Keller", "Oberbürgermeister"),
        ("Andreas Schmitz", "Präsident der IHK Düsseldorf"),
        ("Dr. Daniel Kleine", "Vorstandsvorsitzender Industriekreis Düsseldorf"),
    ]
    first, _, third = (q["text"].source for q in quotes)
    # The quote cut by the page break is one quote again, without the running header.
    assert "zukunftsfähige Weiterentwicklung der Industrie in Düsseldorf zu setzen" in first
    assert "Seite 2" not in first and "##" not in first
    assert first.rstrip("</p>").endswith("am Standort Düsseldorf geboten.")
    assert "CO<sub>2</sub>-Emissionen" in third

    (_, photo), = [(kind, value) for kind, value in body if kind == "image"]  # fmt: skip
    assert photo["caption"].startswith("Andreas Schmitz, Präsident der IHK Düsseldorf")
    assert photo["caption"].endswith("(v.l.)")
    assert photo["credit"] == "Landeshauptstadt Düsseldorf/David Young"
    # The archive's credit becomes the new photo's own, shown in the image library.
    assert photo["image"].photo_rights.credit == "Landeshauptstadt Düsseldorf/David Young"
    stored_name = Path(photo["image"].file.name).name
    assert stored_name.startswith(Path(PHOTO).stem) and stored_name.endswith(".JPG")
    assert photo["image"].file.read() == (media_dir / PHOTO).read_bytes()

    assert release.contact.as_data() == {
        "name": "Annemarie Wotschke",
        "email": "presse@duesseldorf.de",
        "phone": "+49.211.89-93131",
    }


def test_seed_page_is_readable_after_import(client, newsroom, media_dir):
    run_import(SEED, media_dir=media_dir, publish=True)
    release = PressReleasePage.objects.get()

    html = client.get(release.url).content.decode()

    assert "Dr. Stephan Keller" in html
    assert "CO<sub>2</sub>" in html
    assert "Landeshauptstadt Düsseldorf/David Young" in html


SHAPES = (
    Path(__file__).resolve().parent / "fixtures_releases" / "pressedienst-2024-09-12-schulwege.txt"
)


def test_an_imported_list_and_heading_come_out_on_every_channel(client, newsroom, tmp_path):
    """A release with a nested bulleted list, a numbered list cut by a page break and
    subheadings: <ul>/<ol>/<h2> in the press API and on the page, indented items and an
    underlined heading in the text version; its photo caption ends in a full stop and reads
    "Caption. ©Credit" everywhere."""
    fotos = tmp_path / "fotos"
    fotos.mkdir()
    (fotos / "zebrastreifen.jpg").write_bytes(jpeg_bytes())
    run_import(SHAPES, media_dir=fotos, publish=True)
    release = PressReleasePage.objects.get()

    api = client.get(f"/api/press/releases/{release.pk}").json()
    paragraphs = [block["value"]["html"] for block in api["body"] if block["type"] == "paragraph"]
    assert (
        "<ul><li>Tempo 30 vor allen Grundschulen</li><li>neue Zebrastreifen<ul><li>an der "
        "Lindemannstraße</li><li>an der Kölner Landstraße</li></ul></li>" in paragraphs[1]
    )
    assert paragraphs[2] == "<h2>So funktionieren die Elternhaltestellen</h2>"
    assert paragraphs[4].startswith("<ol><li>Anhalten an der Haltestelle</li>")
    assert paragraphs[4].count("<li>") == 4
    assert "Infoabende gibt es in allen Stadtbezirken.<br/>Anmeldung" in paragraphs[6]
    assert api["photos"][0]["caption"] == "Neuer Zebrastreifen an der Lindemannstraße."

    page = client.get(release.url).content.decode()
    assert "<li>neue Zebrastreifen<ul><li>an der Lindemannstraße</li>" in page
    assert "<h2>So funktionieren die Elternhaltestellen</h2>" in page
    assert "<h3>Termine</h3>" in page
    assert "<li>Das Kind geht den Rest des Weges allein</li></ol>" in page
    assert "Lindemannstraße.," not in page

    text = client.get(f"{release.url}text/").content.decode()
    assert (
        "Die Maßnahmen im Überblick:\n\n"
        "  • Tempo 30 vor allen Grundschulen\n"
        "  • neue Zebrastreifen\n"
        "    • an der Lindemannstraße\n"
        "    • an der Kölner Landstraße\n"
        "  • Elternhaltestellen in Sichtweite der Schulen\n\n"
        "So funktionieren die Elternhaltestellen\n"
        "=======================================\n\n" in text
    )
    assert (
        "  3. Weiterfahren, ohne zu wenden\n  4. Das Kind geht den Rest des Weges allein\n" in text
    )
    assert "Termine\n-------\n" in text
    words = " ".join(text.split())  # the caption line is wrapped
    assert "an der Lindemannstraße. ©Landeshauptstadt Düsseldorf/Ingo Lammert" in words
    assert ".," not in text


# --------------------------------------------------------------------------- publish / draft


def test_publish_dates_the_first_publication_on_the_release_date(client, newsroom, media_dir):
    out, _ = run_import(SEED, media_dir=media_dir, publish=True)

    release = PressReleasePage.objects.get()
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    assert release.live and not release.has_unpublished_changes
    assert release.first_published_at == datetime.datetime(2023, 2, 7, 10, 0, tzinfo=berlin)
    assert release.last_published_at == release.first_published_at
    assert list(PressReleasePage.objects.visible()) == [release]
    assert client.get(release.url).status_code == 200
    assert "live" in out


def test_without_publish_the_release_is_a_draft(client, newsroom, media_dir):
    out, _ = run_import(SEED, media_dir=media_dir)

    release = PressReleasePage.objects.get()
    assert not release.live
    assert release.first_published_at is None
    assert release.get_latest_revision() is not None
    assert not PressReleasePage.objects.visible().exists()
    assert client.get(release.url).status_code == 404
    assert "Entwurf" in out


def test_republishing_keeps_the_first_publication_date(newsroom, media_dir):
    run_import(SEED, media_dir=media_dir, publish=True)
    first = PressReleasePage.objects.get().first_published_at

    run_import(SEED, media_dir=media_dir, publish=True)

    release = PressReleasePage.objects.get()
    assert release.first_published_at == first
    assert release.last_published_at > first


# --------------------------------------------------------------------------- re-import


def test_reimport_updates_the_release_instead_of_duplicating_it(tmp_path, newsroom, media_dir):
    run_import(SEED, media_dir=media_dir, publish=True)
    before = stored_counts()
    changed = write(
        tmp_path, "korrigiert.txt", release_text(first_paragraph="Zu Jahresbeginn tagte")
    )

    out, _ = run_import(changed, media_dir=media_dir, publish=True)

    after = stored_counts()
    assert after == {**before, "revisions": before["revisions"] + 1}
    release = PressReleasePage.objects.get()
    assert release.body[0].value.source.startswith("<p>Zu Jahresbeginn tagte")
    assert (
        release.get_latest_revision()
        .as_object()
        .body[0]
        .value.source.startswith("<p>Zu Jahresbeginn tagte")
    )
    assert "aktualisiert" in out and "1 aktualisiert" in out


def test_reimport_without_publish_leaves_the_live_version_alone(tmp_path, newsroom, media_dir):
    run_import(SEED, media_dir=media_dir, publish=True)
    changed = write(
        tmp_path, "korrigiert.txt", release_text(first_paragraph="Zu Jahresbeginn tagte")
    )

    run_import(changed, media_dir=media_dir)

    release = PressReleasePage.objects.get()
    assert release.live and release.has_unpublished_changes
    assert release.body[0].value.source.startswith("<p>Zum Jahresauftakt")
    draft = release.get_latest_revision_as_object()
    assert draft.body[0].value.source.startswith("<p>Zu Jahresbeginn tagte")


def test_a_release_without_text_address_is_found_again_by_date_and_title(
    tmp_path, newsroom, media_dir
):
    text = "\n".join(line for line in SEED_TEXT.split("\n") if "Textversion" not in line)
    text = text.replace(f"[{TEXT_URL.replace('_', chr(92) * 2 + '_')}]({TEXT_URL})", "")
    source = write(tmp_path, "ohne-textversion.txt", text)

    run_import(source, media_dir=media_dir)
    run_import(source, media_dir=media_dir)

    release = PressReleasePage.objects.get()
    assert release.archive_id == f"2023-02-07:{release.slug}"
    assert (
        release.slug == "masterplan-industrie-konstante-zusammenarbeit-in-herausfordernden-zeiten"
    )


def test_the_newsroom_is_created_when_missing(db, media_dir):
    assert not PressIndexPage.objects.exists()

    run_import(SEED, media_dir=media_dir, publish=True)

    newsroom = PressIndexPage.objects.get()
    assert (newsroom.title, newsroom.slug, newsroom.live) == ("Presse", "presse", True)
    assert PressReleasePage.objects.child_of(newsroom).count() == 1


def test_an_existing_contact_is_reused(newsroom, media_dir):
    known = PressContact.objects.create(name="Annemarie Wotschke", email="presse@duesseldorf.de")

    run_import(SEED, media_dir=media_dir)

    assert PressContact.objects.get() == known
    known.refresh_from_db()
    assert known.phone == "+49.211.89-93131"  # filled in, since it was missing
    assert PressReleasePage.objects.get().contact == known


# --------------------------------------------------------------------------- all or nothing


def test_a_malformed_file_among_good_ones_fails_alone(tmp_path, newsroom, media_dir):
    good = write(tmp_path, "gut.txt", SEED_TEXT)
    bad = write(tmp_path, "kaputt.txt", SEED_TEXT.replace("07. Februar 2023", "31. Februar 2023"))
    other = write(
        tmp_path,
        "andere.txt",
        release_text(title="Zweite Mitteilung zum Masterplan", text_url="http://example.org/2.txt"),
    )
    before = stored_counts()

    out, err, summary = run_import_failing(good, bad, other, media_dir=media_dir, publish=True)

    assert f"{bad}:9: " in err and "31. Februar 2023" in err
    assert str(good) not in err and str(other) not in err
    assert "[2/3] kaputt.txt → fehlgeschlagen" in out
    assert "2 angelegt, 0 aktualisiert, 1 fehlgeschlagen (von 3)" in summary
    after = stored_counts()
    assert after["releases"] == before["releases"] + 2
    assert after["images"] == before["images"] + 1  # both releases show the same photo
    assert after["contacts"] == before["contacts"] + 1
    assert sorted(PressReleasePage.objects.values_list("title", flat=True)) == [
        TITLE,
        "Zweite Mitteilung zum Masterplan",
    ]


def test_a_control_character_in_a_file_is_refused_with_its_line(tmp_path, newsroom, media_dir):
    """What the editor's forms refuse, the import refuses too, naming file and line."""
    bad = write(
        tmp_path, "steuerzeichen.txt", SEED_TEXT.replace("Zum Jahresauftakt", "Zum\x1b Jahr")
    )

    _out, err, summary = run_import_failing(bad, media_dir=media_dir, publish=True)

    assert f"{bad}:13: Steuerzeichen U+001B" in err
    assert "0 angelegt, 0 aktualisiert, 1 fehlgeschlagen (von 1)" in summary
    assert not PressReleasePage.objects.exists()


def test_an_importer_release_with_a_control_character_in_its_title_is_not_saved(
    newsroom, media_dir
):
    """The service below the parser holds the same rule: the page's own validation."""
    parsed = dataclasses.replace(release_parse(SEED_TEXT), title="Masterplan\x0b Industrie")
    with pytest.raises(ReleaseImportError) as caught:
        release_import(parsed=parsed, source_name="api", media_dir=media_dir, publish=False)
    assert "Steuerzeichen (U+000B)" in str(caught.value)
    assert not PressReleasePage.objects.exists()


def test_a_missing_photo_is_named_and_nothing_of_the_file_remains(tmp_path, newsroom, media_dir):
    # The first photo is there and gets stored before the second one turns out missing.
    source = write(tmp_path, "zwei-fotos.txt", release_text(photos=(PHOTO, "fehlt%20hier.jpg")))
    before, files_before = stored_counts(), media_files()

    out, err, _ = run_import_failing(source, media_dir=media_dir, publish=True)

    missing_line = (
        release_text(photos=(PHOTO, "fehlt%20hier.jpg"))
        .split("\n")
        .index("<http://www.duesseldorf.de/fileadmin/Amt13/pressebilder/2302/fehlt%20hier.jpg>")
        + 1
    )
    assert f"{source}:{missing_line}: Foto „fehlt hier.jpg“ nicht verfügbar" in err
    assert str(media_dir) in err
    assert stored_counts() == before
    assert media_files() == files_before
    assert "0 angelegt" in out or "fehlgeschlagen" in out


def test_an_unfetchable_photo_without_media_dir_is_named(tmp_path, newsroom, monkeypatch):
    def getaddrinfo(host, *args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr("press.importer.fetch.socket.getaddrinfo", getaddrinfo)
    source = write(tmp_path, "foto-weg.txt", release_text(photos=("weg.jpg",)))

    _, err, _ = run_import_failing(source)

    assert f"{source}:" in err
    assert "Foto „weg.jpg“ nicht verfügbar: nicht abrufbar von http://www.duesseldorf.de/" in err
    assert "Name or service not known" in err
    assert not PressReleasePage.objects.exists()


def test_a_photo_is_fetched_over_http_when_not_in_the_media_dir(tmp_path, newsroom, monkeypatch):
    # The transfer itself (address checks, limits) is tested against a real server in
    # test_import_hostile; here: what the importer asks for and what it stores.
    served = jpeg_bytes(320, 200)
    requested = []

    def url_fetch(url, *, timeout, max_bytes, allowed_networks):
        requested.append((url, timeout, max_bytes))
        return served

    monkeypatch.setattr("press.importer.save.url_fetch", url_fetch)
    run_import(SEED, publish=True)

    assert requested == [(PHOTO_URL, 30, 20 * 1024 * 1024)]
    image = PressReleasePage.objects.get().body[6].value["image"]
    assert image.file.read() == served


BAD_PHOTOS = {
    # name in the release, bytes on disk, settings, what the message must say
    "bomb": ("bombe.png", png_bomb_bytes, {}, "Pixel"),
    "pixel_limit": ("riesig.jpg", jpeg_bytes, {"WAGTAILIMAGES_MAX_IMAGE_PIXELS": 100_000}, "Pixel"),
    "truncated": (
        "abgeschnitten.jpg",
        lambda: jpeg_bytes(noise=True)[:20_000],
        {},
        "unvollständig",
    ),
    "fake": ("falsch.jpg", lambda: b"Kein Bild, nur Text.\n" * 50, {}, "abgelehnt"),
    "wrong_format": ("getarnt.jpg", png_bytes, {}, "abgelehnt"),
    "oversize": ("schwer.jpg", jpeg_bytes, {"WAGTAILIMAGES_MAX_UPLOAD_SIZE": 2_000}, "zu groß"),
}


@pytest.mark.parametrize("case", BAD_PHOTOS.keys())
def test_a_bad_photo_is_rejected_and_nothing_remains(case, tmp_path, newsroom, media_dir):
    name, content, overrides, says = BAD_PHOTOS[case]
    (media_dir / name).write_bytes(content())
    # A good photo first: its image row and file must go too when the bad one is refused.
    source = write(tmp_path, f"{case}.txt", release_text(photos=("gut.jpg", name)))
    (media_dir / "gut.jpg").write_bytes(jpeg_bytes(300, 200))
    before, files_before = stored_counts(), media_files()

    with override_settings(**overrides):
        _, err, _ = run_import_failing(source, media_dir=media_dir, publish=True)

    assert f"{source}:" in err and f"„{name}“" in err and says in err
    assert stored_counts() == before
    assert media_files() == files_before


def test_a_photo_without_credit_is_refused_like_in_the_admin(newsroom, media_dir):
    # The parser already refuses such a caption; the importer must too when called directly.
    parsed = release_parse(SEED_TEXT)
    kind, photo = parsed.body[-1]
    parsed = dataclasses.replace(
        parsed, body=[*parsed.body[:-1], (kind, dataclasses.replace(photo, credit=""))]
    )
    before, files_before = stored_counts(), media_files()

    with pytest.raises(ReleaseImportError, match="Bildnachweis"):
        release_import(parsed=parsed, source_name="x.txt", media_dir=media_dir, publish=True)
    assert stored_counts() == before
    assert media_files() == files_before


def test_a_file_that_is_not_utf8_is_rejected_with_its_line(tmp_path, newsroom, media_dir):
    source = write(tmp_path, "latin1.txt", SEED_TEXT, encoding="latin-1")
    first_non_ascii = next(
        number
        for number, line in enumerate(SEED_TEXT.split("\n"), start=1)
        if any(ord(char) > 127 for char in line)
    )

    _, err, _ = run_import_failing(source, media_dir=media_dir)

    assert f"{source}:{first_non_ascii}: keine UTF-8-Textdatei" in err
    assert not PressReleasePage.objects.exists()


# --------------------------------------------------------------------------- many files


def test_many_files_show_progress_and_a_summary(tmp_path, newsroom, media_dir):
    first = write(tmp_path, "eins.txt", SEED_TEXT)
    second = write(
        tmp_path,
        "zwei.txt",
        release_text(title="Zweite Mitteilung", text_url="http://example.org/zwei.txt"),
    )

    out, err = run_import(first, second, first, media_dir=media_dir, publish=True)

    lines = out.strip().split("\n")
    assert lines[0] == f"[1/3] eins.txt → angelegt „{TITLE}“ (2023-02-07, live)"
    assert lines[1] == "[2/3] zwei.txt → angelegt „Zweite Mitteilung“ (2023-02-07, live)"
    assert lines[2] == f"[3/3] eins.txt → aktualisiert „{TITLE}“ (2023-02-07, live)"
    assert "2 angelegt, 1 aktualisiert, 0 fehlgeschlagen (von 3)" in lines[3]
    assert err == ""


def test_same_title_twice_gets_distinct_addresses(tmp_path, newsroom, media_dir):
    other = write(tmp_path, "gleich.txt", release_text(text_url="http://example.org/gleich.txt"))

    run_import(SEED, other, media_dir=media_dir)

    slugs = sorted(PressReleasePage.objects.values_list("slug", flat=True))
    base = "masterplan-industrie-konstante-zusammenarbeit-in-herausfordernden-zeiten"
    assert slugs == [base, f"{base}-2"]


# --------------------------------------------------------------------------- round trip


def test_importing_a_release_s_own_text_version_gives_the_same_blocks(newsroom, media_dir):
    run_import(SEED, media_dir=media_dir, publish=True)
    original = PressReleasePage.objects.get()
    text = release_render_text_for(release=original)

    # The text version names the stored original; the importer finds it there by file name.
    stored = (
        Path(settings.PRIVATE_MEDIA_ROOT) / Path(original.body[6].value["image"].file.name).parent
    )
    result = release_import(
        parsed=release_parse(text), source_name="textversion.txt", media_dir=stored, publish=True
    )

    copy = result.release
    assert result.created and copy.pk != original.pk
    assert copy.title == original.title and copy.release_date == original.release_date
    assert copy.contact == original.contact

    def comparable(release):
        out = []
        for kind, value in blocks(release):
            if kind == "paragraph":
                out.append((kind, value.source))
            elif kind == "quote":
                out.append((kind, value["text"].source, value["name"], value["role"]))
            else:
                out.append((kind, value["image"].pk, value["caption"], value["credit"]))
        return out

    assert comparable(copy) == comparable(original)


@pytest.mark.parametrize("command", ["import_press_release", "export_text_versions"])
def test_the_commands_explain_themselves(command):
    """`manage.py COMMAND --help` prints its usage (a lazy help text made argparse fail)."""
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run(
        [sys.executable, "manage.py", command, "--help"],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"usage: manage.py {command}" in result.stdout
