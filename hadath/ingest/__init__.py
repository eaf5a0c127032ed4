"""Reading articles from whatever users bring, and refusing bad input clearly.

>>> from hadath.ingest import IngestOptions, read_inputs, ArticleInput
>>> for item in read_inputs(["news/"], IngestOptions()):
...     if isinstance(item, ArticleInput): ...
...     else: print(item)          # InputProblem: "origin: reason"

See :mod:`hadath.ingest.reader` for the formats understood; URLs are fetched
only with ``IngestOptions(fetch=True)`` (:mod:`hadath.ingest.fetch`).
"""
from hadath.ingest.checks import text_checks
from hadath.ingest.feeds import read_feed
from hadath.ingest.fetch import Fetched, address_problem, fetch_url, is_url
from hadath.ingest.model import ArticleInput, IngestOptions, InputProblem
from hadath.ingest.reader import read_inputs
from hadath.ingest.warc import read_warc

__all__ = [
    "ArticleInput", "Fetched", "IngestOptions", "InputProblem", "address_problem", "fetch_url", "is_url",
    "read_feed", "read_inputs", "read_warc", "text_checks",
]
