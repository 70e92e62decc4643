"""The archive import trusts nothing in a file: photo addresses, file names, sizes, pixels.

A real HTTP server on 127.0.0.2 (a loopback address, so refused by default) serves photos,
redirects, slow drips and oversized bodies. Tests that need it reachable allow exactly
127.0.0.2/32 through PRESS["IMPORT_ALLOWED_NETWORKS"]; everything else stays refused, and one
test proves the server is refused without that setting.
"""

import contextlib
import io
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.images import get_image_model

from press.importer import fetch as fetch_module
from press.importer.fetch import FetchError, FetchTooLarge, url_fetch
from press.importer.parse import ParsedImage
from press.importer.save import ReleaseImportError, photo_content
from press.models import PressReleasePage
from tests.test_import_command import PHOTO_URL, SEED_TEXT, jpeg_bytes, media_files, stored_counts

Image = get_image_model()
SERVER_HOST = "127.0.0.2"
PHOTO_BYTES = jpeg_bytes(320, 200)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    routes: dict = {}
    seen: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).seen.append((self.path, self.headers.get("Host")))
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)


def serve_bytes(content: bytes, *, declared: int | None = None):
    def route(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "image/jpeg")
        if declared is not None:
            handler.send_header("Content-Length", str(declared))
        handler.end_headers()
        handler.wfile.write(content)

    return route


def redirect_to(location: str):
    def route(handler):
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.end_headers()

    return route


