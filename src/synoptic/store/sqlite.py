"""SQLite backend: one file, WAL journal, migrations recorded in a table, FTS5 search.

Layout (see :data:`MIGRATIONS`): ``articles`` holds each article's record as JSON plus the
columns that are filtered or shown in lists; ``articles_fts`` indexes titles and texts
(rowid = the article's rowid); ``stories``/``story_articles`` hold the current grouping;
``story_merges`` maps retired story ids to the story they went into; ``copies`` and
``dossiers`` hold the pipeline's outputs; ``meta`` holds the story version.

``term_df``, ``story_terms`` and ``story_index`` are the story index that incremental ingest
searches (:mod:`synoptic.store.assign`): document frequencies, each story's summed term weights
(keyed by term first, so the stories holding a term are one range scan) and its size and
language; ``meta.index_version`` is the story version they match.

Durability: WAL with ``synchronous=NORMAL`` keeps every committed transaction through a crash
of the process (``kill -9``); only a power loss can drop the last commits (never corrupt).
Each thread gets its own connection (the server's worker threads read while a writer writes).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import json
import sqlite3
import sys
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from synoptic.cluster import Terms
from synoptic.errors import StoreError
from synoptic.nlp.text import WORD_PIECE
from synoptic.records import Article, CopyLink, Dossier, PublishedDate, Story, from_json, to_json
from synoptic.render.json import dossier_from_json, story_json
from synoptic.store.base import (
    MARK_END,
    MARK_START,
    DossierHead,
    IndexUpdate,
    Regroup,
    SearchHit,
    Store,
    StoryPage,
    StoryQuery,
    StoryRow,
    StoryVector,
    VersionConflict,
)

# --------------------------------------------------------------------------- migrations


def _script(db: sqlite3.Connection, sql: str) -> None:
    """Run ``;``-separated statements inside the caller's transaction (``executescript`` would
    commit first). The statements hold no ``;`` in literals."""
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


def _m1_initial(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
        CREATE TABLE articles (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            outlet TEXT NOT NULL,
            title TEXT,
            published TEXT,
            language TEXT,
            added TEXT NOT NULL,
            record TEXT NOT NULL
        );
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            n_articles INTEGER NOT NULL,
            outlets TEXT NOT NULL,
            first_seen TEXT,
            last_seen TEXT,
            updated TEXT NOT NULL,
            record TEXT NOT NULL
        );
        CREATE INDEX stories_last_seen ON stories(last_seen);
        CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            story_id TEXT NOT NULL REFERENCES stories(id)
        );
        CREATE INDEX story_articles_story ON story_articles(story_id);
        CREATE TABLE story_merges (
            old_id TEXT PRIMARY KEY,
            new_id TEXT NOT NULL,
            merged TEXT NOT NULL
        );
        CREATE TABLE copies (
            a TEXT NOT NULL,
            b TEXT NOT NULL,
            kind TEXT NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (a, b, kind)
        );
        CREATE INDEX copies_b ON copies(b);
        CREATE TABLE dossiers (
            story_id TEXT PRIMARY KEY REFERENCES stories(id),
            built TEXT NOT NULL,
            record TEXT NOT NULL
        );
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('story_version', '0');
        """,
    )


def _m2_fts(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, tokenize='unicode61 remove_diacritics 2')"
    )
    for rowid, record in db.execute("SELECT rowid, record FROM articles").fetchall():
        data = json.loads(record)
        db.execute(
            "INSERT INTO articles_fts(rowid, title, text) VALUES (?, ?, ?)",
            (rowid, data.get("title") or "", data.get("text") or ""),
        )


def _m3_story_index(db: sqlite3.Connection) -> None:
    # the index starts stale (index_version -1): the next ingest regroups in full and builds it
    _script(
        db,
        """
        CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE story_terms (
            term TEXT NOT NULL,
            story_id TEXT NOT NULL,
            weight REAL NOT NULL,
            PRIMARY KEY (term, story_id)
        ) WITHOUT ROWID;
        CREATE TABLE story_index (
            story_id TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            language TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO meta VALUES ('index_documents', '0');
        INSERT INTO meta VALUES ('index_version', '-1')
        """,
    )


