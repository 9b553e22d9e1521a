"""Opening a warehouse file: a new one is made from schema.sql, one an earlier version wrote is
upgraded in place, one a newer version wrote is refused.

Each schema change ships a plain-SQL migration, migrations/NNN_<what>.sql, that upgrades schema
NNN-1 to NNN; the version this build writes is the highest NNN shipped. A file records in
schema_version each migration it has (a file from before versions were recorded has none: schema
1). Opening a file that lacks some: its bytes are copied to FILE.bak-v<N> first, then the missing
migrations run in order, with schema.sql after them, in one transaction. Missing ones are found by
number, not by comparing the highest, so a migration that lands after a higher-numbered one (two
branches merged in either order) still runs. A file that lacks none gets schema.sql (this build's
views and macros) only when another text of it last ran there (STAMPED_VIEW).

A new file is a copy of an empty warehouse (making its schema's 268 statements costs 0.1 CPU s a
file, the copy 0.003): the one shipped with the package (SHIPPED, gzipped) where it is this
build's schema made by the installed DuckDB version (DuckDB's storage is version-bound), else
one made once and kept in the cache the caller names (none: the schema is made in the file),
named for this build's schema and DuckDB version. The copy is then opened and checked as any
file is, so that a template that is not this build's gets what it lacks like any file would.
`python .ci/empty_warehouse.py` makes the shipped one again (tests/test_migrations.py fails while
it is not this build's schema).
"""
from __future__ import annotations

import contextlib
import glob
import hashlib
import logging
import os
import re
import shutil
import time
import zlib
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import duckdb

from kpi_scorecard.warehouse.catalog import comment_statements, descriptions, relations
from kpi_scorecard.warehouse.errors import WarehouseError, WarehouseLocked, WarehouseNotFound, WarehouseTooNew
from kpi_scorecard.warehouse.rows import one_row

MIGRATION_NAME = re.compile(r"(\d{3})_\w+\.sql")
# Its one row is the digest of the schema.sql (and the comments, catalog.py) that last ran on the
# file, written after it: every version's schema.sql makes this view again without it, so a match
# means this build's views, macros and comments are there. (Builds before schema 10 stamped the
# kpi_history view's comment, now its description.) Read from duckdb_views(), as fast as a view's comment.
STAMP_VIEW = "schema_stamp"
# The empty warehouse shipped in the package: empty-<template_key()>-duckdb-<DuckDB version>.duckdb.gz
SHIPPED = "empty-{key}-duckdb-{version}.duckdb.gz"
GZIP = 16 + zlib.MAX_WBITS  # zlib reads gzip (and checks its CRC) without the gzip module's import
LOCK_RETRY = 0.2  # seconds between tries to open a locked file
STALE = 60  # seconds after which a copy's temporary file is one a killed process left (a copy takes milliseconds)
VIEW_NAME = re.compile(r"\bCREATE OR REPLACE VIEW (\w+)")

log = logging.getLogger(__name__)


def schema_sql() -> str:
    return files("kpi_scorecard.warehouse").joinpath("schema.sql").read_text(encoding="utf-8")


def migrations() -> dict[int, str]:
    """The shipped migrations' SQL by number, in order."""
    found = {
        int(match[1]): entry.read_text(encoding="utf-8")
        for entry in files("kpi_scorecard.warehouse").joinpath("migrations").iterdir()
        if (match := MIGRATION_NAME.fullmatch(entry.name))
    }
    return dict(sorted(found.items()))


def schema_digest() -> str:
    return hashlib.sha256((schema_sql() + descriptions()).encode()).hexdigest()


def schema_version() -> int:
    """The schema version this build writes: the highest migration shipped."""
    return max(migrations())


