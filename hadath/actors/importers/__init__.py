"""Importers that turn users' own actor dictionaries into hadath actor records.

hadath ships no third-party dictionary; these read the files a user brings:

* :func:`parse_petrarch_actors` / :func:`parse_petrarch_agents` -- PETRARCH/TABARI
  actor and agent dictionaries (Phoenix English, UniversalPetrarch Arabic);
* :func:`parse_actor_csv` -- a plain CSV (see :mod:`.csv_import`);
* :func:`parse_wikidata_dump` -- a Wikidata JSON dump (see :mod:`.wikidata`).

Each returns an :class:`ImportResult` (records, skipped entries with reasons,
warnings, counts); :func:`import_report` prints a table of several results and
:func:`write_actors_jsonl` writes records in the ``actors.jsonl`` format and
:func:`reconcile` drops what would clash with an existing knowledge base.
"""
from hadath.actors.importers.base import (
    OPEN_START, CountryIndex, ImportResult, SkippedEntry, check_record, import_report,
    load_country_index, reconcile, record_to_dict, write_actors_jsonl,
)
from hadath.actors.importers.csv_import import CSV_COLUMNS, parse_actor_csv
from hadath.actors.importers.petrarch import parse_petrarch_actors, parse_petrarch_agents
from hadath.actors.importers.wikidata import parse_wikidata_dump

FORMATS = {
    "petrarch": parse_petrarch_actors,
    "petrarch-agents": parse_petrarch_agents,
    "csv": parse_actor_csv,
    "wikidata": parse_wikidata_dump,
}

__all__ = [
    "CSV_COLUMNS", "FORMATS", "OPEN_START", "CountryIndex", "ImportResult", "SkippedEntry", "check_record",
    "import_report", "load_country_index", "parse_actor_csv", "parse_petrarch_actors",
    "parse_petrarch_agents", "parse_wikidata_dump", "reconcile", "record_to_dict", "write_actors_jsonl",
]