def drip(*, headers_first: bool = True, interval: float = 0.2, total: int = 1000):
    """One byte every `interval` seconds, of the body (or of the headers)."""

    def route(handler):
        handler.wfile.flush()
        if not headers_first:
            for char in b"HTTP/1.0 200 OK\r\nX-Slow: " + b"x" * total:
                handler.connection.sendall(bytes([char]))
                time.sleep(interval)
            return
        handler.send_response(200)
        handler.send_header("Content-Length", str(total))
        handler.end_headers()
        handler.wfile.flush()
        for _ in range(total):
            handler.connection.sendall(b"x")
            time.sleep(interval)

    return route


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer((SERVER_HOST, 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(server):
    Handler.routes = {"/fotos/foto.jpg": serve_bytes(PHOTO_BYTES, declared=len(PHOTO_BYTES))}
    Handler.seen = []
    return f"http://{SERVER_HOST}:{server.server_address[1]}"


ALLOW_SERVER = {"IMPORT_ALLOWED_NETWORKS": [f"{SERVER_HOST}/32"]}


def press_settings(**overrides):
    from django.conf import settings

    return override_settings(PRESS={**settings.PRESS, **overrides})


def release_with_photo(tmp_path, url: str, name: str = "release.txt") -> Path:
    path = tmp_path / name
    path.write_text(SEED_TEXT.replace(PHOTO_URL, url), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def import_failing(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_press_release", *map(str, args), stdout=out, stderr=err)
    return err.getvalue()


# --------------------------------------------------------------------------- addresses


def test_a_photo_from_an_allowed_server_is_imported_without_a_transaction_open(
    tmp_path, newsroom, base, monkeypatch
):
    depth_outside = len(connection.atomic_blocks)
    depths_while_fetching = []
    original = fetch_module.url_fetch

    def recording_fetch(*args, **kwargs):
        depths_while_fetching.append(len(connection.atomic_blocks))
        return original(*args, **kwargs)

    monkeypatch.setattr("press.importer.save.url_fetch", recording_fetch)
    source = release_with_photo(tmp_path, f"{base}/fotos/foto.jpg")

    with press_settings(**ALLOW_SERVER):
        call_command("import_press_release", str(source), stdout=io.StringIO())

    image = PressReleasePage.objects.get().body[6].value["image"]
    assert image.file.read() == PHOTO_BYTES
    # SQLite locks the whole database during a write transaction: none is open while fetching.
    assert depths_while_fetching == [depth_outside]


def test_the_test_server_itself_is_refused_without_the_allowed_network(tmp_path, newsroom, base):
    source = release_with_photo(tmp_path, f"{base}/fotos/foto.jpg")
    before = stored_counts()

    err = import_failing(source)

    line = line_of(source, "/fotos/foto.jpg")
    assert f"{source}:{line}: Foto „foto.jpg“ nicht verfügbar" in err
    assert "interne Adresse (127.0.0.2)" in err
    assert Handler.seen == []  # refused before connecting
    assert stored_counts() == before


def test_a_public_looking_name_is_checked_by_its_resolved_address_and_connected_to_it(
    base, server, monkeypatch
):
    port = server.server_address[1]
    resolutions, connects = [], []
    real_create_connection = socket.create_connection
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host.replace(".", "").isdigit():  # connecting to a literal address: no lookup
            return real_getaddrinfo(host, port, *args, **kwargs)
        resolutions.append(host)
        # A rebinding resolver: the first answer is the allowed server, any later one internal.
        address = SERVER_HOST if len(resolutions) == 1 else "10.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def create_connection(address, *args, **kwargs):
        connects.append(address)
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(fetch_module.socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(fetch_module.socket, "create_connection", create_connection)
    url = f"http://fotos.example.org:{port}/fotos/foto.jpg"

    content = url_fetch(url, timeout=5, max_bytes=None, allowed_networks=[_net(SERVER_HOST)])

    assert content == PHOTO_BYTES
    assert resolutions == ["fotos.example.org"]  # resolved once …
    assert connects == [(SERVER_HOST, port)]  # … and connected to exactly what was checked
    assert Handler.seen == [("/fotos/foto.jpg", f"fotos.example.org:{port}")]

    # Without the allowed network the same answer is refused, and nothing is connected.
    resolutions.clear()
    connects.clear()
    with pytest.raises(FetchError, match=r"127\.0\.0\.2"):
        url_fetch(url, timeout=5, max_bytes=None)
    assert connects == []


def self_signed_certificate(directory: Path, *, name: str) -> Path:
    """A certificate and key (one PEM file) for `name`, made by the openssl command."""
    pem = directory / f"{name}.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"),
            *("-keyout", str(pem), "-out", str(pem)),
        ],
        check=True,
        capture_output=True,
    )
    return pem


@pytest.fixture
def tls_server(tmp_path):
    """HTTPS on 127.0.0.2 with a certificate for fotos.example.org; records each TLS server
    name (SNI) a client asked for."""
    pem = self_signed_certificate(tmp_path, name="fotos.example.org")
    names = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pem)
    context.sni_callback = lambda _socket, name, _context: names.append(name)
    httpd = ThreadingHTTPServer((SERVER_HOST, 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    Handler.routes = {"/fotos/foto.jpg": serve_bytes(PHOTO_BYTES, declared=len(PHOTO_BYTES))}
    Handler.seen = []
    yield httpd.server_address[1], pem, names
    httpd.shutdown()
    httpd.server_close()


def test_https_connects_to_the_checked_address_and_checks_the_certificate_for_the_name(
    tls_server, monkeypatch
):
    port, pem, names = tls_server
    connects = []
    real_create_connection = socket.create_connection
    real_default_context = ssl.create_default_context

    def create_connection(address, *args, **kwargs):
        connects.append(address)
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(
        fetch_module.socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (SERVER_HOST, port))
        ],
    )
    monkeypatch.setattr(fetch_module.socket, "create_connection", create_connection)
    url = f"https://fotos.example.org:{port}/fotos/foto.jpg"

    # The server's certificate is trusted by no authority the machine knows: refused.
    with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED"):
        url_fetch(url, timeout=5, max_bytes=None, allowed_networks=[_net(SERVER_HOST)])
    assert Handler.seen == []

    # Trusted, it is fetched: from the checked address, with the name as TLS server name.
    monkeypatch.setattr(
        fetch_module.ssl, "create_default_context", lambda: real_default_context(cafile=pem)
    )
    content = url_fetch(url, timeout=5, max_bytes=None, allowed_networks=[_net(SERVER_HOST)])
    assert content == PHOTO_BYTES
    assert connects == [(SERVER_HOST, port), (SERVER_HOST, port)]
    assert names == ["fotos.example.org", "fotos.example.org"]
    assert Handler.seen == [("/fotos/foto.jpg", f"fotos.example.org:{port}")]

    # A certificate for the name, reached under another name that resolves to the same
    # address, is refused: the name is checked, not the address.
    with pytest.raises(FetchError, match=r"CERTIFICATE_VERIFY_FAILED|match"):
        url_fetch(
            f"https://andere.example.org:{port}/fotos/foto.jpg",
            timeout=5,
            max_bytes=None,
            allowed_networks=[_net(SERVER_HOST)],
        )


@pytest.mark.parametrize(
    "answers",
    [
        ["10.0.0.1"],
        ["169.254.169.254"],
        ["::1"],
        ["::ffff:127.0.0.1"],
        ["100.64.0.1"],  # carrier-grade NAT, not global
        ["0.0.0.0"],
        ["93.184.215.14", "192.168.1.10"],  # one internal answer among public ones is enough
    ],
)
def test_a_name_resolving_to_an_internal_address_is_refused(answers, monkeypatch):
    connects = []

    def getaddrinfo(host, port, *args, **kwargs):
        family = {4: socket.AF_INET, 6: socket.AF_INET6}
        return [
            (family[6 if ":" in a else 4], socket.SOCK_STREAM, 6, "", (a, port)) for a in answers
        ]

    monkeypatch.setattr(fetch_module.socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(
        fetch_module.socket, "create_connection", lambda *a, **k: connects.append(a)
    )

    with pytest.raises(FetchError, match="interne Adresse"):
        url_fetch("http://fotos.example.org/foto.jpg", timeout=5, max_bytes=None)
    assert connects == []


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{port}/fotos/foto.jpg",
        "http://169.254.169.254/latest/meta-data/foto.jpg",
        "http://[::1]:{port}/fotos/foto.jpg",
        "http://10.0.0.1/foto.jpg",
        "http://localhost:{port}/fotos/foto.jpg",
        "file:///etc/passwd",
        "ftp://{server}/foto.jpg",
        "gopher://{server}:70/foto.jpg",
    ],
)
def test_a_redirect_from_an_allowed_server_to_an_internal_or_foreign_address_is_refused(
    target, tmp_path, newsroom, base, server
):
    port = server.server_address[1]
    location = target.format(port=port, server=SERVER_HOST)
    Handler.routes["/weiter/foto.jpg"] = redirect_to(location)
    source = release_with_photo(tmp_path, f"{base}/weiter/foto.jpg")
    before, files_before = stored_counts(), media_files()

    with press_settings(**ALLOW_SERVER):
        err = import_failing(source)

    line = line_of(source, "/weiter/foto.jpg")
    assert f"{source}:{line}: Foto „foto.jpg“ nicht verfügbar" in err
    assert "interne Adresse" in err or "nur http- und https-Adressen" in err
    assert [path for path, _host in Handler.seen] == ["/weiter/foto.jpg"]  # no second request
    assert stored_counts() == before
    assert media_files() == files_before


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.jpg", "gopher://x/1"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchError, match="nur http- und https-Adressen"):
        url_fetch(url, timeout=5, max_bytes=None)


