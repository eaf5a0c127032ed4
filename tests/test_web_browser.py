"""The explorer in a real browser (headless Chromium through Playwright) against a
uvicorn server on a temporary SQLite corpus: pages load, filters and pictures
work, article text is escaped and right-to-left, and no page logs an error."""
from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

# CI sets HADATH_REQUIRE_BROWSER=1: there a missing browser is a failure, not a skip.
REQUIRED = os.environ.get("HADATH_REQUIRE_BROWSER") == "1"


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"HADATH_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


try:
    import fastapi  # noqa: F401
    import uvicorn  # noqa: F401
    from playwright import sync_api
except ImportError as error:
    _unavailable(f"needs playwright, fastapi and uvicorn ({error})")
if not CHROMIUM.exists():
    _unavailable(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")

from api_corpus import HOSTILE_TEXT, HOSTILE_TITLE, build_corpus  # noqa: E402

READY = "body[data-state=ready]"
ROWS = "#events tbody tr[data-event-id]"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory, resources):
    """(base URL, article ids by key) of a server running in a thread."""
    import uvicorn

    from hadath.api import create_app
    from hadath.engine import build_pipeline
    from hadath.options import ExtractOptions
    from hadath.store import Store

    store = Store.open(str(tmp_path_factory.mktemp("explorer") / "corpus.db"))
    ids = build_corpus(store, build_pipeline(ExtractOptions(ner="rules"), resources))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ids
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page and everything that went wrong on it: console errors, uncaught
    exceptions, dialogs (an ``alert`` from injected markup would be one)."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> float:
        """Seconds until the page's scripts have drawn everything."""
        start = time.perf_counter()
        self.page.goto(url)
        self.page.wait_for_selector(READY, timeout=15_000)
        return time.perf_counter() - start

    def ready(self) -> None:
        self.page.wait_for_selector(READY, timeout=15_000)


