"""Output renderers, registered by name: ``json`` (one article object per line),
``plover`` (one PLOVER record per event per line) and ``table`` (a readable
terminal summary in English)."""
from __future__ import annotations

import json
from typing import Callable, TextIO

from hadath.doc import Document, Participant
from hadath.export.records import document_json, plover_record

Renderer = Callable[[Document, TextIO], None]
RENDERERS: dict[str, Renderer] = {}


def register(name: str) -> Callable[[Renderer], Renderer]:
    def decorator(func: Renderer) -> Renderer:
        RENDERERS[name] = func
        return func
    return decorator


@register("json")
def render_json(doc: Document, out: TextIO) -> None:
    out.write(json.dumps(document_json(doc), ensure_ascii=False) + "\n")


@register("plover")
def render_plover(doc: Document, out: TextIO) -> None:
    for n, event in enumerate(doc.events, 1):
        out.write(json.dumps(plover_record(doc, event, n), ensure_ascii=False) + "\n")


def _who(p: Participant | None) -> str:
    if p is None:
        return "-"
    name = p.name_en or p.text
    return f"{name} ({p.country})" if p.country else name


def _cut(s: str, width: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


@register("table")
def render_table(doc: Document, out: TextIO) -> None:
    out.write(f"== {doc.id}" + (f"  published {doc.published.isoformat()}" if doc.published else "") + "\n")
    out.write(f"entities ({len(doc.entities)}):\n")
    for e in doc.entities:
        out.write(f"  {e.type:<4} {_cut(e.text, 30):<30} {e.name_en or '':<32} {e.actor or ''}\n")
    if doc.places:
        out.write(f"places ({len(doc.places)}):\n")
        for p in doc.places:
            coords = f"{p.lat:.3f},{p.lon:.3f}" if p.lat is not None and p.lon is not None else ""
            out.write(f"  {_cut(p.text, 20):<20} {p.name_en or '':<26} {p.country or '':<4} "
                      f"geonames:{p.geonameid or '-':<9} {coords}\n")
    out.write(f"events ({len(doc.events)}):\n")
    out.write(f"  {'type':<10} {'cameo':<5} {'source':<34} {'target':<34} {'where':<16} {'date':<10} flags\n")
    for ev in doc.events:
        flags = ",".join(f for f, on in (("negated", ev.negated), (ev.modality, ev.modality != "asserted"),
                                          ("in-quote", ev.in_quote)) if on)
        where = ev.location.name_en or ev.location.text if ev.location else "-"
        out.write(f"  {ev.type:<10} {ev.cameo:<5} {_cut(_who(ev.source), 34):<34} {_cut(_who(ev.target), 34):<34} "
                  f"{_cut(where, 16):<16} {ev.date.isoformat() if ev.date else '-':<10} {flags}\n")
        out.write(f"  {'':<10} trigger «{ev.trigger.text}»\n")
    out.write(f"quotes ({len(doc.quotes)}):\n")
    for q in doc.quotes:
        kind = "direct" if q.direct else "indirect"
        out.write(f"  {_cut(_who(q.speaker), 34):<34} {q.cue.text:<10} {kind:<8} «{_cut(q.content.text, 60)}»\n")
    out.write("\n")