def test_a_redirect_to_the_allowed_server_is_followed(base):
    Handler.routes["/alt.jpg"] = redirect_to("/fotos/foto.jpg")
    content = url_fetch(
        f"{base}/alt.jpg", timeout=5, max_bytes=None, allowed_networks=[_net(SERVER_HOST)]
    )
    assert content == PHOTO_BYTES


def test_a_redirect_loop_ends(base):
    Handler.routes["/kreis.jpg"] = redirect_to("/kreis.jpg")
    with pytest.raises(FetchError, match="Weiterleitungen"):
        url_fetch(
            f"{base}/kreis.jpg", timeout=5, max_bytes=None, allowed_networks=[_net(SERVER_HOST)]
        )
    assert len(Handler.seen) == fetch_module.MAX_REDIRECTS + 1


def _net(address: str):
    return fetch_module.ipaddress.ip_network(address)


# --------------------------------------------------------------------------- time and size


@pytest.mark.parametrize("headers_first", [True, False], ids=["body", "headers"])
def test_a_drip_server_is_cut_at_the_total_time_limit(headers_first, tmp_path, newsroom, base):
    Handler.routes["/tropfen/foto.jpg"] = drip(headers_first=headers_first, interval=0.2)
    source = release_with_photo(tmp_path, f"{base}/tropfen/foto.jpg")
    before = stored_counts()

    started = time.monotonic()
    with press_settings(**ALLOW_SERVER, IMPORT_DOWNLOAD_TIMEOUT=1):
        err = import_failing(source)
    elapsed = time.monotonic() - started

    # Each byte arrives well within any per-read timeout; only a total deadline stops it.
    assert elapsed < 2.5
    line = line_of(source, "/tropfen/foto.jpg")
    assert f"{source}:{line}: Foto „foto.jpg“ nicht verfügbar" in err
    assert "nicht innerhalb von 1 s vollständig" in err
    assert stored_counts() == before


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "undeclared"])
def test_a_body_over_the_size_limit_is_cut(declared, tmp_path, newsroom, base):
    body = b"x" * 300_000
    Handler.routes["/gross/foto.jpg"] = serve_bytes(body, declared=len(body) if declared else None)
    source = release_with_photo(tmp_path, f"{base}/gross/foto.jpg")
    before = stored_counts()

    with press_settings(**ALLOW_SERVER, IMPORT_DOWNLOAD_MAX_BYTES=100_000):
        err = import_failing(source)

    line = line_of(source, "/gross/foto.jpg")
    assert f"{source}:{line}: Foto „foto.jpg“ von {base}/gross/foto.jpg ist zu groß" in err
    assert "(über 97,7\xa0KB)" in err
    assert stored_counts() == before


