"""hadath.ingest.fetch: URLs, only when asked, never into the local network.

A local http.server on 127.0.0.1 stands in for the web (fetches to it need
``allow_private``); refusals of private addresses are checked before any
connection is made, and the resolver and address check are replaced where a
test needs a public-looking host.  No test needs the internet.
"""
from __future__ import annotations

import gzip
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hadath.ingest import IngestOptions, read_inputs
from hadath.ingest import fetch as fetch_module
from hadath.ingest.checks import stable_id
from hadath.ingest.fetch import address_problem, fetch_url, is_url
from tests.ingest_helpers import only_article, only_problem

AR = "قال وزير الخارجية إن المحادثات مع الجانب الآخر ستستأنف الأسبوع المقبل في العاصمة."
AR2 = "وأضاف أن الحكومة ترفض أي تدخل خارجي في شؤونها الداخلية."
PAGE = (f"<html><head><title>عنوان الخبر</title><script>alert('LEAK')</script></head>"
        f"<body><article><p>{AR}</p><p>{AR2}</p></article></body></html>").encode()
FEED = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>وكالة</title>'
        f"<item><link>https://elsewhere.example/1</link><guid>a1</guid><description>&lt;p&gt;{AR}&lt;/p&gt;"
        f"</description></item><item><link>https://elsewhere.example/2</link><description>{AR2}</description>"
        f"</item></channel></rss>").encode()
LOCAL = IngestOptions(fetch=True, allow_private=True, fetch_timeout=5.0)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get("Host")))
        route = self.server.routes.get(self.path.split("?")[0])
        try:
            if route is None:
                self.reply(404, b"not here", "text/plain")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass        # the client gave up, as it should

    def reply(self, status, body=b"", content_type="text/html; charset=utf-8", headers=(), length=True):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


def serve(**routes):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.routes = routes
    server.seen = []
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@pytest.fixture
def web():
    servers = []

    def start(**routes):
        server = serve(**routes)
        servers.append(server)
        return server, f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def read(urls, options=LOCAL):
    return list(read_inputs(list(urls), options))




# --- off by default ---------------------------------------------------------------

def test_urls_are_refused_unless_fetching_is_on(web):
    server, base = web(**{"/a": lambda h: h.reply(200, PAGE)})
    assert only_problem(read([base + "/a"], IngestOptions())).message == "URL given but fetching is off (use --fetch)"
    assert server.seen == []


def test_url_recognition(tmp_path, monkeypatch):
    assert is_url("http://x.example/") and is_url("HTTPS://x.example/") and is_url("ftp://x/")
    assert not is_url("news/") and not is_url("-") and not is_url("c:/news") and not is_url("")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gopher:" / "x").mkdir(parents=True)
    assert not is_url("gopher://x")          # a path that exists is read as a path
    assert is_url("http://x") and not (tmp_path / "http:").exists()


# --- what comes back ----------------------------------------------------------------

def test_html_page(web):
    server, base = web(**{"/news/1": lambda h: h.reply(200, PAGE)})
    article = only_article(read([base + "/news/1"]))
    assert AR in article.text and AR2 in article.text and "LEAK" not in article.text
    assert article.title == "عنوان الخبر"
    assert article.url == base + "/news/1" and article.origin == base + "/news/1"
    assert article.id == stable_id(base + "/news/1") and article.source == "127.0.0.1"
    assert server.seen == [("/news/1", f"127.0.0.1:{server.server_port}")]


def test_redirects_are_followed_and_non_ascii_paths_encoded(web):
    server, base = web(**{
        "/old": lambda h: h.reply(301, headers=[("Location", "/mid")]),
        "/mid": lambda h: h.reply(302, headers=[("Location", base + "/%D8%AE%D8%A8%D8%B1")]),
        "/%D8%AE%D8%A8%D8%B1": lambda h: h.reply(200, PAGE),
    })
    article = only_article(read([base + "/old"]))
    assert article.url == base + "/%D8%AE%D8%A8%D8%B1" and article.origin == base + "/old"
    assert only_article(read([base + "/خبر"])).text == article.text


def test_feed_response_gives_its_entries_without_fetching_their_links(web):
    server, base = web(**{"/rss": lambda h: h.reply(200, FEED, "application/rss+xml; charset=utf-8")})
    first, second = read([base + "/rss"])
    assert (first.text, first.url, first.source) == (AR, "https://elsewhere.example/1", "وكالة")
    assert second.text == AR2 and first.origin == base + "/rss#1"
    assert [path for path, _ in server.seen] == ["/rss"]


