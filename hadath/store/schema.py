"""The tables of a hadath corpus, the same on SQLite and PostgreSQL.

Events are flattened into columns users filter on (type, CAMEO root, date,
actors, countries, coordinates, outlet, confidence); the full PLOVER record is
kept beside them as JSON so exports need no re-assembly.  Actor and place rows
carry running counts so listing them never scans the events.
"""
from __future__ import annotations

from hadath.store.db import Database, StoreError

SCHEMA_VERSION = 1


def _tables(db: Database) -> list[str]:
    ident, blob, real = db.id_column, db.blob_type, db.real_type
    return [
        "CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        f"""CREATE TABLE IF NOT EXISTS articles (
            {ident},
            doc_id TEXT NOT NULL,
            url TEXT,
            canonical_url TEXT UNIQUE,
            text_hash TEXT NOT NULL UNIQUE,
            title TEXT,
            outlet TEXT,
            published TEXT,
            text TEXT NOT NULL,
            annotations {blob} NOT NULL,
            n_entities INTEGER NOT NULL,
            n_events INTEGER NOT NULL,
            n_quotes INTEGER NOT NULL,
            focus_country TEXT,
            hadath_version TEXT NOT NULL,
            model_version TEXT NOT NULL,
            origin TEXT,
            minhash {blob},
            ingested_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS articles_published ON articles(published, id)",
        "CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet)",
        "CREATE INDEX IF NOT EXISTS articles_versions ON articles(hadath_version, model_version)",
        f"""CREATE TABLE IF NOT EXISTS events (
            {ident},
            article_id BIGINT NOT NULL REFERENCES articles(id),
            n INTEGER NOT NULL,
            record_id TEXT NOT NULL,
            type TEXT NOT NULL,
            mode TEXT,
            cameo TEXT,
            cameo_root TEXT,
            quad_class INTEGER,
            intensity {real},
            date TEXT,
            date_precision TEXT,
            date_key TEXT NOT NULL,
            source_actor TEXT, source_name TEXT, source_country TEXT,
            target_actor TEXT, target_name TEXT, target_country TEXT,
            place_name TEXT, geonameid BIGINT, lat {real}, lon {real}, country TEXT,
            outlet TEXT,
            negated INTEGER NOT NULL,
            modality TEXT NOT NULL,
            has_event INTEGER NOT NULL,
            confidence {real} NOT NULL,
            trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL,
            sentence_start INTEGER NOT NULL, sentence_end INTEGER NOT NULL,
            story_id BIGINT,
            record TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS events_date ON events(date_key, id)",
        "CREATE INDEX IF NOT EXISTS events_type_date ON events(type, date_key)",
        "CREATE INDEX IF NOT EXISTS events_root_date ON events(cameo_root, date_key)",
        "CREATE INDEX IF NOT EXISTS events_article ON events(article_id)",
        "CREATE INDEX IF NOT EXISTS events_source ON events(source_actor)",
        "CREATE INDEX IF NOT EXISTS events_target ON events(target_actor)",
        "CREATE INDEX IF NOT EXISTS events_country_date ON events(country, date_key)",
        "CREATE INDEX IF NOT EXISTS events_source_country ON events(source_country)",
        "CREATE INDEX IF NOT EXISTS events_target_country ON events(target_country)",
        "CREATE INDEX IF NOT EXISTS events_outlet_date ON events(outlet, date_key)",
        "CREATE INDEX IF NOT EXISTS events_story ON events(story_id)",
        "CREATE INDEX IF NOT EXISTS events_place ON events(lat, lon)",
        """CREATE TABLE IF NOT EXISTS entities (
            article_id BIGINT NOT NULL REFERENCES articles(id),
            start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
            type TEXT NOT NULL, text TEXT NOT NULL, actor TEXT, name_en TEXT,
            PRIMARY KEY (article_id, start_offset, end_offset))""",
        "CREATE INDEX IF NOT EXISTS entities_actor ON entities(actor)",
        f"""CREATE TABLE IF NOT EXISTS quotes (
            {ident},
            article_id BIGINT NOT NULL REFERENCES articles(id),
            speaker_actor TEXT, speaker_text TEXT, speaker_name TEXT,
            cue TEXT, content_start INTEGER NOT NULL, content_end INTEGER NOT NULL,
            content TEXT NOT NULL, direct INTEGER NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS quotes_article ON quotes(article_id)",
        "CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_actor)",
        """CREATE TABLE IF NOT EXISTS actors (
            id TEXT PRIMARY KEY, name_en TEXT, name_ar TEXT, country TEXT, sector TEXT,
            mentions INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX IF NOT EXISTS actors_mentions ON actors(mentions)",
        f"""CREATE TABLE IF NOT EXISTS places (
            geonameid BIGINT PRIMARY KEY, name_en TEXT, name_ar TEXT, country TEXT, feature TEXT,
            lat {real}, lon {real},
            mentions INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX IF NOT EXISTS places_mentions ON places(mentions)",
        f"""CREATE TABLE IF NOT EXISTS stories (
            {ident},
            type TEXT NOT NULL, date_key TEXT NOT NULL,
            source_actor TEXT, target_actor TEXT, geonameid BIGINT, country TEXT,
            mentions INTEGER NOT NULL DEFAULT 0, articles INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX IF NOT EXISTS stories_type_date ON stories(type, date_key)",
        """CREATE TABLE IF NOT EXISTS near_duplicates (
            article_id BIGINT NOT NULL REFERENCES articles(id),
            other_id BIGINT NOT NULL REFERENCES articles(id),
            similarity REAL NOT NULL,
            PRIMARY KEY (article_id, other_id))""",
        "CREATE INDEX IF NOT EXISTS near_duplicates_other ON near_duplicates(other_id)",
        """CREATE TABLE IF NOT EXISTS minhash_bands (
            band_key BIGINT NOT NULL,
            article_id BIGINT NOT NULL REFERENCES articles(id))""",
        "CREATE INDEX IF NOT EXISTS minhash_bands_key ON minhash_bands(band_key)",
        "CREATE INDEX IF NOT EXISTS minhash_bands_article ON minhash_bands(article_id)",
    ]


def create_schema(db: Database) -> None:
    """Create what is missing; refuse a database written by a newer schema."""
    with db.transaction():
        for statement in _tables(db) + db.fts_ddl():
            db.execute(statement)
        row = db.one("SELECT value FROM store_meta WHERE key = 'schema_version'")
        if row is None:
            db.execute("INSERT INTO store_meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) > SCHEMA_VERSION:
            raise StoreError(f"the database was written by a newer hadath (schema {row[0]}, "
                             f"this one knows {SCHEMA_VERSION}): upgrade hadath")
