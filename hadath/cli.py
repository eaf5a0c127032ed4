"""The ``hadath`` command line.  Bad input gets a clear message, never a traceback."""
from __future__ import annotations

import json
import sys
import traceback
from datetime import date
from pathlib import Path
from typing import Optional, TextIO

import click

from hadath import __version__
from hadath.options import DEFAULT_EVENT_CHECK, EVENT_CLASSIFIER_MODES

EXIT_NO_INPUT = 2
EXIT_INTERNAL = 70


class _Date(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):  # noqa: ANN001 - click's signature
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a date like 2023-02-27", param, ctx)


DATE = _Date()


def _options(ner: Optional[str] = None, fast: bool = False, **kwargs):
    from hadath.options import ExtractOptions

    if fast:
        if ner not in (None, "rules"):
            _fail(f"--fast runs no neural model and uses the rule-based entity stage: drop --ner {ner}")
        if kwargs.get("event_classifier", DEFAULT_EVENT_CHECK) not in (DEFAULT_EVENT_CHECK, "off"):
            _fail("--fast runs no neural model: drop --event-check")
        return ExtractOptions(**kwargs, ner="rules", fast=True)
    return ExtractOptions(**kwargs, **({"ner": ner} if ner else {}))


def _fail(message: str, code: int = EXIT_NO_INPUT) -> None:
    click.echo(f"hadath: {message}", err=True)
    sys.exit(code)


NER_MODEL = click.option("--ner-model", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                         help="A tagger written by `hadath train ner --out` (default: the shipped one).")