def test_the_size_limit_stops_reading(base):
    Handler.routes["/endlos.jpg"] = drip(interval=0, total=10_000_000)
    started = time.monotonic()
    with pytest.raises(FetchTooLarge):
        url_fetch(
            f"{base}/endlos.jpg",
            timeout=30,
            max_bytes=50_000,
            allowed_networks=[_net(SERVER_HOST)],
        )
    assert time.monotonic() - started < 5


# --------------------------------------------------------------------------- file names

TRAVERSALS = [
    "..%2Fgeheim.jpg",
    "..%2fgeheim.jpg",
    "%2e%2e%2Fgeheim.jpg",
    "sub%5C..%5Cgeheim.jpg",
    "..%5Cgeheim.jpg",
    "..\\geheim.jpg",
    "%2Ftmp%2Fgeheim.jpg",
    "../geheim.jpg",
    "%2e%2e/geheim.jpg",
    "geheim.jpg%00.jpg",
]


@pytest.mark.parametrize("name", TRAVERSALS)
def test_a_file_name_leaving_the_media_dir_is_refused_alike_whether_it_exists(
    name, tmp_path, newsroom
):
    media = tmp_path / "fotos"
    media.mkdir()
    secrets = {}
    for exists in (True, False):
        outside = tmp_path / f"welt-{exists}"
        outside.mkdir()
        inner = outside / "fotos"
        inner.mkdir(exist_ok=True)
        if exists:
            (outside / "geheim.jpg").write_bytes(jpeg_bytes())
            (outside / "sub").mkdir()
        url = f"http://www.duesseldorf.de/fileadmin/{name}"
        source = release_with_photo(outside, url, name=f"r-{exists}.txt")
        before = stored_counts()
        err = import_failing(source, "--media-dir", inner)
        assert stored_counts() == before
        secrets[exists] = err.replace(str(source), "FILE")

    assert secrets[True] == secrets[False]
    assert "Dateinamen, der nicht erlaubt ist" in secrets[True]
    assert secrets[True].startswith("FILE:")  # FILE:LINE: message


