import datetime
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from bench.generate import releases_generate
from press.export import releases_export_text_zip, text_archive_write
from press.models import PressReleasePage, ReleaseDocument
from tests.factories import PressReleasePageFactory, body_paragraph


def test_export_writes_one_text_version_per_visible_release_in_the_range(newsroom, tmp_path):
    releases_generate(
        parent=newsroom,
        count=40,
        photos=2,
        seed=5,
        publish=True,
        date_from=datetime.date(2019, 1, 1),
        date_to=datetime.date(2022, 12, 31),
    )
    draft = PressReleasePageFactory(
        parent=newsroom, title="Noch geheim", release_date=datetime.date(2020, 5, 5)
    )
    draft.unpublish()
    expected = list(
        PressReleasePage.objects.visible().filter(
            release_date__range=(datetime.date(2020, 1, 1), datetime.date(2021, 6, 30))
        )
    )
    assert 0 < len(expected) < 40

    out = tmp_path / "archiv.zip"
    call_command(
        "export_text_versions",
        str(out),
        "--from",
        "2020-01-01",
        "--to",
        "2021-06-30",
        "--chunk-size",
        "7",
    )

    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        assert len(names) == len(expected)
        release = expected[0]
        name = f"{release.release_date:%Y/%m}/{release.text_file_name()}"
        text = archive.read(name).decode("utf-8")
    assert release.title in text
    assert "Noch geheim" not in " ".join(names)
    # The same text the release's own text version serves.
    from press.documents import release_render_text_for

    assert text == release_render_text_for(release=release)
    assert all("2020/" in n or "2021/0" in n for n in names)


def test_export_queries_stay_constant_per_chunk(newsroom, django_assert_max_num_queries):
    releases_generate(parent=newsroom, count=30, photos=3, seed=2, publish=True)
    # 30 releases in chunks of 10: the chunk reads, one image and one rendition query per chunk
    # and a few fixed lookups, never one query per release or per photo.
    with django_assert_max_num_queries(20):
        count = releases_export_text_zip(out=io.BytesIO(), chunk_size=10)
    assert count == 30


def test_export_rejects_a_reversed_range(tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "export_text_versions",
            str(tmp_path / "x.zip"),
            "--from",
            "2022-01-02",
            "--to",
            "2022-01-01",
        )


def test_export_of_a_single_handmade_release_reads_like_its_text_page(newsroom, client):
    release = PressReleasePageFactory(
        parent=newsroom, title="Masterplan Industrie", body=[body_paragraph("<p>Im Rathaus.</p>")]
    )
    buffer = io.BytesIO()
    releases_export_text_zip(out=buffer)
    with zipfile.ZipFile(buffer) as archive:
        (name,) = archive.namelist()
        exported = archive.read(name).decode()
    served = client.get(release.url + "text/").content.decode()
    assert "Im Rathaus." in exported
    assert exported.strip() == served.strip()


def test_releases_without_a_current_document_are_exported_from_a_fresh_one(newsroom):
    releases_generate(parent=newsroom, count=12, photos=1, seed=4, publish=True)
    first, second, third = PressReleasePage.objects.visible().order_by("release_date", "pk")[:3]
    ReleaseDocument.objects.filter(release=first).delete()  # written in bulk, never built
    ReleaseDocument.objects.filter(release=second).update(text="veraltet", version=1)
    ReleaseDocument.objects.filter(release=third).update(text="veraltet", revision=None)

    buffer = io.BytesIO()
    assert releases_export_text_zip(out=buffer, chunk_size=5) == 12
    with zipfile.ZipFile(buffer) as archive:
        texts = [archive.read(name).decode() for name in archive.namelist()]
    assert "veraltet" not in texts
    for release, text in zip((first, second, third), texts, strict=False):
        assert text == ReleaseDocument.objects.get(release=release).text
        assert release.title in text


class Unseekable(io.RawIOBase):
    """Standard output into a pipe: written to, never sought (`tell` fails too)."""

    def __init__(self):
        self.written = bytearray()

    def writable(self):
        return True

    def write(self, data):
        self.written += data
        return len(data)


