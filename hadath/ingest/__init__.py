"""Reading articles from whatever users bring, and refusing bad input clearly.

>>> from hadath.ingest import IngestOptions, read_inputs, ArticleInput
>>> for item in read_inputs(["news/"], IngestOptions()):
...     if isinstance(item, ArticleInput): ...
...     else: print(item)          # InputProblem: "origin: reason"

See :mod:`hadath.ingest.reader` for the formats understood.
"""
from hadath.ingest.checks import text_checks
from hadath.ingest.model import ArticleInput, IngestOptions, InputProblem
from hadath.ingest.reader import read_inputs

__all__ = ["ArticleInput", "IngestOptions", "InputProblem", "read_inputs", "text_checks"]
