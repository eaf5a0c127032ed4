"""Latency of the API and the explorer over an existing corpus.

    python benchmarks/bench_api.py --db corpus.db [--repeat 30] [--pages 10] [--no-browser]

For a set of filtered event queries (and the aggregates the explorer draws):
p50/p95 milliseconds through the Store directly and through HTTP (uvicorn in a
thread, one connection per request, JSON decoded); then the events page and an
article page in headless Chromium (navigation until the page's scripts have
drawn everything).  Prints one markdown table per part.  Target: events page < 1 s.
"""
from __future__ import annotations

import argparse
import calendar
import json
import socket
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(call: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    call()                                               # warm caches once
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        samples.append(time.perf_counter() - start)
    return samples, result


def queries(store: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, API path, parameters) chosen from what the corpus holds."""
    stats = store.stats()
    top_place = (store.event_places(limit=1) or [{}])[0]
    top_actor = (store.actors(limit=1).items or [{}])[0].get("id")
    top_outlet = (stats["outlets"] or [{}])[0].get("outlet")
    from hadath.store import EventQuery

    days = store.timeline(EventQuery())
    months: dict[str, int] = {}
    for day in days:
        months[day["date"][:7]] = months.get(day["date"][:7], 0) + day["events"]
    busiest = max(months, key=months.get) if months else None       # type: ignore[arg-type]
    chosen = [("all events", "/api/events", {}),
              ("all events + total", "/api/events", {"total": "true"}),
              ("type=ASSAULT", "/api/events", {"type": "ASSAULT"}),
              ("type=PROTEST,ACCUSE", "/api/events", {"type": ["PROTEST", "ACCUSE"]}),
              ("cameo_root=19", "/api/events", {"cameo_root": "19"}),
              ("min_confidence=0.8", "/api/events", {"min_confidence": 0.8}),
              ("bbox Levant", "/api/events", {"bbox": "34,29,42,37.5"}),
              ("limit=1000", "/api/events", {"limit": 1000})]
    if top_place.get("country"):
        chosen.append((f"country={top_place['country']}", "/api/events", {"country": top_place["country"]}))
    if top_actor:
        chosen.append((f"actor={top_actor}", "/api/events", {"actor": top_actor}))
    if top_outlet:
        chosen.append(("outlet=<top>", "/api/events", {"outlet": top_outlet}))
    if busiest:
        year, number = (int(part) for part in busiest.split("-"))
        month, end = f"{busiest}-01", f"{busiest}-{calendar.monthrange(year, number)[1]:02d}"
        chosen.append((f"busiest month {busiest}", "/api/events", {"since": month, "until": end}))
        chosen.append((f"ASSAULT in {busiest} + total", "/api/events",
                       {"type": "ASSAULT", "since": month, "until": end, "total": "true"}))
    chosen += [("timeline (all)", "/api/timeline", {}), ("map (all)", "/api/map", {}),
               ("network (all)", "/api/network", {}), ("search q=غزة", "/api/search", {"q": "غزة"}),
               ("stats", "/api/stats", {})]
    return chosen


def store_call(store: Any, path: str, params: dict[str, Any]) -> Callable[[], Any]:
    """The Store method behind an API path, with the same filters."""
    from hadath.store import BBox, EventQuery

    types = params.get("type", ())
    query = EventQuery(types=tuple([types] if isinstance(types, str) else types),
                       **{k: v for k, v in params.items() if k in ("cameo_root", "actor", "country", "outlet",
                                                                   "min_confidence")},
                       since=_date(params.get("since")), until=_date(params.get("until")),
                       bbox=BBox.parse(params["bbox"]) if "bbox" in params else None)
    limit = int(params.get("limit", 50))
    total = params.get("total") == "true"
    return {
        "/api/events": lambda: store.events(query, limit=limit, total=total).items,
        "/api/timeline": lambda: store.timeline(query),
        "/api/map": lambda: store.event_places(query),
        "/api/network": lambda: store.network(query)["edges"],
        "/api/search": lambda: store.articles(q=params.get("q")).items,
        "/api/stats": lambda: store.stats(),
    }[path]


def _date(value: Any) -> Any:
    from datetime import date

    return date.fromisoformat(value) if value else None


def http_call(base: str, path: str, params: dict[str, Any]) -> Callable[[], Any]:
    url = f"{base}{path}?{urlencode(params, doseq=True)}"

    def call() -> Any:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = json.loads(response.read())
        return body.get("items", body.get("days", body.get("places", body.get("edges", body))))

    return call


def start_server(store: Any) -> tuple[str, Any, threading.Thread]:
    import uvicorn

    from hadath.api import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def browser_loads(base: str, article_id: int, pages: int) -> list[tuple[str, list[float], int]]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for label, path in [("events page", "/"), ("events page type=ASSAULT", "/?type=ASSAULT"),
                            (f"article page {article_id}", f"/articles/{article_id}")]:
            samples = []
            for n in range(pages + 1):
                start = time.perf_counter()
                page.goto(base + path)
                page.wait_for_selector("body[data-state=ready]", timeout=60_000)
                if n:                                    # the first load warms the server and the browser
                    samples.append(time.perf_counter() - start)
            rows = page.locator("#events tbody tr[data-event-id]").count()
            results.append((label, samples, rows))
        browser.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="an existing corpus (path, sqlite:///PATH or postgresql://...)")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query")
    parser.add_argument("--pages", type=int, default=10, help="timed loads per page in Chromium")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium part")
    args = parser.parse_args()
    if "://" not in args.db and not Path(args.db).exists():
        print(f"no corpus at {args.db}: build one with `hadath ingest ... --db {args.db}`", file=sys.stderr)
        return 2

    from hadath.store import Store

    store = Store.open(args.db)
    stats = store.stats()
    print(f"corpus {args.db}: {stats['articles']:,} articles, {stats['events']:,} events, "
          f"{stats['actors']:,} actors; {args.repeat} runs per query\n")
    base, server, thread = start_server(store)
    try:
        print("| query | items | store p50 ms | store p95 ms | HTTP p50 ms | HTTP p95 ms |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, path, params in queries(store):
            direct, items = timed(store_call(store, path, params), args.repeat)
            over_http, _ = timed(http_call(base, path, params), args.repeat)
            count = len(items) if isinstance(items, list) else "-"
            print(f"| {label} | {count} | {percentiles(direct)[0]:.1f} | {percentiles(direct)[1]:.1f} | "
                  f"{percentiles(over_http)[0]:.1f} | {percentiles(over_http)[1]:.1f} |")
        if args.no_browser:
            return 0
        if not CHROMIUM.exists():
            print(f"\nbrowser part skipped: no {CHROMIUM}")
            return 0
        try:
            import playwright  # noqa: F401
        except ImportError:
            print("\nbrowser part skipped: pip install playwright")
            return 0
        newest = store.articles(limit=1).items
        print(f"\n| page (Chromium, {args.pages} loads) | event rows | p50 ms | p95 ms |")
        print("|---|---:|---:|---:|")
        for label, samples, rows in browser_loads(base, newest[0]["id"] if newest else 1, args.pages):
            p50, p95 = percentiles(samples)
            print(f"| {label} | {rows} | {p50:.0f} | {p95:.0f} |")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
