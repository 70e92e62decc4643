"""Fetching a photo named in an archive file, which is untrusted input.

* Only http and https.
* Every address a host name resolves to must be public (not loopback, private, link-local,
  reserved, multicast, unspecified or otherwise non-global), unless it lies in one of the
  explicitly allowed networks. The connection then goes to exactly the address that was
  checked (the Host header and TLS server name stay the name), so a second DNS answer cannot
  swap it for an internal one (DNS rebinding).
* Redirects are followed by hand, at most `MAX_REDIRECTS`, and every target is checked the
  same way before it is connected to.
* One deadline for the whole transfer (connect, redirects, headers, body): a watchdog shuts
  the socket down when it passes, so a server dripping one byte at a time cannot stretch it.
* At most `max_bytes`: a larger Content-Length is refused before the body is read, and a body
  that grows past the limit is cut.

Errors are `FetchError` with a translated, one-line reason.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext as _

MAX_REDIRECTS = 5
CHUNK_BYTES = 64 * 1024
USER_AGENT = "Pressedienst-Archivimport"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class FetchError(Exception):
    """A photo that cannot be fetched; the message is one translated line."""


class FetchTooLarge(FetchError):
    pass


def address_is_internal(address: IPAddress) -> bool:
    """Whether `address` points into the machine or a network that is not the public internet."""
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1 is 127.0.0.1
    if mapped is not None:
        address = mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
        or not address.is_global
    )


def networks_parse(values: Iterable[str]) -> list[IPNetwork]:
    return [ipaddress.ip_network(value, strict=False) for value in values]


def address_allowed(address: IPAddress, *, allowed_networks: Iterable[IPNetwork] = ()) -> bool:
    """Public addresses, and internal ones only inside an explicitly allowed network."""
    if any(address.version == net.version and address in net for net in allowed_networks):
        return True
    return not address_is_internal(address)


def host_resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (a literal address is itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(
            _("the name %(host)s cannot be resolved (%(error)s)") % {"host": host, "error": error}
        ) from error
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def checked_address(url: str, *, allowed_networks: Iterable[IPNetwork]) -> IPAddress:
    """The address to connect to for `url`, after the scheme and every resolved address passed
    the check; raises FetchError otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(
            _("only http and https addresses are fetched, not “%(scheme)s:”")
            % {"scheme": parts.scheme}
        )
    try:
        host, port = parts.hostname, parts.port
    except ValueError as error:  # a port that is no number
        raise FetchError(_("invalid address (%(error)s)") % {"error": error}) from error
    if not host:
        raise FetchError(_("the address names no host"))
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = host_resolve(host, port)
    if not addresses:
        raise FetchError(_("the name %(host)s cannot be resolved") % {"host": host})
    allowed_networks = list(allowed_networks)
    for address in addresses:
        if not address_allowed(address, allowed_networks=allowed_networks):
            raise FetchError(
                _("%(host)s is an internal address (%(address)s); only public hosts are fetched")
                % {"host": host, "address": address}
            )
    return addresses[0]


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to one checked address: `connect()`, which http.client documents as
    the step that opens the socket, goes to `address` and never looks the host name up again
    (the Host header stays the name)."""

    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((str(self.address), self.port), self.timeout)
        # As http.client's own connect: a request's head and body leave without waiting.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    """The same over TLS: the certificate is checked for the host name, not the address."""

    default_port = http.client.HTTPS_PORT

    def __init__(self, host: str, port: int, *, address: IPAddress, timeout: float):
        super().__init__(host, port, address=address, timeout=timeout)
        self.tls = ssl.create_default_context()

    def connect(self) -> None:
        super().connect()
        self.sock = self.tls.wrap_socket(self.sock, server_hostname=self.host)


def _connection(url: str, address: IPAddress, timeout: float) -> http.client.HTTPConnection:
    """A connection for `url` that connects to `address` and nothing else."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    connection_class = PinnedHTTPSConnection if parts.scheme == "https" else PinnedHTTPConnection
    return connection_class(parts.hostname, port, address=address, timeout=timeout)


class _Watchdog:
    """Shuts the connection's socket down when the deadline passes, whatever it is doing."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float):
        self.fired = False
        self._connection = connection
        self._timer = threading.Timer(max(seconds, 0), self._fire)
        self._timer.daemon = True

    def _fire(self):
        self.fired = True
        sock = self._connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()
        return False


def url_fetch(
    url: str,
    *,
    timeout: float,
    max_bytes: int | None,
    allowed_networks: Iterable[IPNetwork] = (),
) -> bytes:
    """The body of `url`, fetched under the rules of the module docstring."""
    allowed_networks = list(allowed_networks)
    deadline = time.monotonic() + timeout
    for _redirect in range(MAX_REDIRECTS + 1):
        address = checked_address(url, allowed_networks=allowed_networks)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timed_out(timeout)
        connection = _connection(url, address, remaining)
        try:
            with _Watchdog(connection, remaining) as watchdog:
                try:
                    location, body = _request(connection, url, deadline, max_bytes)
                except (OSError, http.client.HTTPException) as error:
                    if watchdog.fired or time.monotonic() >= deadline:
                        raise _timed_out(timeout) from error
                    raise FetchError(str(error) or type(error).__name__) from error
                if watchdog.fired:
                    raise _timed_out(timeout)
        finally:
            connection.close()
        if location is None:
            return body
        url = urljoin(url, location)
    raise FetchError(_("more than %(count)s redirects") % {"count": MAX_REDIRECTS})


def _timed_out(timeout: float) -> FetchError:
    return FetchError(_("not complete within %(seconds)s s") % {"seconds": timeout})


def _request(
    connection: http.client.HTTPConnection, url: str, deadline: float, max_bytes: int | None
) -> tuple[str | None, bytes]:
    """(redirect location, None) or (None, body) of one request."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    connection.request("GET", target, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
    response = connection.getresponse()
    if response.status in (301, 302, 303, 307, 308):
        location = response.getheader("Location")
        if not location:
            raise FetchError(
                _("redirect without a target (HTTP %(status)s)") % {"status": response.status}
            )
        return location, b""
    if response.status != 200:
        raise FetchError(f"HTTP {response.status} {response.reason}")
    length = response.getheader("Content-Length", "")
    if max_bytes is not None and length.isdigit() and int(length) > max_bytes:
        raise FetchTooLarge()
    chunks: list[bytes] = []
    received = 0
    while True:
        if time.monotonic() >= deadline:
            raise TimeoutError
        chunk = response.read1(CHUNK_BYTES)
        if not chunk:
            break
        received += len(chunk)
        if max_bytes is not None and received > max_bytes:
            raise FetchTooLarge()
        chunks.append(chunk)
    return None, b"".join(chunks)