def test_generic_xml_feed_and_json_records(web):
    records = [{"id": "j1", "text": AR}, {"text": AR2}]
    server, base = web(**{
        "/feed": lambda h: h.reply(200, FEED, "text/xml"),
        "/list.json": lambda h: h.reply(200, json.dumps(records).encode(), "application/json"),
        "/lines": lambda h: h.reply(200, "".join(json.dumps(r) + "\n" for r in records).encode(),
                                    "application/x-ndjson"),
        "/dump.jsonl": lambda h: h.reply(200, "".join(json.dumps(r) + "\n" for r in records).encode(),
                                         "text/plain"),
    })
    assert [a.text for a in read([base + "/feed"])] == [AR, AR2]
    assert [a.id for a in read([base + "/list.json"])][0] == "j1"
    lines = read([base + "/lines"])
    assert [a.text for a in lines] == [AR, AR2] and lines[1].origin == base + "/lines:2"
    assert [a.id for a in read([base + "/dump.jsonl"])][0] == "j1"


def test_plain_text_with_declared_charset(web):
    server, base = web(**{"/t": lambda h: h.reply(200, AR.encode("cp1256"), "text/plain; charset=windows-1256")})
    article = only_article(read([base + "/t"]))
    assert article.text == AR and article.url == base + "/t"


@pytest.mark.parametrize("encoding, compress", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda data: zlib.compress(data)[2:-4]),        # raw deflate, as some servers send it
])
def test_compressed_responses(web, encoding, compress):
    server, base = web(**{"/z": lambda h: h.reply(200, compress(PAGE), headers=[("Content-Encoding", encoding)])})
    assert AR in only_article(read([base + "/z"])).text


def test_http_errors_and_unsupported_types(web):
    server, base = web(**{
        "/img": lambda h: h.reply(200, b"\x89PNG\r\n", "image/png"),
        "/boom": lambda h: h.reply(500, b"oops", "text/plain"),
        "/br": lambda h: h.reply(200, b"xx", headers=[("Content-Encoding", "br")]),
        "/loc": lambda h: h.reply(302, b""),
    })
    assert only_problem(read([base + "/img"])).message == "unsupported content type 'image/png'"
    assert only_problem(read([base + "/boom"])).message == "HTTP 500 Internal Server Error"
    assert only_problem(read([base + "/missing"])).message == "HTTP 404 Not Found"
    assert only_problem(read([base + "/br"])).message == "unsupported content encoding 'br'"
    assert only_problem(read([base + "/loc"])).message == "HTTP 302 redirect without a Location"


# --- caps ---------------------------------------------------------------------------

def test_size_cap_by_content_length_and_by_streaming(web):
    big = b"<html><body><p>" + AR.encode() * 2000 + b"</p></body></html>"
    server, base = web(**{
        "/declared": lambda h: h.reply(200, big),
        "/streamed": lambda h: h.reply(200, big, length=False),
    })
    options = IngestOptions(fetch=True, allow_private=True, fetch_max_bytes=50_000)
    for path in ("/declared", "/streamed"):
        assert only_problem(read([base + path], options)).message == \
            "response too large: more than 50 KB (raise --max-bytes)"
    assert only_problem(read([base + "/declared"], IngestOptions(fetch=True, allow_private=True, max_bytes=10_000))) \
        .message == "response too large: more than 40 KB (raise --max-bytes)"


def test_gzip_bomb_response_is_abandoned_quickly(web):
    bomb = gzip.compress(b" " * 200_000_000, 9)             # 200 MB of spaces in ~200 KB
    server, base = web(**{"/bomb": lambda h: h.reply(200, bomb, headers=[("Content-Encoding", "gzip")])})
    start = time.perf_counter()
    problem = only_problem(read([base + "/bomb"]))
    assert time.perf_counter() - start < 3
    assert problem.message == "response too large: more than 20 MB (raise --max-bytes)"


def test_timeout_of_a_server_that_sleeps(web):
    def sleepy(handler):
        time.sleep(3)
        handler.reply(200, PAGE)

    def trickle(handler):
        handler.reply(200, b"", "text/plain", length=False)
        for _ in range(60):
            handler.wfile.write("ق".encode())
            handler.wfile.flush()
            time.sleep(0.05)

    server, base = web(**{"/sleep": sleepy, "/trickle": trickle})
    options = IngestOptions(fetch=True, allow_private=True, fetch_timeout=0.5)
    for path in ("/sleep", "/trickle"):
        start = time.perf_counter()
        assert only_problem(read([base + path], options)).message == "timed out after 0.5 s"
        assert time.perf_counter() - start < 1.5


