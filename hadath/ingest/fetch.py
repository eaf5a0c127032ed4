"""Articles from ``http(s)://`` URLs: fetched only when asked, never from the
local network, within a byte and a time budget.

A tool that fetches what it is given can be turned against its host (server-side
request forgery): ``http://169.254.169.254/`` hands out cloud credentials,
``http://localhost:8080/`` reaches an internal service.  So the host name is
resolved here, every address is checked (loopback, private, link-local,
multicast, reserved, unspecified, IPv4 inside IPv6) and the connection goes to
the checked address itself - not to the name, which a DNS-rebinding server could
answer differently the second time - with the name sent in the Host header and
used for TLS (SNI and the certificate check).  Redirects are followed by hand and
every hop is checked again.  Bodies are streamed and abandoned past the byte cap,
before and after gzip/deflate decoding, and one deadline covers the whole fetch.
Proxy settings of the environment are not used.
"""
from __future__ import annotations

import http.client
import ipaddress
import os
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Optional, Union
from urllib.parse import quote, urljoin, urlsplit

from hadath.ingest.checks import charset_of, decode_bytes, human_size, stable_id
from hadath.ingest.model import IngestOptions, InputProblem

OFF = "URL given but fetching is off (use --fetch)"
SCHEMES = ("http", "https")
REDIRECTS = (301, 302, 303, 307, 308)
CA_FILE: Optional[str] = None
"""Certificate authorities to trust instead of the system's (for tests)."""

KINDS = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/rss+xml": "feed", "application/atom+xml": "feed", "application/rdf+xml": "feed",
    "application/json": "json", "text/json": "json",
    "application/x-ndjson": "jsonl", "application/ndjson": "jsonl", "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl", "application/jsonlines": "jsonl",
}
"""Content types that say how to read a body; other ``text/*``, generic XML,
octet streams and gzip are read by the URL's extension or sniffed."""
UNDECIDED = ("", "application/xml", "text/xml", "application/octet-stream", "binary/octet-stream",
             "application/gzip", "application/x-gzip")
_DECODED = ("text/html", "application/xhtml+xml", "text/plain")   # re-encoded as UTF-8 per the charset
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_HOST = re.compile(r"^[A-Za-z0-9._:-]+$")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_CHUNK = 1 << 16
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


@dataclass(frozen=True)
class Fetched:
    """A body fetched, and what the reader needs to read it."""

    url: str                # after redirects
    host: str
    kind: Optional[str]     # from the content type; None: by the URL's extension, else sniffed
    body: bytes

    @property
    def stem(self) -> str:
        return stable_id(self.url)


class _Refused(Exception):
    """The one-line reason a URL gives no body."""


def is_url(text: str) -> bool:
    """``scheme://...``: http(s) always; other schemes unless a file has that name."""
    match = _URL.match(text)
    if match is None:
        return False
    return match.group(1).lower() in SCHEMES or not os.path.lexists(text)


def address_problem(address: str) -> Optional[str]:
    """What kind of non-public address this is (``loopback``, ``private``...), or
    ``None`` for a public one.  IPv4 inside IPv6 (mapped, 6to4, NAT64) is judged
    as IPv4 too."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "unparseable"
    candidates: list = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        nat64 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None
        candidates += [v4 for v4 in (ip.ipv4_mapped, ip.sixtofour, nat64) if v4 is not None]
    for candidate in candidates:
        for name in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
            if getattr(candidate, f"is_{name}"):
                return name.replace("_", "-")
        if not candidate.is_global:
            return "non-public"
    return None


def resolve(host: str, port: int) -> list[str]:
    """The addresses of ``host``, in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str       # ASCII (IDNA), no brackets
    port: int
    path: str       # with the query, percent-encoded
    host_header: str