def _resources(options, kb_dir: Optional[Path] = None, ner_model: Optional[Path] = None):
    """The services, with a user's tagger loaded up front so that a bad file is one clear
    error rather than a failure on every article."""
    from hadath.engine import Resources

    resources = Resources(kb_dir=kb_dir, ner_model_path=ner_model)
    if ner_model is not None:
        if options.ner == "rules":
            _fail(f"--ner-model needs the trained tagger in the entity stage: the {options.profile!r} profile has "
                  f"none (use --ner hybrid or --ner tagger)")
        try:
            resources.ner_model
        except (OSError, ValueError, KeyError) as error:
            _fail(f"{ner_model}: not a hadath NER model ({type(error).__name__}: {error})")
    return resources


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hadath")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """hadath: Arabic news to structured event data (entities, actors, places,
    dates, PLOVER events, quotes)."""
    ctx.obj = {"debug": debug}


NER_CHOICE = click.option("--ner", type=click.Choice(["rules", "tagger", "hybrid"]), default=None,
                          help="Entity stage: the trained tagger with the rules (hybrid), either alone. "
                               "Default: hybrid.")
EVENT_CHECK = click.option("--event-check", type=click.Choice(list(EVENT_CLASSIFIER_MODES)),
                           default=DEFAULT_EVENT_CHECK, show_default=True,
                           help="Learned sentence check of ASSAULT/PROTEST events (hadath/models/events): drop those "
                                "it rejects (unlinked: only those whose source is no named knowledge-base actor); "
                                "+add also codes ones the lexicon left out.")
FAST = click.option("--fast", is_flag=True,
                    help="No neural model anywhere: the rule-based entity stage and dictionary/rule romanisation "
                         "of names (several times faster; lower entity recall).")


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "plover", "table"]), default="json", show_default=True,
              help="json: one article object per line; plover: one PLOVER record per event; table: readable summary.")
@click.option("--published", type=DATE, default=None, help="Reference date for articles that carry none.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write here instead of standard output.")
@click.option("--max-bytes", type=int, default=5_000_000, show_default=True, help="Largest article accepted.")
@click.option("--min-arabic", type=float, default=0.3, show_default=True,
              help="Smallest share of Arabic letters for an article to be processed.")
@click.option("--strict", is_flag=True, help="Exit non-zero when any input is skipped.")
@click.option("--kb", "kb_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="A knowledge base directory written by `hadath kb import --into` (default: bundled).")
@NER_MODEL
@NER_CHOICE
@FAST
@EVENT_CHECK
@click.pass_context
def extract(ctx: click.Context, inputs: tuple[str, ...], fmt: str, published: Optional[date], output: Optional[str],
            max_bytes: int, min_arabic: float, strict: bool, kb_dir: Optional[Path], ner_model: Optional[Path],
            ner: Optional[str], fast: bool, event_check: str) -> None:
    """Annotate articles: files, directories, .html, .jsonl(.gz), or - for stdin."""
    from hadath.export.render import RENDERERS
    from hadath.ingest.model import IngestOptions
    from hadath.ingest.reader import read_inputs
    from hadath.runner import process_inputs

    options = IngestOptions(max_bytes=max_bytes, min_arabic_ratio=min_arabic)
    extract_options = _options(published=published, ner=ner, fast=fast, event_classifier=event_check)
    resources = _resources(extract_options, kb_dir=kb_dir, ner_model=ner_model)
    out: TextIO = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        summary = process_inputs(read_inputs(list(inputs), options, stdin=sys.stdin.buffer), RENDERERS[fmt], out,
                                 options=extract_options, debug=ctx.obj["debug"], resources=resources)
    finally:
        if output:
            out.close()
    if summary.processed == 0:
        _fail(f"no usable input ({summary.skipped} skipped)" if summary.skipped else "no input found")
    if summary.skipped:
        click.echo(f"hadath: {summary.processed} article(s) processed, {summary.skipped} skipped", err=True)
        if strict:
            sys.exit(EXIT_NO_INPUT)


@main.command("eval")
@click.argument("target", nargs=-1, required=True)
@click.option("--pred", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="hadath JSON output (JSONL) to score; without it, hadath runs on the gold's article.")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="JSONL(.gz) corpus holding the articles of gold files that name a docno.")
@click.option("--published", type=DATE, default=None, help="Reference date when the gold names none.")
@click.option("--details", is_flag=True, help="List every miss and extra.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@NER_MODEL
@NER_CHOICE
@EVENT_CHECK
def eval_cmd(target: tuple[str, ...], pred: Optional[Path], corpus: Optional[Path], published: Optional[date],
             details: bool, as_json: bool, ner_model: Optional[Path], ner: Optional[str], event_check: str) -> None:
    """Score hadath.  `hadath eval GOLD` (a gold file or folder in the seed's format)
    prints P/R/F1 for entities, events and quotes; `hadath eval ner CONLL_FILE` prints
    CoNLL exact-span P/R/F1 per entity type."""
    if target[0] == "ner":
        if len(target) != 2:
            _fail("usage: hadath eval ner CONLL_FILE")
        _eval_ner(Path(target[1]), as_json, ner, ner_model)
        return
    if len(target) != 1:
        _fail("usage: hadath eval GOLD (a *.gold.json file or a folder of them)")
    gold = Path(target[0])
    if not gold.exists():
        _fail(f"{gold}: no such file or directory")
    from hadath.eval.run import evaluate

    options = _options(ner=ner, event_classifier=event_check)
    try:
        report = evaluate(gold, pred=pred, corpus=corpus, published=published, options=options,
                          resources=_resources(options, ner_model=ner_model))
    except (ValueError, FileNotFoundError) as error:
        _fail(str(error))
        return
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=1))
    else:
        click.echo(report.table())
    if details:
        for line in report.details:
            click.echo(f"  {line}")


def _eval_ner(path: Path, as_json: bool, ner: Optional[str], ner_model: Optional[Path] = None) -> None:
    from hadath.engine import build_pipeline
    from hadath.ner.conll import evaluate_conll

    if not path.is_file():
        _fail(f"{path}: no such file")
    options = _options(ner=ner, events=False, quotes=False, dates=False)
    try:
        report = evaluate_conll(path, build_pipeline(options, _resources(options, ner_model=ner_model)))
    except (ValueError, UnicodeDecodeError) as error:
        _fail(f"{path}: {error}")
        return
    if as_json:
        click.echo(json.dumps({kind: {"precision": s.precision, "recall": s.recall, "f1": s.f1,
                                      "tp": s.tp, "fp": s.fp, "fn": s.fn}
                               for kind, s in [*report.by_type.items(), ("micro", report.micro)]}, indent=1))
    else:
        click.echo(report.table())


@main.command("train", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("what", type=click.Choice(["ner"]))
@click.pass_context
def train(ctx: click.Context, what: str) -> None:
    """Reproduce a shipped model from ../shared data (`hadath train ner --out PATH`; needs
    torch: pip install torch==2.13.0).  Options after `ner` go to the trainer (--help)."""
    try:
        from hadath.ner.train import main as train_ner
    except ImportError as error:
        _fail(f"training needs PyTorch (pip install torch==2.13.0): {error}")
        return
    sys.exit(train_ner(list(ctx.args)))


@main.group()
def kb() -> None:
    """The actor knowledge base: import dictionaries users bring, search, show."""


KB_DIR = click.option("--kb", "kb_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
                      help="A knowledge base directory written by `hadath kb import --into` (default: bundled).")


@kb.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", required=True,
              type=click.Choice(["petrarch", "petrarch-agents", "csv", "wikidata"]),
              help="petrarch: PETRARCH/UniversalPetrarch actor dictionaries; petrarch-agents: agent files; "
                   "csv: id,name_en,type,country,sector,aliases_ar,aliases_en,qid,entity_type; wikidata: JSON dump.")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the merged knowledge base to this directory (starts from it if it exists, else from "
                   "the bundled one). Without it, only the report is printed.")
@click.option("--examples", type=int, default=0, help="List up to N skipped lines per reason.")
def kb_import(files: tuple[Path, ...], fmt: str, into: Optional[Path], examples: int) -> None:
    """Import actor dictionaries into a knowledge base, reporting what was skipped and why."""
    import shutil

    from hadath.actors.importers import (
        FORMATS,
        import_report,
        reconcile,
        write_actors_jsonl,
    )
    from hadath.actors.records import load_records

    base = into if into is not None and (into / "actors.jsonl").exists() else None
    try:
        _, actors = load_records(base)
    except ValueError as error:
        _fail(f"the knowledge base in {base} does not load: {error}")
        return
    results = []
    for path in files:
        result = reconcile(FORMATS[fmt](path), actors)
        actors = actors + list(result.records)
        results.append(result)
    click.echo(import_report(results, examples=examples))
    if into is None:
        click.echo("(report only: pass --into DIR to write the merged knowledge base)")
        return
    into.mkdir(parents=True, exist_ok=True)
    if base is None:
        from importlib import resources as importlib_resources

        bundled = importlib_resources.files("hadath.actors") / "data" / "countries.jsonl"
        with importlib_resources.as_file(bundled) as countries_file:
            shutil.copyfile(countries_file, into / "countries.jsonl")
    written = write_actors_jsonl(actors, into / "actors.jsonl")
    from hadath.actors.kb import KnowledgeBase

    try:
        kb = KnowledgeBase.load(into)
    except ValueError as error:
        _fail(f"the merged knowledge base does not validate: {error}")
        return
    click.echo(f"{written} actors written to {into / 'actors.jsonl'}; index {kb.index_path}; use it with --kb {into}")


@kb.command("add")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Knowledge base directory (created from the bundled one if new).")
@click.option("--id", "actor_id", required=True, help="Lower-case id, e.g. renewal_party.")
@click.option("--name-en", required=True)
@click.option("--type", "actor_type", required=True, help="person, party, armed_group, government, igo, ...")
@click.option("--entity-type", type=click.Choice(["PER", "ORG", "LOC"]), default=None)
@click.option("--country", default=None, help="ISO 3166 alpha-3 (or IGO, UNO, EUR, NGO, IMG).")
@click.option("--sector", default=None, help="PLOVER/CAMEO sector: GOV, MIL, REB, PTY, ...")
@click.option("--alias-ar", "aliases_ar", multiple=True, required=True, help="Arabic name (repeatable).")
@click.option("--alias-en", "aliases_en", multiple=True, help="English name (repeatable).")
@click.option("--qid", default=None, help="Wikidata id, e.g. Q38871.")
def kb_add(into: Path, actor_id: str, name_en: str, actor_type: str, entity_type: Optional[str],
           country: Optional[str], sector: Optional[str], aliases_ar: tuple[str, ...], aliases_en: tuple[str, ...],
           qid: Optional[str]) -> None:
    """Add one actor to a knowledge base directory; the result is validated before it is kept."""
    import shutil
    import tempfile

    from hadath.actors.importers import write_actors_jsonl
    from hadath.actors.records import ActorRecord, load_records

    base = into if (into / "actors.jsonl").exists() else None
    _, actors = load_records(base)
    if any(a.id == actor_id for a in actors):
        _fail(f"an actor with id {actor_id!r} exists already")
    record = ActorRecord(id=actor_id, name_en=name_en, type=actor_type, entity_type=entity_type, country=country,
                         sector=sector, qid=qid, aliases_ar=tuple(aliases_ar), aliases_en=tuple(aliases_en))
    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        write_actors_jsonl([*actors, record], scratch_dir / "actors.jsonl")
        from importlib import resources as importlib_resources

        countries_src = into / "countries.jsonl" if base else None
        if countries_src is None:
            with importlib_resources.as_file(importlib_resources.files("hadath.actors") / "data"
                                             / "countries.jsonl") as bundled:
                shutil.copyfile(bundled, scratch_dir / "countries.jsonl")
        else:
            shutil.copyfile(countries_src, scratch_dir / "countries.jsonl")
        try:
            load_records(scratch_dir)
        except ValueError as error:
            _fail(f"not added: {error}")
        into.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(scratch_dir / "actors.jsonl", into / "actors.jsonl")
        shutil.copyfile(scratch_dir / "countries.jsonl", into / "countries.jsonl")
    from hadath.actors.kb import KnowledgeBase

    KnowledgeBase.load(into)      # rebuilds the SQLite index
    click.echo(f"added {actor_id} to {into / 'actors.jsonl'}")


@kb.command("search")
@click.argument("query")
@KB_DIR
@click.option("--limit", type=int, default=20, show_default=True)
def kb_search(query: str, kb_dir: Optional[Path], limit: int) -> None:
    """Actors and countries whose names or aliases contain QUERY (Arabic or English), from the SQLite index."""
    from hadath.actors import index

    hits = index.search(_kb_index(kb_dir), query, limit)
    for hit in hits:
        actor_id = hit.get("id") or hit.get("iso3")
        names = hit.get("aliases_ar") or hit.get("names_ar") or [""]
        click.echo(f"{actor_id:<32} {hit['name_en']:<36} {hit.get('country') or hit.get('iso3') or '-':<4} "
                   f"{hit.get('sector') or '-':<4} {names[0]}")
    if not hits:
        _fail(f"no actor matches {query!r}", 1)


@kb.command("show")
@click.argument("actor_id")
@KB_DIR
def kb_show(actor_id: str, kb_dir: Optional[Path]) -> None:
    """One actor (or country, by ISO3) record as JSON."""
    from hadath.actors import index

    found = index.record(_kb_index(kb_dir), actor_id)
    if found is None:
        _fail(f"no actor with id {actor_id!r} (try `hadath kb search`)", 1)
        return
    click.echo(json.dumps(found, ensure_ascii=False, indent=1))


@kb.command("index")
@KB_DIR
def kb_index(kb_dir: Optional[Path]) -> None:
    """Validate a knowledge base and (re)build its SQLite index; prints where it is and what it holds."""
    import sqlite3

    path = _kb_index(kb_dir)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in ("actors", "aliases", "offices", "demonyms", "records")}
    finally:
        con.close()
    click.echo(f"{path}: " + ", ".join(f"{n} {table}" for table, n in counts.items()))


def _kb_index(kb_dir: Optional[Path]) -> Path:
    """The up-to-date SQLite index of a knowledge base (built when missing or stale)."""
    import tempfile

    from hadath.actors.kb import KnowledgeBase

    try:
        kb = KnowledgeBase.load(kb_dir)
        if kb.index_path is None:     # nowhere writable: build a throw-away index
            scratch = Path(tempfile.mkdtemp(prefix="hadath-kb-")) / "index.sqlite"
            kb = KnowledgeBase.load(kb_dir, index_at=scratch)
    except (ValueError, OSError) as error:
        _fail(f"the knowledge base in {kb_dir or 'hadath'} does not load: {error}")
    assert kb.index_path is not None
    return kb.index_path


from hadath import (
    cli_batch,  # noqa: E402,F401 - registers batch
    cli_corpus,  # noqa: E402,F401 - registers ingest, reprocess, export, stats, serve
)


def run() -> None:
    """Entry point that turns any unexpected exception into a one-line error."""
    debug = "--debug" in sys.argv
    try:
        main(standalone_mode=True)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as error:  # noqa: BLE001 - last line of defence for the CLI
        if debug:
            traceback.print_exc()
        _fail(f"internal error: {type(error).__name__}: {error} (rerun with --debug for details)", EXIT_INTERNAL)


if __name__ == "__main__":
    # run as a script the commands registered on the imported module are needed
    from hadath.cli import run as run_imported

    run_imported()