def test_too_many_redirects(web):
    server, base = web(**{"/loop": lambda h: h.reply(302, headers=[("Location", "/loop")])})
    assert only_problem(read([base + "/loop"], IngestOptions(fetch=True, allow_private=True, max_redirects=3))) \
        .message == "too many redirects (more than 3)"
    assert len(server.seen) == 4


# --- refusals -----------------------------------------------------------------------

@pytest.mark.parametrize("url, message", [
    ("http://127.0.0.1:9/", "refused: 127.0.0.1 is a loopback address"),
    ("http://10.1.2.3/", "refused: 10.1.2.3 is a private address"),
    ("http://192.168.0.1/", "refused: 192.168.0.1 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local address"),
    ("http://[::1]/", "refused: ::1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]/", "refused: ::ffff:127.0.0.1 is a"),
    ("http://[fe80::1]/", "refused: fe80::1 is a link-local address"),
    ("http://0.0.0.0/", "refused: 0.0.0.0 is an unspecified address"),
    ("http://224.0.0.1/", "refused: 224.0.0.1 is a multicast address"),
    ("http://2130706433/", "refused: 2130706433 resolves to a loopback address (127.0.0.1)"),
    ("http://localhost:8080/admin", "refused: localhost resolves to a loopback address"),
])
def test_private_addresses_are_refused(url, message):
    problem = only_problem(read([url], IngestOptions(fetch=True)))
    assert problem.message.startswith(message) and problem.message.endswith("; use --allow-private to permit")


def test_address_classes():
    for public in ("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"):
        assert address_problem(public) is None, public
    for private, kind in (("100.64.0.1", "non-public"), ("64:ff9b::a00:1", "private"),
                          ("2002:a00:1::", "private"), ("::ffff:10.0.0.1", "private"), ("240.0.0.1", "reserved"),
                          ("fc00::1", "private"), ("not an ip", "unparseable")):
        assert address_problem(private) is not None, private
        assert kind == "private" or address_problem(private) == kind, private


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://ftp.example.org/x", "gopher://g.example/1"])
def test_other_schemes_are_refused(url):
    scheme = url.split(":")[0]
    assert only_problem(read([url])).message == f"unsupported URL scheme '{scheme}' (only http and https are fetched)"


def public_loopback(monkeypatch):
    """Let 127.0.0.1 pass the check (the test server stands in for a public site)."""
    real = address_problem
    monkeypatch.setattr(fetch_module, "address_problem", lambda a: None if a == "127.0.0.1" else real(a))


def test_redirect_to_a_private_address_is_refused_at_that_hop(web, monkeypatch):
    public_loopback(monkeypatch)
    server, base = web(**{
        "/meta": lambda h: h.reply(302, headers=[("Location", "http://169.254.169.254/latest/meta-data/")]),
        "/ten": lambda h: h.reply(307, headers=[("Location", "http://10.0.0.8:8080/admin")]),
        "/v6": lambda h: h.reply(301, headers=[("Location", "http://[::1]:8080/")]),
    })
    options = IngestOptions(fetch=True)
    assert only_problem(read([base + "/meta"], options)).message.startswith(
        "refused: 169.254.169.254 is a link-local address")
    assert only_problem(read([base + "/ten"], options)).message.startswith("refused: 10.0.0.8 is a private address")
    assert only_problem(read([base + "/v6"], options)).message.startswith("refused: ::1 is a loopback address")
    assert [path for path, _ in server.seen] == ["/meta", "/ten", "/v6"]


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://x.example/", "gopher://x.example:70/1",
                                    "javascript:alert(1)"])
def test_redirect_to_another_scheme_is_refused(web, target):
    server, base = web(**{"/r": lambda h: h.reply(302, headers=[("Location", target)])})
    scheme = target.split(":")[0]
    assert only_problem(read([base + "/r"])).message == \
        f"refused redirect to a {scheme}: URL (only http and https are fetched)"