def _m4_article_terms(db: sqlite3.Connection) -> None:
    # filled by the regroups that follow (each keeps the terms it computed); ``terms`` is
    # _terms_blob's, compressed: about 1.3 KB an article (the benchmark's 100k store: +8%)
    db.execute(
        "CREATE TABLE article_terms (article_id TEXT PRIMARY KEY, lead_sentences INTEGER NOT NULL, "
        "terms BLOB NOT NULL)"
    )


MIGRATIONS: tuple[tuple[str, Callable[[sqlite3.Connection], None]], ...] = (
    ("initial tables", _m1_initial),
    ("full-text index of titles and texts", _m2_fts),
    ("story index: document frequencies and story term vectors", _m3_story_index),
    ("clustering terms of each article, kept for the next regroup", _m4_article_terms),
)
"""Schema changes in order; number ``i + 1`` is recorded in ``migrations`` once applied. Never edit
or reorder an applied one: append a new function."""


def migrate(db: sqlite3.Connection, upto: int | None = None) -> list[int]:
    """Apply the migrations not yet recorded (each in its own transaction); returns their numbers."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS migrations "
        "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)"
    )
    done = {n for (n,) in db.execute("SELECT number FROM migrations")}
    newest = max(done, default=0)
    if newest > len(MIGRATIONS):
        raise StoreError(
            "E030",
            f"schema version {newest} is newer than this synoptic's {len(MIGRATIONS)}; upgrade synoptic",
        )
    applied = []
    for number, (name, fn) in enumerate(MIGRATIONS[:upto], start=1):
        if number in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # re-check under the write lock: another process may have migrated meanwhile
            if db.execute("SELECT 1 FROM migrations WHERE number = ?", (number,)).fetchone():
                db.execute("ROLLBACK")
                continue
            fn(db)
            db.execute("INSERT INTO migrations VALUES (?, ?, ?)", (number, name, _now()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied


# --------------------------------------------------------------------------- helpers


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


INFERRED_KEY = "inferred_published"
"""The stored dossier record's extra field: the publication dates the dossier inferred for its
undated articles (by article id). Stored articles stay as read; these dates belong to the story
(the Dossier JSON carries them in its articles' ``published``, see ``server.app.story_digest``)."""


def dossier_record(dossier: Dossier) -> dict[str, Any]:
    return story_json(dossier) | {INFERRED_KEY: {aid: to_json(p) for aid, p in dossier.published.items()}}


def dossier_from_record(data: dict[str, Any]) -> Dossier:
    """A stored dossier; records written before the inferred dates were kept have none."""
    published = {aid: from_json(PublishedDate, p) for aid, p in data.get(INFERRED_KEY, {}).items()}
    return dataclasses.replace(dossier_from_json(data), published=published)


def utc_iso(value: dt.datetime | None) -> str | None:
    """A datetime as a sortable UTC ISO string (naive values are taken as UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def article_published(article: Article) -> str | None:
    p = article.published
    if p is None:
        return None
    if p.value is not None:
        return utc_iso(p.value)
    if p.range is not None:
        return dt.datetime.combine(p.range[0], dt.time(), tzinfo=dt.UTC).isoformat()
    return None


_WORD = WORD_PIECE  # the words FTS5 (unicode61) indexes; was \w+, which kept "_" in a word


def fts_query(text: str) -> str | None:
    """User text to a safe FTS5 query: every word quoted (so no operator or syntax reaches
    FTS5), all required. None when the text has no word."""
    words = _WORD.findall(text)
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words[:32])


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    """``items`` in slices small enough for one statement's ``?`` parameters."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _terms_blob(terms: Terms) -> bytes:
    # tokens hold no white space (features._TOKEN): one line per list, tokens split by spaces
    lines = "\n".join(" ".join(tokens) for tokens in (terms.words, terms.distinctive, terms.lead))
    return zlib.compress(lines.encode("utf-8"), 1)


def _terms_of_blob(blob: bytes) -> Terms:
    words, distinctive, lead = zlib.decompress(blob).decode("utf-8").split("\n")
    return Terms(*(tuple(map(sys.intern, line.split())) for line in (words, distinctive, lead)))


def _fill_scope(db: sqlite3.Connection, table: str, kind: str, values: Iterable[Any]) -> None:
    """The connection's temporary table ``table`` (one ``id`` column of ``kind``) holding just
    ``values``: a set of ids that a query joins to, however many (no limit on bound variables)."""
    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (id {kind} PRIMARY KEY)")
    db.execute(f"DELETE FROM {table}")
    db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?)", ((v,) for v in values))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SQLiteStore(Store):
    """The default backend. ``SQLiteStore(path)`` creates or upgrades the file."""

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = 10_000, migrate_upto: int | None = None):
        self.path = str(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        if self.path != ":memory:":
            parent = Path(self.path).parent
            if not parent.is_dir():
                raise StoreError("E030", f"folder {parent} does not exist", subject=self.path)
        try:
            migrate(self._db(), migrate_upto)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError("E030", str(exc), subject=self.path) from exc
        except BaseException:
            self.close()
            raise

    # ---- connections
    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is not None:
            return db
        if self._closed:
            raise StoreError("E030", "the store is closed", subject=self.path)
        try:
            db = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout_ms / 1000,
                isolation_level=None,  # explicit BEGIN/COMMIT only
                check_same_thread=False,  # each thread has its own; close() runs from any thread
            )
            db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal" and self.path != ":memory:":
                raise StoreError("E030", f"cannot use WAL journal (got {mode})", subject=self.path)
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError("E030", str(exc), subject=self.path) from exc
        self._local.db = db
        with self._lock:
            self._all.append(db)
        return db

    @contextlib.contextmanager
    def _write_transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception; SQLite errors as E030."""
        db = self._db()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            raise StoreError("E030", str(exc), subject=self.path) from exc

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._db().execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError("E030", str(exc), subject=self.path) from exc

    def close(self) -> None:
        self._closed = True
        with self._lock:
            conns, self._all = self._all, []
        for db in conns:
            db.close()
        self._local = threading.local()

    def schema_version(self) -> int:
        return int(self._read("SELECT COALESCE(MAX(number), 0) FROM migrations")[0][0])

    # ---- articles
    def add_article(self, article: Article, *, added: dt.datetime | None = None) -> bool:
        record = _json(to_json(article))
        with self._write_transaction() as db:
            cur = db.execute(
                "INSERT INTO articles(id, source, outlet, title, published, language, added, record) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
                (
                    article.id,
                    article.source,
                    article.outlet_name,
                    article.title,
                    article_published(article),
                    article.language,
                    utc_iso(added) or _now(),
                    record,
                ),
            )
            new = cur.rowcount == 1
            if new:
                db.execute(
                    "INSERT INTO articles_fts(rowid, title, text) VALUES (?, ?, ?)",
                    (cur.lastrowid, article.title or "", article.text),
                )
        return new

    def get_article(self, article_id: str) -> Article | None:
        rows = self._read("SELECT record FROM articles WHERE id = ?", (article_id,))
        return from_json(Article, json.loads(rows[0][0])) if rows else None

    def get_articles(self, article_ids: Sequence[str]) -> list[Article]:
        found: dict[str, Article] = {}
        ids = list(dict.fromkeys(article_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for aid, record in self._read(f"SELECT id, record FROM articles WHERE id IN ({marks})", chunk):
                found[aid] = from_json(Article, json.loads(record))
        return [found[a] for a in ids if a in found]

    def iter_articles(self) -> Iterator[Article]:
        last = 0
        while True:
            rows = self._read(
                "SELECT rowid, record FROM articles WHERE rowid > ? ORDER BY rowid LIMIT 1000", (last,)
            )
            if not rows:
                return
            for rowid, record in rows:
                last = rowid
                yield from_json(Article, json.loads(record))

    def article_count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM articles")[0][0])

    def unassigned_count(self) -> int:
        return int(
            self._read(
                "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
                "(SELECT 1 FROM story_articles s WHERE s.article_id = a.id)"
            )[0][0]
        )

    def story_of(self, article_id: str) -> str | None:
        rows = self._read("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,))
        return str(rows[0][0]) if rows else None

    def unassigned_articles(self) -> list[Article]:
        rows = self._read(
            "SELECT record FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM story_articles s WHERE s.article_id = a.id) ORDER BY rowid"
        )
        return [from_json(Article, json.loads(r[0])) for r in rows]

    # ---- story index
    def _meta(self, key: str) -> int:
        return int(self._read("SELECT value FROM meta WHERE key = ?", (key,))[0][0])

    def index_ready(self) -> bool:
        rows = self._read(
            "SELECT (SELECT value FROM meta WHERE key = 'index_version') = "
            "(SELECT value FROM meta WHERE key = 'story_version')"
        )
        return bool(rows[0][0])

    def index_documents(self) -> int:
        return self._meta("index_documents")

    def kept_terms(self, article_ids: Sequence[str], lead_sentences: int) -> dict[str, Terms]:
        out: dict[str, Terms] = {}
        for chunk in _chunks(list(dict.fromkeys(article_ids))):
            marks = ",".join("?" * len(chunk))
            sql = (
                "SELECT article_id, terms FROM article_terms "
                f"WHERE lead_sentences = ? AND article_id IN ({marks})"
            )
            out.update((aid, _terms_of_blob(blob)) for aid, blob in self._read(sql, [lead_sentences, *chunk]))
        return out

    def term_df(self, terms: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(list(dict.fromkeys(terms))):
            marks = ",".join("?" * len(chunk))
            out.update(self._read(f"SELECT term, df FROM term_df WHERE term IN ({marks})", chunk))
        return out

    def story_postings(self, terms: Sequence[str]) -> list[tuple[str, str, float]]:
        out: list[tuple[str, str, float]] = []
        for chunk in _chunks(list(dict.fromkeys(terms))):
            marks = ",".join("?" * len(chunk))
            out.extend(
                self._read(f"SELECT story_id, term, weight FROM story_terms WHERE term IN ({marks})", chunk)
            )
        return out

    def story_vectors(self, story_ids: Sequence[str], terms: Sequence[str]) -> dict[str, StoryVector]:
        sids = list(dict.fromkeys(story_ids))
        words = list(dict.fromkeys(terms))
        weights: dict[str, dict[str, float]] = {sid: {} for sid in sids}
        heads: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(sids, 200):
            marks = ",".join("?" * len(chunk))
            for sid, size, language in self._read(
                f"SELECT story_id, size, language FROM story_index WHERE story_id IN ({marks})", chunk
            ):
                heads[sid] = (int(size), str(language))
            for terms_chunk in _chunks(words):
                # both IN lists probe the (term, story_id) key: len(terms) x len(stories) lookups
                tmarks = ",".join("?" * len(terms_chunk))
                for sid, term, weight in self._read(
                    f"SELECT story_id, term, weight FROM story_terms "
                    f"WHERE term IN ({tmarks}) AND story_id IN ({marks})",
                    [*terms_chunk, *chunk],
                ):
                    weights[sid][term] = weight
        return {
            sid: StoryVector(size=size, language=language, weights=weights[sid])
            for sid, (size, language) in heads.items()
        }

    def closest_members(
        self, words: Sequence[str], story_ids: Sequence[str], per_story: int
    ) -> dict[str, list[str]]:
        terms = [w for w in dict.fromkeys(words) if _WORD.fullmatch(w)]
        sids = list(dict.fromkeys(story_ids))
        out: dict[str, list[str]] = {}
        if not terms or not sids or per_story <= 0:
            return out
        match = " OR ".join('"' + w + '"' for w in terms)
        # the members' rowids first (joining every match of a large store to its story through
        # the articles table cost twice as much as ranking them all), then their matches ranked
        member: dict[int, tuple[str, str]] = {}  # rowid -> (story, article)
        for chunk in _chunks(sids, 200):
            marks = ",".join("?" * len(chunk))
            for rowid, aid, sid in self._read(
                "SELECT a.rowid, a.id, sa.story_id FROM story_articles sa "
                f"JOIN articles a ON a.id = sa.article_id WHERE sa.story_id IN ({marks})",
                chunk,
            ):
                member[rowid] = (sid, aid)
        # bm25 is evaluated per row returned: joined to a table of the members (CROSS JOIN: the
        # match scanned first, each row looked up there), only the members' matches are scored,
        # not the whole store's (a few hundred of some 9,000 per query at 100k articles; the
        # same scores, 3.7x faster). `rowid IN (...)` next to MATCH is far slower (a match per row).
        try:
            _fill_scope(self._db(), "member_scope", "INTEGER", member)
        except sqlite3.OperationalError as exc:
            raise StoreError("E030", str(exc), subject=self.path) from exc
        ranked = sorted(
            (score, rowid)
            for rowid, score in self._read(
                "SELECT f.rowid, bm25(articles_fts, 4.0, 1.0) FROM articles_fts f "
                "CROSS JOIN member_scope m ON m.id = f.rowid WHERE articles_fts MATCH ?",
                [match],
            )
        )
        for _, rowid in ranked:
            sid, aid = member[rowid]
            got = out.setdefault(sid, [])
            if len(got) < per_story:
                got.append(aid)
        return out

    # ---- stories
    def story_version(self) -> int:
        return int(self._read("SELECT value FROM meta WHERE key = 'story_version'")[0][0])

    def memberships(self) -> dict[str, frozenset[str]]:
        groups: dict[str, set[str]] = {}
        for aid, sid in self._read("SELECT article_id, story_id FROM story_articles"):
            groups.setdefault(sid, set()).add(aid)
        return {sid: frozenset(ids) for sid, ids in groups.items()}

    def known_story_ids(self) -> set[str]:
        rows = self._read("SELECT id FROM stories UNION SELECT old_id FROM story_merges")
        return {r[0] for r in rows}

    def get_story(self, story_id: str) -> Story | None:
        rows = self._read("SELECT record FROM stories WHERE id = ?", (story_id,))
        return from_json(Story, json.loads(rows[0][0])) if rows else None

    def resolve_story(self, story_id: str) -> str | None:
        seen: set[str] = set()
        current = story_id
        while current not in seen:
            seen.add(current)
            if self._read("SELECT 1 FROM stories WHERE id = ?", (current,)):
                return current
            rows = self._read("SELECT new_id FROM story_merges WHERE old_id = ?", (current,))
            if not rows:
                return None
            current = rows[0][0]
        return None

    def list_stories(self, query: StoryQuery) -> StoryPage:
        where: list[str] = []
        params: list[Any] = []
        if query.since:
            where.append("last_seen >= ?")
            params.append(query.since)
        if query.until:
            where.append("first_seen < ?")
            params.append(query.until)
        if query.text:
            match = fts_query(query.text)
            if match is None:
                return StoryPage(stories=(), total=0, limit=query.limit, offset=query.offset)
            where.append(
                "id IN (SELECT sa.story_id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
                "JOIN story_articles sa ON sa.article_id = a.id WHERE articles_fts MATCH ?)"
            )
            params.append(match)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        db = self._db()
        try:
            db.execute("BEGIN")  # one snapshot for the count and the page
            try:
                total = db.execute(f"SELECT COUNT(*) FROM stories {clause}", params).fetchone()[0]
                rows = db.execute(
                    "SELECT id, label, n_articles, outlets, first_seen, last_seen, updated, record "
                    f"FROM stories {clause} ORDER BY last_seen IS NULL, last_seen DESC, n_articles DESC, id "
                    "LIMIT ? OFFSET ?",
                    [*params, query.limit, query.offset],
                ).fetchall()
            finally:
                db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise StoreError("E030", str(exc), subject=self.path) from exc
        stories = tuple(
            StoryRow(
                id=r[0],
                label=r[1],
                articles=r[2],
                outlets=tuple(json.loads(r[3])),
                first_seen=r[4],
                last_seen=r[5],
                updated=r[6],
                merged_from=tuple(json.loads(r[7]).get("merged_from", [])),
            )
            for r in rows
        )
        return StoryPage(stories=stories, total=int(total), limit=query.limit, offset=query.offset)

    def get_dossier(self, story_id: str) -> Dossier | None:
        rows = self._read("SELECT record FROM dossiers WHERE story_id = ?", (story_id,))
        return dossier_from_record(json.loads(rows[0][0])) if rows else None

    def dossier_head(self, story_id: str) -> DossierHead | None:
        rows = self._read(
            f"SELECT json_extract(record, '$.warnings'), json_extract(record, '$.{INFERRED_KEY}') "
            "FROM dossiers WHERE story_id = ?",
            (story_id,),
        )
        if not rows:
            return None
        warnings, inferred = rows[0]
        return DossierHead(
            warnings=tuple(json.loads(warnings or "[]")),
            published={aid: from_json(PublishedDate, p) for aid, p in json.loads(inferred or "{}").items()},
        )

    def copies_among(self, article_ids: Sequence[str], *, limit: int | None = None) -> list[CopyLink]:
        # records decoded only for the links kept: a wire story's copies link far outside it, and
        # a page shows the first few of a large story's tens of thousands (read no further)
        rows = itertools.islice(self._copy_rows(article_ids, "a, b, kind, record"), limit)
        return [from_json(CopyLink, json.loads(row[3])) for row in rows]

    def copy_kinds_among(self, article_ids: Sequence[str]) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for _, _, kind in self._copy_rows(article_ids, "a, b, kind"):
            kinds[kind] = kinds.get(kind, 0) + 1
        return kinds

    def copy_pairs(self, article_ids: Sequence[str], *, joining: bool = False) -> list[tuple[str, str]]:
        kinds = " AND kind != 'credited'" if joining else ""
        return list(self._copy_rows(article_ids, "a, b", where=kinds, distinct=True))

    def _copy_rows(
        self, article_ids: Sequence[str], columns: str, *, where: str = "", distinct: bool = False
    ) -> Iterator[tuple[Any, ...]]:
        """``columns`` (``a, b`` first; just ``a, b`` when ``distinct``, each pair once) of each
        stored link among ``article_ids``, in the primary key's order. The chunks of ids hold
        ascending ranges of ``a``, each read in that order, so their rows join up sorted:
        nothing here sorts or dedupes a large story's hundreds of thousands of links (a Python
        set and sort of 628k pairs took 1.6 s, SQLite 0.6 s), and a caller that wants the first
        few stops early."""
        wanted = set(article_ids)
        select = "SELECT DISTINCT" if distinct else "SELECT"
        order = "a, b" if distinct else "a, b, kind"
        for chunk in _chunks(sorted(wanted)):
            marks = ",".join("?" * len(chunk))
            sql = f"{select} {columns} FROM copies WHERE a IN ({marks}){where} ORDER BY {order}"
            for row in self._read(sql, chunk):
                if row[1] in wanted:
                    yield tuple(row)

    def apply_regroup(self, regroup: Regroup) -> None:
        now = _now()
        with self._write_transaction() as db:
            version = int(db.execute("SELECT value FROM meta WHERE key = 'story_version'").fetchone()[0])
            if version != regroup.base_version:
                raise VersionConflict(f"story version is {version}, regroup was from {regroup.base_version}")
            self._write_regroup(db, regroup, now)
            db.execute("UPDATE meta SET value = ? WHERE key = 'story_version'", (str(version + 1),))
            if regroup.index is not None:
                self._write_index(db, regroup.index)
                db.execute("UPDATE meta SET value = ? WHERE key = 'index_version'", (str(version + 1),))

    def _write_regroup(self, db: sqlite3.Connection, regroup: Regroup, now: str) -> None:
        dossiers = {d.story.id: d for d in regroup.dossiers}
        changed = [s.id for s in regroup.stories]
        retired = list(regroup.retired)
        gone = changed + retired
        # a kept dossier's record is patched, not decoded into records and rendered again (a
        # large story's claims are most of a regroup's reading and writing otherwise); SQLite
        # patches it in place of a Python decode and encode of megabytes per story
        kept: dict[str, str] = {}
        for k in regroup.kept:
            fields = [*to_json(k.story).items(), ("warnings", list(k.warnings))]
            row = db.execute(
                f"SELECT json_set(record{', ?, json(?)' * len(fields)}) FROM dossiers WHERE story_id = ?",
                [*(x for key, value in fields for x in (f'$."{key}"', _json(value))), k.story.id],
            ).fetchone()
            if row is None:
                raise StoreError("E030", f"story {k.story.id} has no dossier to keep", subject=self.path)
            kept[k.story.id] = row[0]
        for i in range(0, len(gone), 500):
            chunk = gone[i : i + 500]
            marks = ",".join("?" * len(chunk))
            db.execute(f"DELETE FROM story_articles WHERE story_id IN ({marks})", chunk)
            db.execute(f"DELETE FROM dossiers WHERE story_id IN ({marks})", chunk)
            db.execute(f"DELETE FROM stories WHERE id IN ({marks})", chunk)
        for old, new in regroup.retired.items():
            db.execute(
                "INSERT INTO story_merges VALUES (?, ?, ?) "
                "ON CONFLICT(old_id) DO UPDATE SET new_id = excluded.new_id, merged = excluded.merged",
                (old, new, now),
            )
        for story in regroup.stories:
            # the story may have re-taken an id that was once merged away
            db.execute("DELETE FROM story_merges WHERE old_id = ?", (story.id,))
            outlets = sorted(
                {
                    r[0]
                    for i in range(0, len(story.articles), 500)
                    for r in db.execute(
                        "SELECT outlet FROM articles WHERE id IN "
                        f"({','.join('?' * len(story.articles[i : i + 500]))})",
                        story.articles[i : i + 500],
                    )
                }
            )
            db.execute(
                "INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    story.id,
                    story.label,
                    len(story.articles),
                    _json(outlets),
                    utc_iso(story.first_seen),
                    utc_iso(story.last_seen),
                    now,
                    _json(to_json(story)),
                ),
            )
            db.executemany(
                "INSERT INTO story_articles(article_id, story_id) VALUES (?, ?) "
                "ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id",
                [(aid, story.id) for aid in story.articles],
            )
            record = kept.get(story.id) or _json(dossier_record(dossiers[story.id]))
            db.execute("INSERT INTO dossiers VALUES (?, ?, ?)", (story.id, now, record))
        if regroup.copies_among is None:
            db.execute("DELETE FROM copies")
        else:
            _fill_scope(db, "copy_scope", "TEXT", regroup.copies_among)
            db.execute(
                "DELETE FROM copies "
                "WHERE a IN (SELECT id FROM copy_scope) AND b IN (SELECT id FROM copy_scope)"
            )
        db.executemany(
            "INSERT OR REPLACE INTO copies VALUES (?, ?, ?, ?)",
            [(c.a, c.b, c.kind, _json(to_json(c))) for c in regroup.copies],
        )

    def _write_index(self, db: sqlite3.Connection, index: IndexUpdate) -> None:
        if index.rebuild:
            for table in ("term_df", "story_terms", "story_index", "article_terms"):
                db.execute(f"DELETE FROM {table}")
            db.execute("UPDATE meta SET value = '0' WHERE key = 'index_documents'")
        db.execute(
            "UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = 'index_documents'",
            (index.documents,),
        )
        db.executemany(
            "INSERT INTO term_df VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            index.df.items(),
        )
        db.executemany("DELETE FROM story_index WHERE story_id = ?", [(sid,) for sid in index.drop])
        db.executemany(
            "DELETE FROM story_terms WHERE term = ? AND story_id = ?",
            [(t, sid) for sid, terms in index.drop.items() for t in terms],
        )
        db.executemany(
            "INSERT OR REPLACE INTO story_index VALUES (?, ?, ?)",
            [(sid, v.size, v.language) for sid, v in index.vectors.items()],
        )
        db.executemany(
            "INSERT OR REPLACE INTO story_terms VALUES (?, ?, ?)",
            [(t, sid, w) for sid, v in index.vectors.items() for t, w in v.weights.items()],
        )
        db.executemany(
            "UPDATE story_index SET size = size + ? WHERE story_id = ?",
            [(v.size, sid) for sid, v in index.grow.items()],
        )
        db.executemany(
            "INSERT INTO story_terms VALUES (?, ?, ?) "
            "ON CONFLICT(term, story_id) DO UPDATE SET weight = weight + excluded.weight",
            [(t, sid, w) for sid, v in index.grow.items() for t, w in v.weights.items()],
        )
        db.executemany(
            "INSERT OR REPLACE INTO article_terms VALUES (?, ?, ?)",
            [(aid, index.terms_lead, _terms_blob(t)) for aid, t in index.terms.items()],
        )

    # ---- search
    def search(self, text: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        match = fts_query(text)
        if match is None:
            return []
        rows = self._read(
            "SELECT a.id, a.title, a.outlet, sa.story_id, "
            "snippet(articles_fts, 1, ?, ?, '…', 24), a.published "
            "FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
            "LEFT JOIN story_articles sa ON sa.article_id = a.id "
            "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 4.0, 1.0), a.rowid LIMIT ? OFFSET ?",
            (MARK_START, MARK_END, match, limit, offset),
        )
        return [
            SearchHit(article=r[0], title=r[1], outlet=r[2], story=r[3], snippet=r[4], published=r[5])
            for r in rows
        ]