@pytest.mark.parametrize("file_name", ["/etc/passwd", "../geheim.jpg", "a\\b.jpg", ".."])
def test_the_database_half_refuses_such_names_too(file_name, tmp_path):
    (tmp_path / "geheim.jpg").write_bytes(jpeg_bytes())
    media = tmp_path / "fotos"
    media.mkdir()
    photo = ParsedImage(
        source_url="", file_name=file_name, caption="Foto", credit="Amt", alt="Foto"
    )
    with pytest.raises(ReleaseImportError, match="nicht erlaubt"):
        photo_content(photo=photo, media_dir=media)


def test_a_symbolic_link_out_of_the_media_dir_is_not_followed(tmp_path):
    (tmp_path / "geheim.jpg").write_bytes(jpeg_bytes())
    media = tmp_path / "fotos"
    media.mkdir()
    (media / "foto.jpg").symlink_to(tmp_path / "geheim.jpg")
    photo = ParsedImage(
        source_url="", file_name="foto.jpg", caption="Foto", credit="Amt", alt="Foto"
    )
    with pytest.raises(ReleaseImportError, match="nicht verfügbar"):
        photo_content(photo=photo, media_dir=media)


# --------------------------------------------------------------------------- limits


def test_an_input_file_over_the_size_limit_is_refused_with_its_line(tmp_path, newsroom):
    source = release_with_photo(tmp_path, PHOTO_URL)
    before = stored_counts()
    with press_settings(IMPORT_MAX_FILE_BYTES=1000):
        err = import_failing(source)
    line = source.read_bytes()[:1000].count(b"\n") + 1
    assert f"{source}:{line}: Die Datei ist größer als 1000\xa0Bytes" in err
    assert stored_counts() == before


def test_a_release_over_the_character_limit_is_refused_with_its_line(tmp_path, newsroom):
    source = release_with_photo(tmp_path, PHOTO_URL)
    before = stored_counts()
    with press_settings(IMPORT_MAX_RELEASE_CHARS=1500):
        err = import_failing(source)
    line = source.read_text(encoding="utf-8")[:1500].count("\n") + 1
    assert f"{source}:{line}: Die Pressemitteilung ist länger als 1500 Zeichen" in err
    assert stored_counts() == before


def large_png(width=10_000, height=8_000) -> bytes:
    """80 megapixels of one colour: under Wagtail's 128 and Pillow's 89 million, over the
    plugin's 50; a few kilobytes as a file."""
    buffer = io.BytesIO()
    PILImage.new("1", (width, height), 1).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_photo_over_the_pixel_limit_is_refused_by_the_importer(tmp_path, newsroom):
    media = tmp_path / "fotos"
    media.mkdir()
    (media / "riesig.png").write_bytes(large_png())
    source = release_with_photo(tmp_path, "http://www.duesseldorf.de/fotos/riesig.png")
    before, files_before = stored_counts(), media_files()

    err = import_failing(source, "--media-dir", media)

    line = line_of(source, "riesig.png")
    assert f"{source}:{line}: Foto „riesig.png“ abgelehnt" in err
    assert "10000 × 8000 Pixel (80,0 Megapixel); höchstens 50 Megapixel" in err  # noqa: RUF001
    assert stored_counts() == before
    assert media_files() == files_before
