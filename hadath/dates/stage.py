"""The date stage: date expressions resolved against the publication date."""
from __future__ import annotations

from dataclasses import dataclass

from hadath.doc import Document


@dataclass
class DateStage:
    name: str = "dates"
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ("dates",)

    def __call__(self, doc: Document) -> Document:
        from hadath.dates.resolve import find_dates

        doc.dates = tuple(find_dates(doc.text, doc.published))
        return doc