def _target(url: str, redirect: bool) -> _Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise _Refused(f"invalid URL ({err})")
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        what = f"refused redirect to a {scheme}: URL" if redirect else f"unsupported URL scheme '{scheme}'"
        raise _Refused(f"{what} (only http and https are fetched)")
    if parts.username is not None or parts.password is not None:
        raise _Refused("URLs with a user name or password are not fetched")
    host = parts.hostname or ""
    try:
        host = host if ":" in host else host.encode("idna").decode("ascii")
    except UnicodeError:
        host = ""
    if not host or not _HOST.match(host):
        raise _Refused(f"invalid host name in URL: {parts.netloc[:100]!r}")
    default = 443 if scheme == "https" else 80
    port = port or default
    shown = f"[{host}]" if ":" in host else host
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_PATH_SAFE + "?")
    return _Target(scheme, host, port, path, shown if port == default else f"{shown}:{port}")


def _addresses(target: _Target, options: IngestOptions, deadline: float) -> list[str]:
    """Resolve (within the deadline) and check every address of the host."""
    found: list = []

    def work() -> None:
        try:
            found.append(resolve(target.host, target.port))
        except (OSError, UnicodeError) as err:
            found.append(err)

    worker = threading.Thread(target=work, daemon=True, name="hadath-resolve")
    worker.start()
    worker.join(_left(deadline))
    if not found:
        raise _Refused(f"timed out resolving {target.host}")
    if isinstance(found[0], Exception) or not found[0]:
        detail = getattr(found[0], "strerror", None) or str(found[0] or "no address")
        raise _Refused(f"cannot resolve host {target.host} ({detail})")
    if not options.allow_private:
        for address in found[0]:
            kind = address_problem(address)
            if kind is not None:
                kind = ("an " if kind[0] in "aeiou" else "a ") + kind
                what = (f"{address} is {kind} address" if address == target.host
                        else f"{target.host} resolves to {kind} address ({address})")
                raise _Refused(f"refused: {what}; use --allow-private to permit")
    return found[0]


class _TLSConnection(http.client.HTTPConnection):
    """TLS to a checked address, with SNI and the certificate check for the name."""

    default_port = 443

    def __init__(self, address: str, port: int, timeout: float, server_name: str):
        super().__init__(address, port, timeout=timeout)
        self.server_name = server_name

    def connect(self) -> None:
        super().connect()
        context = ssl.create_default_context(cafile=CA_FILE)
        self.sock = context.wrap_socket(self.sock, server_hostname=self.server_name)


def _connect(target: _Target, addresses: list[str], deadline: float) -> http.client.HTTPConnection:
    error: Optional[OSError] = None
    for address in addresses:
        if target.scheme == "https":
            conn: http.client.HTTPConnection = _TLSConnection(address, target.port, _left(deadline), target.host)
        else:
            conn = http.client.HTTPConnection(address, target.port, timeout=_left(deadline))
        try:
            conn.connect()
            return conn
        except OSError as err:
            conn.close()
            if isinstance(err, (TimeoutError, ssl.SSLError)):
                raise
            error = err
    raise _Refused(f"cannot connect to {target.host_header} ({getattr(error, 'strerror', None) or error})")


def _watchdog(sock: socket.socket, deadline: float) -> threading.Timer:
    """Cuts the connection at the deadline, however slowly the server trickles."""
    def cut() -> None:
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)     # the TCP socket, under any TLS
        except OSError:
            pass

    timer = threading.Timer(max(deadline - time.monotonic(), 0.0), cut)
    timer.daemon = True
    timer.start()
    return timer