def test_dns_rebinding_connects_to_the_checked_address(web, monkeypatch):
    """The name is resolved once per hop and the connection goes to that checked
    address, with the name only in the Host header."""
    public_loopback(monkeypatch)
    answers = {"news.test": [["127.0.0.1"], ["10.9.9.9"]], "rebind.test": [["10.0.0.7"]]}
    asked = []

    def resolver(host, port):
        asked.append(host)
        return answers[host].pop(0)

    monkeypatch.setattr(fetch_module, "resolve", resolver)
    server, base = web(**{"/a": lambda h: h.reply(200, PAGE),
                          "/jump": lambda h: h.reply(302, headers=[("Location", "http://rebind.test/x")])})
    port = server.server_port
    options = IngestOptions(fetch=True)
    article = only_article(read([f"http://news.test:{port}/a"], options))
    assert article.url == f"http://news.test:{port}/a" and article.source == "news.test"
    assert server.seen == [("/a", f"news.test:{port}")]
    assert asked == ["news.test"]
    assert only_problem(read([f"http://news.test:{port}/a"], options)).message == \
        "refused: news.test resolves to a private address (10.9.9.9); use --allow-private to permit"
    answers["news.test"] = [["127.0.0.1"]]
    assert only_problem(read([f"http://news.test:{port}/jump"], options)).message == \
        "refused: rebind.test resolves to a private address (10.0.0.7); use --allow-private to permit"


def test_resolver_failures_and_slow_dns(monkeypatch):
    def fails(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetch_module, "resolve", fails)
    assert only_problem(read(["http://nowhere.test/"])).message == \
        "cannot resolve host nowhere.test (Name or service not known)"
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: time.sleep(3) or ["93.184.216.34"])
    start = time.perf_counter()
    problem = only_problem(read(["http://slow.test/"], IngestOptions(fetch=True, fetch_timeout=0.3)))
    assert problem.message == "timed out resolving slow.test" and time.perf_counter() - start < 1


def test_bad_urls():
    options = IngestOptions(fetch=True)
    assert only_problem(read(["http://user:secret@example.org/"], options)).message == \
        "URLs with a user name or password are not fetched"
    assert only_problem(read(["http://exa mple.org/"], options)).message.startswith("invalid host name in URL")
    assert only_problem(read(["http://example.org:99999/"], options)).message.startswith("invalid URL")
    assert only_problem(read(["http:///path"], options)).message.startswith("invalid host name in URL")


def test_connection_refused_is_a_problem():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    problem = only_problem(read([f"http://127.0.0.1:{port}/"]))
    assert problem.message.startswith(f"cannot connect to 127.0.0.1:{port}")


def test_fetch_url_directly(web):
    server, base = web(**{"/a": lambda h: h.reply(200, PAGE)})
    fetched = fetch_url(base + "/a", LOCAL)
    assert fetched.kind == "html" and fetched.body == PAGE and fetched.host == "127.0.0.1"


# --- TLS to the checked address, verified for the name -----------------------------

@pytest.fixture
def tls_web(tmp_path, monkeypatch):
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                           "-out", str(cert), "-days", "1", "-subj", "/CN=news.test",
                           "-addext", "subjectAltName=DNS:news.test"], capture_output=True)
    if made.returncode != 0:
        pytest.skip("openssl could not make a certificate")
    server = serve(**{"/a": lambda h: h.reply(200, PAGE)})
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    monkeypatch.setattr(fetch_module, "CA_FILE", str(cert))
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: ["127.0.0.1"])
    yield server
    server.shutdown()
    server.server_close()


def test_https_uses_the_name_for_sni_and_certificate(tls_web):
    port = tls_web.server_port
    article = only_article(read([f"https://news.test:{port}/a"]))
    assert AR in article.text and article.url == f"https://news.test:{port}/a"
    problem = only_problem(read([f"https://other.test:{port}/a"]))
    assert problem.message.startswith("TLS error: ") and "other.test" in problem.message


def test_corrupt_compressed_response(web):
    server, base = web(**{
        "/bad-gzip": lambda h: h.reply(200, b"\x1f\x8b\x08\x00garbage" * 10, headers=[("Content-Encoding", "gzip")]),
        "/bad-deflate": lambda h: h.reply(200, b"not deflate at all \xff\xfe" * 10,
                                          headers=[("Content-Encoding", "deflate")]),
    })
    assert only_problem(read([base + "/bad-gzip"])).message == "corrupt gzip data in the response"
    assert only_problem(read([base + "/bad-deflate"])).message == "corrupt deflate data in the response"