@pytest.fixture()
def watched(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = Watched(context.new_page())
    yield page
    context.close()


def rows(page) -> int:
    return page.locator(ROWS).count()


def test_events_page_loads_quickly_with_rows(site, watched):
    base, _ = site
    watched.open(base + "/")                        # warm-up: first start of the page's services
    seconds = watched.open(base + "/")
    print(f"\nevents page ready in {seconds * 1000:.0f} ms")
    assert seconds < 5
    assert rows(watched.page) > 5
    assert watched.page.locator("#count").inner_text().strip("()").isdigit()
    assert watched.errors == [] and watched.dialogs == []


def test_filtering_by_type_changes_rows(site, watched):
    base, _ = site
    page = watched.page
    watched.open(base + "/")
    before = rows(page)
    page.select_option("select[name=type]", ["ASSAULT"])
    page.click("button[type=submit]")
    page.wait_for_url("**type=ASSAULT**")
    watched.ready()
    after = rows(page)
    assert 0 < after < before
    badges = page.locator("#events tbody .type").all_inner_texts()
    assert set(badges) == {"ASSAULT"}
    page.go_back()
    sync_api.expect(page.locator(ROWS)).to_have_count(before)
    assert watched.errors == []


def test_more_button_pages_through_every_event(site, watched):
    base, _ = site
    page = watched.page
    watched.open(base + "/?limit=4")
    total = int(page.locator("#count").inner_text().strip("()"))
    assert rows(page) == 4 and page.locator("#more").is_visible()
    while page.locator("#more").is_visible():
        count = rows(page)
        page.click("#more")
        sync_api.expect(page.locator(ROWS)).to_have_count(min(count + 4, total))
    ids = [row.get_attribute("data-event-id") for row in page.locator(ROWS).all()]
    assert len(ids) == len(set(ids)) == total
    assert watched.errors == []


def test_map_timeline_and_network_are_drawn(site, watched):
    base, _ = site
    page = watched.page
    watched.open(base + "/")
    assert page.locator("#map path.country").count() > 150
    circles = page.locator("#map circle.place")
    assert circles.count() > 3
    assert page.locator("#timeline rect.bar").count() > 2
    assert page.locator("#network line.edge").count() > 2
    assert page.locator("#network circle.node").count() > 3
    before = rows(page)
    circles.last.click()                            # the smallest place: drawn on top
    page.wait_for_url("**bbox=**")
    watched.ready()
    assert 0 < rows(page) < before
    watched.open(base + "/")
    page.locator("#network circle.node").first.click()
    page.wait_for_url("**actor=**")
    watched.ready()
    assert 0 < rows(page) < before
    watched.open(base + "/")
    page.locator("#timeline rect.bar").first.click()
    page.wait_for_url("**since=**")
    watched.ready()
    assert 0 < rows(page) < before
    assert watched.errors == []


def test_event_opens_its_article_at_the_sentence(site, watched):
    base, _ = site
    page = watched.page
    watched.open(base + "/?type=CONSULT")
    link = page.locator("#events tbody td.evidence a").first
    evidence = link.inner_text()
    link.click()
    page.wait_for_url("**/articles/*#event-*")
    watched.ready()
    focused = "".join(page.locator("#text .focus").all_inner_texts())
    assert " ".join(focused.split()) == " ".join(evidence.split())
    assert page.locator(".records-list li.active").count() == 1
    assert watched.errors == []


def test_article_page_is_rtl_with_highlights(site, watched):
    base, ids = site
    page = watched.page
    watched.open(f"{base}/articles/{ids['example']}")
    text = page.locator("#text")
    assert text.get_attribute("dir") == "rtl" and text.get_attribute("lang") == "ar"
    assert text.evaluate("node => getComputedStyle(node).direction") == "rtl"
    assert page.locator("#text .ent-PER").count() > 0 and page.locator("#text .ent-LOC").count() > 0
    assert page.locator("#text .trigger").count() > 0 and page.locator("#text .quote").count() > 0
    assert "أيمن الصفدي" in page.locator("#text").inner_text()
    assert "Ayman Safadi" in page.locator("#entity-list").inner_text()
    assert page.locator("#event-list li").count() > 3
    copy = page.goto(f"{base}/articles/{ids['strike']}")
    assert copy.status == 200
    watched.ready()
    assert page.locator("#duplicate-list a").count() == 1
    assert watched.errors == []


def test_hostile_article_is_shown_as_text(site, watched):
    base, ids = site
    page = watched.page
    watched.open(f"{base}/articles/{ids['hostile']}")
    assert page.locator("#title").inner_text() == HOSTILE_TITLE
    assert "<script>alert(1)</script>" in page.locator("#text").inner_text()
    assert page.locator("#text").inner_text().strip() == HOSTILE_TEXT
    assert page.locator("main img, main script").count() == 0
    assert page.evaluate("document.scripts.length") == 1
    watched.open(base + "/?outlet=Hostile+%3Cb%3ENews%3C%2Fb%3E")
    assert rows(page) > 0
    assert "<script>alert(1)</script>" in page.locator("#events tbody").inner_text()
    assert page.locator("#events tbody img, #events tbody script, select b").count() == 0
    assert watched.dialogs == [] and watched.errors == []


def test_no_errors_on_any_page(site, watched):
    base, ids = site
    for path in ["/", "/?country=SYR", "/?since=2023-11-01&until=2023-11-30", "/?include_unreal=true",
                 "/?min_confidence=0.8&cameo_root=19"] + [f"/articles/{i}" for i in ids.values()]:
        watched.open(base + path)
    assert watched.errors == [] and watched.dialogs == []


def test_bad_filter_in_address_is_reported(site, watched):
    base, _ = site
    watched.open(base + "/?bbox=1,2,3")
    status = watched.page.locator("#status")
    assert "bbox" in status.inner_text() and "error" in (status.get_attribute("class") or "")
    assert not [e for e in watched.errors if e.startswith("pageerror")]