def connect(
    db_path: str | Path, on_upgrade: Callable[[str], None] | None = None, wait: float = 0,
    cache_dir: Path | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse at db_path, creating the file and schema if missing and upgrading a file
    an earlier version wrote. on_upgrade gets the one line saying so (default: a logged warning).
    A file another process holds is waited for up to `wait` seconds, then WarehouseLocked. A new
    file is a copy of the shipped empty warehouse, else of the one kept under cache_dir (made there
    the first time)."""
    if str(db_path) != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        if not Path(db_path).exists():
            _from_template(Path(db_path), cache_dir)
    con = _open(db_path, wait=wait)
    try:
        applied = applied_migrations(con, db_path)
        missing = [n for n in migrations() if applied is not None and n not in applied]
        if applied is not None and missing and str(db_path) != ":memory:":
            found = max(applied)
            backup = backup_file(con, db_path, found)
            con = _open(db_path, wait=wait)
            applied = applied_migrations(con, db_path)  # as another process may have left it meanwhile
            missing = [n for n in migrations() if applied is not None and n not in applied]
        if applied is None or missing or not _schema_current(con):  # else schema.sql would only make again what is there
            _apply(con, db_path, applied, missing)
    except BaseException:
        con.close()
        raise
    if missing:
        latest = schema_version()
        what = f"from schema {found} to {latest}" if found < latest else f"with migration {', '.join(map(str, missing))}"
        (on_upgrade or log.warning)(f"{db_path}: upgraded {what} (the old file is kept as {backup.name})")
    return con


def connect_read_only(
    db_path: str | Path, on_upgrade: Callable[[str], None] | None = None, wait: float = 0,
) -> duckdb.DuckDBPyConnection:
    """Open an existing warehouse for reading only (a file an earlier version wrote is upgraded
    first, as connect does). Its views and macros are this version's: schema.sql's, created as
    temporary ones (they shadow those the file was last written with)."""
    if not Path(db_path).is_file():
        raise WarehouseNotFound(f"{db_path}: no such warehouse")
    con = _open(db_path, read_only=True, wait=wait)
    try:
        applied = applied_migrations(con, db_path)
        if applied is None:
            raise WarehouseError(f"{db_path}: not a KPI warehouse (it has no documents table)")
        if set(migrations()) - applied:
            con.close()
            connect(db_path, on_upgrade, wait).close()
            con = _open(db_path, read_only=True, wait=wait)
        for statement in duckdb.extract_statements(schema_sql()):
            if _VIEW_OR_MACRO.search(statement.query):
                con.execute(_VIEW_OR_MACRO.sub(r"CREATE OR REPLACE TEMP \1", statement.query, count=1))
        con.execute(comment_statements(relations(con, "temp"), schema="temp.main."))  # described as the file's are
    except BaseException:
        con.close()
        raise
    return con


_VIEW_OR_MACRO = re.compile(r"\bCREATE OR REPLACE (VIEW|MACRO)\b")


def applied_migrations(con: duckdb.DuckDBPyConnection, db_path: str | Path) -> set[int] | None:
    """The migrations the open file has, 1 standing for the first schema; None: a new file.
    Refuses a file with a migration this build does not ship (a newer version wrote it)."""
    # The file's own tables: listing every catalog's (information_schema) costs more than the rest of a check
    tables = {name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()}
    if "documents" not in tables:
        return None
    if "schema_version" not in tables:
        return {1}
    recorded = {n for (n,) in con.execute("SELECT version FROM schema_version").fetchall()}
    # Schema 2 recorded only its own number (and none if it stopped between making the table and filling it)
    applied = {1, 2} | recorded
    unknown = applied - set(migrations()) - {1}
    if unknown:
        raise WarehouseTooNew(
            f"{db_path}: made by a newer kpi-scorecard (schema {max(unknown)}; this one reads up to {schema_version()}); "
            "upgrade kpi-scorecard to open it"
        )
    return applied


def _schema_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this build's schema.sql was the last to run on the open file (see STAMP_VIEW) and
    every view it makes is still there (one dropped by hand is made again)."""
    stamp, views = one_row(
        con,
        "SELECT max(sql) FILTER (view_name = ?), list(view_name) FROM duckdb_views() "
        "WHERE database_name = current_database() AND NOT temporary",
        [STAMP_VIEW],
    )
    return f"'{schema_digest()}'" in (stamp or "") and set(VIEW_NAME.findall(schema_sql())) <= set(views or ())


def backup_file(con: duckdb.DuckDBPyConnection, db_path: str | Path, version: int) -> Path:
    """Copy the warehouse file to FILE.bak-v<version>, closing con (the file is copied closed:
    Windows does not let another handle read a file DuckDB holds)."""
    con.execute("CHECKPOINT")  # everything in the file itself, nothing left in its .wal
    con.close()
    path = Path(db_path)
    backup = path.with_name(f"{path.name}.bak-v{version}")
    tmp = backup.with_name(f".{backup.name}.tmp")
    try:
        shutil.copyfile(path, tmp)
        os.replace(tmp, backup)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise WarehouseError(
            f"{db_path}: cannot write {backup.name} before upgrading from schema {version} ({e.strerror}); "
            "the warehouse is unchanged"
        ) from None
    return backup


def _apply(con: duckdb.DuckDBPyConnection, db_path: str | Path, applied: set[int] | None, missing: list[int]) -> None:
    """The missing migrations (or, for a new file, none: schema.sql is all of them), then schema.sql,
    then the record of what the file now has, in one transaction."""
    shipped = migrations()
    con.begin()
    try:
        for number in missing:
            try:
                con.execute(shipped[number])
            except duckdb.Error as e:
                raise WarehouseError(
                    f"{db_path}: upgrade to schema {number} failed ({str(e).splitlines()[0]}); the warehouse is unchanged"
                ) from None
        con.execute(schema_sql())
        con.execute(f"CREATE OR REPLACE VIEW {STAMP_VIEW} AS SELECT '{schema_digest()}' AS digest")
        if comments := comment_statements(relations(con)):
            con.execute(comments)
        con.execute("INSERT INTO schema_version SELECT unnest(?::INTEGER[])", [list(shipped) if applied is None else missing])
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _from_template(db_path: Path, cache_dir: Path | None) -> None:
    """Put a copy of the empty warehouse at db_path, where no file is (another process may make one
    meanwhile: the copy is linked in, never over it): the shipped one, else the cache's; where
    neither can give one, the file is left for connect to make."""
    try:
        data = shipped_template()
        if data is None:
            if cache_dir is None:
                return
            data = _template(cache_dir)
        tmp = _temporary(db_path)
        tmp.write_bytes(data)
        try:
            os.link(tmp, db_path)  # fails where a file is
        finally:
            tmp.unlink()
    except (OSError, duckdb.Error, WarehouseError) as e:
        log.debug("no warehouse template for %s: %s", db_path, e)


def template_key() -> str:
    """What an empty warehouse file holds: this build's schema, comments and migrations."""
    return hashlib.sha256(f"{schema_digest()} {sorted(migrations())}".encode()).hexdigest()[:16]


def shipped_template() -> bytes | None:
    """The shipped empty warehouse, where it is this build's schema made by the installed DuckDB."""
    entry = files("kpi_scorecard.warehouse").joinpath(SHIPPED.format(key=template_key(), version=duckdb.__version__))
    try:
        return zlib.decompress(entry.read_bytes(), wbits=GZIP)  # its CRC checked: never a damaged copy
    except (OSError, zlib.error) as e:  # none shipped for this schema and DuckDB, or damaged
        log.debug("no shipped empty warehouse %s: %s", entry.name, e)
        return None


def _template(cache_dir: Path) -> bytes:
    """The empty warehouse file of this build's schema and DuckDB version, made the first time it
    is asked for; kept with its digest, which it must match (else it is made again)."""
    key = hashlib.sha256(f"{template_key()} {duckdb.__version__}".encode()).hexdigest()[:16]
    template = cache_dir / "warehouse" / f"empty-{key}.duckdb"
    digest = template.with_suffix(".sha256")
    with contextlib.suppress(OSError):
        data = template.read_bytes()
        if hashlib.sha256(data).hexdigest() == digest.read_text(encoding="ascii"):
            return data
    template.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(template)
    try:
        data = _made(tmp)
        os.replace(tmp, template)
    finally:
        tmp.unlink(missing_ok=True)
    digest_tmp = _temporary(digest)
    digest_tmp.write_text(hashlib.sha256(data).hexdigest(), encoding="ascii")
    os.replace(digest_tmp, digest)
    return data


def _made(path: Path) -> bytes:
    """An empty warehouse made from schema.sql at path (where no file is): its bytes."""
    con = duckdb.connect(str(path))
    try:
        _apply(con, path, None, [])
        con.execute("CHECKPOINT")  # all of it in the file, no .wal beside it
    finally:
        con.close()
    return path.read_bytes()


def write_shipped_template(folder: Path) -> Path:
    """The empty warehouse shipped in the package, made again in folder (warehouse/ of a
    checkout) by the installed DuckDB; the ones of other schemas or versions there are removed."""
    for old in folder.glob(SHIPPED.format(key="*", version="*")):
        old.unlink()
    target = folder / SHIPPED.format(key=template_key(), version=duckdb.__version__)
    import gzip

    tmp = _temporary(target)
    try:
        target.write_bytes(gzip.compress(_made(tmp), mtime=0))
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _temporary(path: Path) -> Path:
    """The temporary file this process writes path's bytes to before renaming or linking it, after
    removing the ones of that path processes killed mid-copy left (older than STALE seconds)."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):  # gone meanwhile, or still open (Windows)
            if stale.name[len(path.name) + 2:-4].isdigit() and time.time() - stale.stat().st_mtime > STALE:
                stale.unlink()
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _open(db_path: str | Path, read_only: bool = False, wait: float = 0) -> duckdb.DuckDBPyConnection:
    """The DuckDB file opened; while another process holds its lock, tried again until `wait`
    seconds have passed."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                # e.g. "… exists, but it is not a valid DuckDB database file!": DuckDB's own words say it best
                raise WarehouseError(f"{db_path}: cannot open the warehouse ({str(exc).splitlines()[0]})") from exc
            if time.monotonic() >= deadline:
                waited = f" (waited {wait:g} s)" if wait else ""
                raise WarehouseLocked(f"{db_path}: warehouse is locked by another process{waited}") from exc
            log.debug("%s is locked by another process; trying again", db_path)
            time.sleep(min(LOCK_RETRY, max(0.0, deadline - time.monotonic())))