def _read_body(response: http.client.HTTPResponse, sock: socket.socket, limit: int, deadline: float) -> bytes:
    too_large = f"response too large: more than {human_size(limit)} (raise --max-bytes)"
    length = (response.getheader("Content-Length") or "").strip()
    if length.isdigit() and int(length) > limit:
        raise _Refused(too_large)
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise _Refused(f"unsupported content encoding '{encoding[:40]}'")
    inflater = zlib.decompressobj(31 if "gzip" in encoding else 15) if encoding != "identity" else None
    chunks: list[bytes] = []
    raw = size = 0
    while True:
        sock.settimeout(_left(deadline))
        chunk = response.read1(_CHUNK)
        if not chunk:
            break
        first = raw == 0
        raw += len(chunk)
        if inflater is not None:
            try:
                try:
                    chunk = inflater.decompress(chunk, limit - size + 1)
                except zlib.error:
                    if encoding != "deflate" or not first:
                        raise
                    inflater = zlib.decompressobj(-15)      # "deflate" sent without its zlib header
                    chunk = inflater.decompress(chunk, limit - size + 1)
            except zlib.error:
                raise _Refused(f"corrupt {encoding} data in the response")
            if inflater.unconsumed_tail:                    # more output than the room left
                raise _Refused(too_large)
        size += len(chunk)
        if raw > limit or size > limit:
            raise _Refused(too_large)
        chunks.append(chunk)
    _left(deadline)         # an end forced by the watchdog is a timeout
    return b"".join(chunks)


def _fetched(url: str, host: str, content_type: Optional[str], body: bytes) -> Fetched:
    media = (content_type or "").split(";")[0].strip().lower()
    kind = KINDS.get(media)
    if kind is None and media not in UNDECIDED and not media.startswith("text/"):
        raise _Refused(f"unsupported content type '{media[:60]}'")
    charset = charset_of(content_type)
    if charset and media in _DECODED:
        text, _ = decode_bytes(body, html=media != "text/plain", declared=charset)
        if text is not None:
            body = text.encode("utf-8", "surrogatepass")
    return Fetched(url=url, host=host, kind=kind, body=body)


def _fetch(url: str, options: IngestOptions, deadline: float) -> Fetched:
    current = url
    for hop in range(options.max_redirects + 1):
        target = _target(current, redirect=hop > 0)
        conn = _connect(target, _addresses(target, options, deadline), deadline)
        sock = conn.sock            # http.client lets go of it once the response is read
        timer = _watchdog(sock, deadline)
        try:
            conn.request("GET", target.path, headers={
                "Host": target.host_header, "User-Agent": options.user_agent, "Connection": "close",
                "Accept": "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
                          "application/xml;q=0.9, application/json;q=0.9, text/plain;q=0.8, */*;q=0.5",
                "Accept-Encoding": "gzip, deflate",
            })
            response = conn.getresponse()
            if response.status in REDIRECTS:
                location = (response.getheader("Location") or "").strip()
                if not location:
                    raise _Refused(f"HTTP {response.status} redirect without a Location")
                try:
                    location = location.encode("latin-1").decode("utf-8")   # raw UTF-8 in the header
                except UnicodeError:
                    pass
                current = urljoin(current, location)
                continue
            if response.status not in (200, 203):
                raise _Refused(f"HTTP {response.status} {response.reason}".strip())
            body = _read_body(response, sock, options.fetch_limit(), deadline)
            return _fetched(current, target.host, response.getheader("Content-Type"), body)
        except (OSError, http.client.HTTPException, ValueError) as err:
            if time.monotonic() >= deadline or isinstance(err, TimeoutError):
                raise TimeoutError from err
            if isinstance(err, ssl.SSLError):
                raise
            raise _Refused(f"connection failed: {getattr(err, 'strerror', None) or err or type(err).__name__}")
        finally:
            timer.cancel()
            conn.close()
    raise _Refused(f"too many redirects (more than {options.max_redirects})")


def fetch_url(url: str, options: IngestOptions) -> Union[Fetched, InputProblem]:
    """The body of ``url`` after redirects, or the reason there is none."""
    if not options.fetch:
        return InputProblem(url, OFF)
    try:
        return _fetch(url, options, time.monotonic() + options.fetch_timeout)
    except _Refused as err:
        return InputProblem(url, str(err))
    except TimeoutError:
        return InputProblem(url, f"timed out after {options.fetch_timeout:g} s")
    except ssl.SSLError as err:
        return InputProblem(url, f"TLS error: {getattr(err, 'verify_message', None) or err.reason or err}")