def test_an_export_to_a_stream_that_cannot_seek_is_a_whole_archive(newsroom):
    releases_generate(parent=newsroom, count=8, photos=0, seed=6, publish=True)
    stream = Unseekable()
    assert releases_export_text_zip(out=stream) == 8
    with zipfile.ZipFile(io.BytesIO(bytes(stream.written))) as archive:
        assert archive.testzip() is None
        assert len(archive.namelist()) == 8


def test_an_archive_of_more_entries_than_a_plain_zip_counts_opens():
    """Past 65,535 entries the ZIP needs its 64-bit end records (an archive of many years),
    written to a stream that cannot seek."""
    entries = (
        (
            f"2024/01/20240101-meldung-{number}.txt",
            (2024, 1, 1, 0, 0, 0),
            f"Meldung {number}".encode(),
        )
        for number in range(70_000)
    )
    stream = Unseekable()
    text_archive_write(out=stream, entries=entries)
    with zipfile.ZipFile(io.BytesIO(bytes(stream.written))) as archive:
        infos = archive.infolist()
        assert len(infos) == 70_000
        assert infos[-1].filename == "2024/01/20240101-meldung-69999.txt"
        assert infos[-1].date_time == (2024, 1, 1, 0, 0, 0)
        assert archive.read(infos[-1]) == b"Meldung 69999"
        assert archive.read(infos[0]) == b"Meldung 0"


BAD_ARGUMENTS = {
    "from": (["--from", "abc"], "--from: ungültiges Datum „abc“"),
    "to": (["--to", "2022-02-30"], "--to: ungültiges Datum „2022-02-30“"),
    "chunk_zero": (["--chunk-size", "0"], "--chunk-size: „0“ ist keine positive ganze Zahl"),
    "chunk_negative": (["--chunk-size", "-5"], "--chunk-size: „-5“ ist keine positive ganze Zahl"),
    "chunk_text": (["--chunk-size", "viele"], "„viele“ ist keine positive ganze Zahl"),
    "missing_folder": ([], "Der Ordner {tmp}/fehlt existiert nicht"),
}


@pytest.mark.parametrize("case", BAD_ARGUMENTS.keys())
def test_a_bad_argument_is_one_clear_line_and_leaves_no_file(case, tmp_path, db):
    extra, says = BAD_ARGUMENTS[case]
    out = tmp_path / ("fehlt/x.zip" if case == "missing_folder" else "x.zip")
    with pytest.raises(CommandError) as failure:
        call_command("export_text_versions", str(out), *extra)
    assert says.format(tmp=tmp_path) in str(failure.value)
    assert "\n" not in str(failure.value)
    assert list(tmp_path.rglob("*")) == []


def test_a_bad_argument_from_the_command_line_is_no_traceback(tmp_path):
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    for arguments in (["--from", "abc"], ["--chunk-size", "0"], ["--chunk-size", "x"]):
        result = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "export_text_versions",
                str(tmp_path / "x.zip"),
                *arguments,
            ],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("CommandError: ")
    assert not (tmp_path / "x.zip").exists()


def test_a_failing_export_leaves_no_file_and_keeps_an_older_one(newsroom, tmp_path, monkeypatch):
    PressReleasePageFactory(parent=newsroom, title="Eine Mitteilung")
    out = tmp_path / "archiv.zip"
    out.write_bytes(b"older archive")

    def broken(*, out, **kwargs):
        out.write(b"PK partial")
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        "press.management.commands.export_text_versions.releases_export_text_zip", broken
    )
    with pytest.raises(RuntimeError):
        call_command("export_text_versions", str(out))

    assert out.read_bytes() == b"older archive"
    assert [path.name for path in tmp_path.iterdir()] == ["archiv.zip"]


def test_a_successful_export_leaves_only_the_archive(newsroom, tmp_path):
    PressReleasePageFactory(parent=newsroom, title="Eine Mitteilung")
    out = tmp_path / "archiv.zip"
    call_command("export_text_versions", str(out), stdout=io.StringIO())
    assert [path.name for path in tmp_path.iterdir()] == ["archiv.zip"]
    with zipfile.ZipFile(out) as archive:
        assert len(archive.namelist()) == 1
