"""hadath (حدث): Arabic news to structured event data.

    import hadath
    doc = hadath.extract(text, published=datetime.date(2023, 2, 27))
    doc.events, doc.entities, doc.quotes
"""
from __future__ import annotations

__version__ = "0.1.0"

from hadath.doc import Document  # noqa: E402
from hadath.engine import Resources, build_pipeline, extract  # noqa: E402
from hadath.options import ExtractOptions  # noqa: E402

__all__ = ["Document", "ExtractOptions", "Resources", "build_pipeline", "extract", "__version__"]
