"""Warehouse files written by every earlier schema version open in this one: upgraded in place
after a backup copy, every row kept, and then they take a new year.

tests/samples/warehouse-schema-N.duckdb was written by a build that wrote schema N: 1 by a2027f9
(the commit before versions were recorded), 2 by 7897bab, 3 by 80c97bf (issue 12's branch before
it met migration 006), 6 by 3d18b21 (the merge that first shipped 003 and 006 together), 10 by the
merge of issues 17, 18, 19 and 21's branches (migrations 007–010; files their branches wrote alone
never reached a user, so none is kept). Each
holds the H-group 109 deck (all pages) and report-110.pdf --pages 48-52 (theme H), loaded with
two link overrides (report-110.pdf HP1.1 pinned to HP1.1, HF2.1 split). Made as:

    git worktree add /tmp/vN <commit>
    python -c "import duckdb; duckdb.connect().execute(\"ATTACH 'warehouse-schema-N.duckdb' (STORAGE_VERSION 'v1.1.0', BLOCK_SIZE 16384)\")"
    python /tmp/vN/run_pipeline.py /tmp/vN/samples/h-109-deck.pdf --db warehouse-schema-N.duckdb --no-csv --no-cache --links links.csv
    python /tmp/vN/run_pipeline.py /tmp/vN/samples/report-110.pdf --pages 48-52 --db … --no-csv --no-cache --links links.csv

(the storage version and block size make a small file that DuckDB 1.1 and later open).
"""
from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import REPORT_TXT, read
from render import scorecard_to_text
from test_next_year import next_year

from kpi_scorecard.cli import main
from kpi_scorecard.warehouse import WarehouseError, WarehouseTooNew, connect, connect_read_only, load_scorecard, schema
from kpi_scorecard.warehouse.overrides import stored_overrides

SAMPLES = Path(__file__).parent / "samples"
WAREHOUSES = {int(re.search(r"\d+", p.stem)[0]): p for p in SAMPLES.glob("warehouse-schema-*.duckdb")}
LATEST = schema.schema_version()


def table_rows(db: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table's columns and rows (sorted), and kpi_history's, of a warehouse file."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall()]
        out = {}
        for name in names + ["kpi_history"]:
            cursor = con.execute(f'SELECT * FROM "{name}"')
            out[name] = ([d[0] for d in cursor.description], sorted(map(repr, cursor.fetchall())))
        return out


def shape(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Every table's and view's columns, in order, with types, nullability and defaults."""
    return con.execute("""
        SELECT table_name, ordinal_position, column_name, data_type, is_nullable, column_default
        FROM information_schema.columns ORDER BY table_name, ordinal_position
    """).fetchall()


def test_a_warehouse_from_every_earlier_schema_version_is_kept():
    """Each build keeps the file it writes: one that ships a new highest migration adds a file of
    its own beside the one its predecessor wrote. (A migration numbered below the highest, landed
    from another branch, is tested on the files already kept: they all lack it.)"""
    assert {1, 2, LATEST} <= set(WAREHOUSES) <= {1} | set(schema.migrations())


@pytest.fixture(scope="module")
def report_111(txt_report, tmp_path_factory) -> Path:
    """A new year: the 110 report as its 111 edition would print it."""
    path = tmp_path_factory.mktemp("111") / "report-111.txt"
    path.write_text(scorecard_to_text(next_year(txt_report)), encoding="utf-8")
    return path


@pytest.mark.parametrize("version", sorted(WAREHOUSES))
def test_upgrade_keeps_every_row_and_takes_a_new_year(version, tmp_path, report_111):
    db = tmp_path / "kpi.duckdb"
    shutil.copyfile(WAREHOUSES[version], db)
    before = table_rows(db)
    lines = []
    con = connect(db, on_upgrade=lines.append)
    try:
        if version < LATEST:
            assert lines == [f"{db}: upgraded from schema {version} to {LATEST} (the old file is kept as kpi.duckdb.bak-v{version})"]
            assert Path(f"{db}.bak-v{version}").read_bytes() == WAREHOUSES[version].read_bytes()
        else:  # written by this build: nothing to upgrade
            assert lines == []
        assert {v for (v,) in con.execute("SELECT version FROM schema_version").fetchall()} == set(schema.migrations())
        with connect(":memory:") as new:
            assert shape(con) == shape(new)  # the same tables, columns and views as a file made new
        # every row of every table (on the columns it had) and of kpi_history is still there
        for table, (columns, rows) in before.items():
            names = ", ".join(f'"{c}"' for c in columns)
            # migration 010 counts a deck's achieved/missed by its 目標達成度: those rows are checked below
            deck_counts = " WHERE scope = 'theme' OR item NOT IN ('achieved', 'missed')" if table == "reconciliation" else ""
            after = sorted(map(repr, con.execute(f'SELECT {names} FROM "{table}"{deck_counts}').fetchall()))
            if deck_counts:
                rows = sorted(map(repr, duckdb.connect(str(WAREHOUSES[version]), read_only=True).execute(
                    f"SELECT {names} FROM reconciliation{deck_counts}").fetchall()))
            assert set(after) >= set(rows) if table == "schema_version" else after == rows, table
        # the deck's counts hold by its own rule; what the value rule counted is kept as by_values
        assert con.execute(
            "SELECT scope, item, stated, counted, by_values, ok FROM reconciliation WHERE scope = '合計' AND item IN ('achieved', 'missed') "
            "ORDER BY item").fetchall() == [("合計", "achieved", 12, 12, 8, True), ("合計", "missed", 3, 3, 4, True)]
        # builds after schema 6 read 2 measures more from the deck: HP4.2 and HL1.1 111, tied from its tasks tables
        history = 60 if version > 6 else 58
        assert len(before["kpi_history"][1]) == history
        # the overrides the links were made with are the warehouse's own now, and still decide
        assert {(o.document, o.kpi_code, o.action, o.kpi_id) for o in stored_overrides(con)} == {
            ("report-110.pdf", "HP1.1", "pin", "HP1.1"), ("report-110.pdf", "HF2.1", "split", None)}
        load_scorecard(con, read(report_111), overrides=stored_overrides(con), path=report_111)
        assert con.execute("SELECT count(*) FROM kpi_history").fetchone()[0] == history + 172
        trend = con.execute(
            "SELECT roc_year, actual_source FROM kpi_trend WHERE kpi_id = 'HP3.2' ORDER BY roc_year").fetchall()
        assert trend == [(109, "h-109-deck.pdf"), (110, "report-110.pdf"), (111, "report-111.txt")]
        assert con.execute(
            "SELECT kpi_id, decision FROM kpi_links WHERE document_id = 'report-110.pdf' AND kpi_code IN ('HP1.1', 'HF2.1') "
            "ORDER BY kpi_code").fetchall() == [("HF2.1#2", "split"), ("HP1.1", "pinned")]
        assert con.execute("SELECT tool_version, source_path FROM documents WHERE document_id = 'report-111.txt'").fetchone() == (
            schema_tool_version(), str(report_111.resolve()))
    finally:
        con.close()
    lines.clear()
    connect(db, on_upgrade=lines.append).close()
    assert lines == []  # upgraded once


def schema_tool_version() -> str:
    from importlib.metadata import version

    return version("kpi-scorecard")


def test_the_cli_says_so_in_one_line(tmp_path, report_111):
    db = tmp_path / "kpi.duckdb"
    shutil.copyfile(WAREHOUSES[1], db)
    result = CliRunner().invoke(main, [str(report_111), "--db", str(db), "--no-csv", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"{db}: upgraded from schema 1 to {LATEST} (the old file is kept as kpi.duckdb.bak-v1)"]
    assert "Loaded 1 of 1 documents" in result.stdout


def test_a_warehouse_from_a_newer_version_is_refused(tmp_path):
    db = tmp_path / "kpi.duckdb"
    with connect(db) as con:
        con.execute("INSERT INTO schema_version VALUES (?)", [LATEST + 1])
    data = db.read_bytes()
    with pytest.raises(WarehouseTooNew, match=rf"made by a newer kpi-scorecard \(schema {LATEST + 1}; this one reads up to {LATEST}\)"):
        connect(db)
    result = CliRunner().invoke(main, ["--db", str(db), "--no-csv", "--no-cache"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {db}: made by a newer kpi-scorecard (schema {LATEST + 1}; this one reads up to {LATEST}); upgrade kpi-scorecard to open it"]
    assert db.read_bytes() == data and not list(tmp_path.glob("*.bak-v*"))


def test_a_failed_upgrade_leaves_the_warehouse_as_it_was(tmp_path, monkeypatch):
    db = tmp_path / "kpi.duckdb"
    shutil.copyfile(WAREHOUSES[1], db)
    before = table_rows(db)
    shipped = schema.migrations()
    broken = {**shipped, 3: shipped[3] + "\nALTER TABLE no_such_table ADD COLUMN x INTEGER;"}
    monkeypatch.setattr(schema, "migrations", lambda: broken)
    with pytest.raises(WarehouseError, match="upgrade to schema 3 failed .*no_such_table.*; the warehouse is unchanged"):
        connect(db)
    assert table_rows(db) == before  # not even schema_version (002) is left behind
    monkeypatch.undo()
    connect(db).close()  # the next try, with working migrations, upgrades it


def test_a_migration_that_lands_after_a_higher_one_still_runs(tmp_path, monkeypatch):
    """Two branches add 004 and 005; whichever lands second, a file that has the other gets it."""
    shipped = schema.migrations()
    first, second = LATEST + 1, LATEST + 2
    db = tmp_path / "kpi.duckdb"
    monkeypatch.setattr(schema, "migrations", lambda: {**shipped, second: "CREATE TABLE second (x INTEGER);"})
    connect(db).close()  # made new by a build with the second but not the first: schema.sql stands for all it ships
    monkeypatch.setattr(schema, "migrations", lambda: {
        **shipped, first: "CREATE TABLE first (x INTEGER);", second: "CREATE TABLE second (x INTEGER);"})
    lines = []
    with connect(db, on_upgrade=lines.append) as con:
        tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        versions = sorted(v for (v,) in con.execute("SELECT version FROM schema_version").fetchall())
    assert "first" in tables and "second" not in tables  # the second is not run again: schema.sql stood for it
    assert versions == [*shipped, first, second]
    assert lines == [f"{db}: upgraded with migration {first} (the old file is kept as kpi.duckdb.bak-v{second})"]


def test_reading_an_older_warehouse_upgrades_it_first(tmp_path):
    """The Python API's read-only warehouse too: the file is upgraded once, then read."""
    import kpi_scorecard as ks

    db = tmp_path / "kpi.duckdb"
    shutil.copyfile(WAREHOUSES[2], db)
    lines = []
    with connect_read_only(db, on_upgrade=lines.append) as con:
        assert con.execute("SELECT count(*) FROM kpi_history").fetchone() == (58,)
        with pytest.raises(duckdb.InvalidInputException, match="read-only"):  # read only, after the upgrade too
            con.execute("DELETE FROM documents")
    assert lines == [f"{db}: upgraded from schema 2 to {LATEST} (the old file is kept as kpi.duckdb.bak-v2)"]
    assert len(ks.Warehouse(db).history(theme="H")) == 58


def test_views_another_build_made_are_made_again(tmp_path):
    """A file whose views this build's schema.sql made keeps them as they are on the next connect;
    one whose views another build's schema.sql replaced (that drops the stamp) gets this build's."""
    db = tmp_path / "kpi.duckdb"
    connect(db).close()
    with duckdb.connect(str(db)) as con:
        stamp = con.execute("SELECT digest FROM schema_stamp").fetchone()
        made = shape(con)
        # as another build's schema.sql would (it makes the stamp again, empty)
        con.execute("CREATE OR REPLACE VIEW kpi_history AS SELECT 1 AS roc_year; CREATE OR REPLACE VIEW schema_stamp AS SELECT NULL::VARCHAR AS digest")
    assert stamp == (schema.schema_digest(),)
    with connect(db) as con:
        assert shape(con) == made


def described(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """shape, with every relation's and column's comment, the macros, and the migrations recorded."""
    return [*shape(con), *con.execute("""
        SELECT table_name, column_name, comment FROM duckdb_columns() WHERE database_name = current_database()
        UNION ALL SELECT view_name, NULL, comment FROM duckdb_views() WHERE database_name = current_database() AND NOT internal
        UNION ALL SELECT table_name, NULL, comment FROM duckdb_tables() WHERE database_name = current_database()
        UNION ALL SELECT function_name, NULL, macro_definition FROM duckdb_functions() WHERE function_type = 'macro' AND NOT internal
        UNION ALL SELECT 'schema_version', NULL, version::VARCHAR FROM schema_version
        ORDER BY ALL""").fetchall()]


def made_from_schema(tmp_path: Path, monkeypatch) -> list[tuple]:
    """described() of a warehouse made from schema.sql in the file (no template: as with a DuckDB
    version none is shipped for and no cache)."""
    with monkeypatch.context() as m:
        m.setattr(schema, "shipped_template", lambda: None)
        with connect(tmp_path / "made-from-schema.duckdb") as con:
            return described(con)


def test_the_shipped_empty_warehouse_is_this_builds_schema(tmp_path, monkeypatch):
    """The empty warehouse shipped in the package holds this build's schema, comments and
    migrations (after a change to them: .ci/empty_warehouse.py), exactly as a file made from
    schema.sql; a new file is a copy of it, schema.sql not run, where the installed DuckDB is the
    version that made it; with another version it is not used (a template is made in the cache)."""
    shipped = sorted(p.name for p in Path(schema.__file__).parent.glob(schema.SHIPPED.format(key="*", version="*")))
    assert len(shipped) == 1, shipped
    (name,) = shipped
    version = name.removesuffix(".duckdb.gz").rpartition("-duckdb-")[2]
    assert name == schema.SHIPPED.format(key=schema.template_key(), version=version), \
        "the shipped empty warehouse is another schema's: make it again with .venv/bin/python .ci/empty_warehouse.py"
    expected = made_from_schema(tmp_path, monkeypatch)
    monkeypatch.setattr(schema.duckdb, "__version__", version)  # the version that made it (a newer one opens its file too)

    def no_schema(*args):
        raise AssertionError("schema.sql made again")

    with monkeypatch.context() as m:
        m.setattr(schema, "_apply", no_schema)
        with connect(tmp_path / "copied.duckdb") as con:
            assert described(con) == expected
    monkeypatch.setattr(schema.duckdb, "__version__", "0.0.1")  # a DuckDB version none is shipped for
    assert schema.shipped_template() is None
    with connect(tmp_path / "other-duckdb.duckdb", cache_dir=tmp_path / "cache") as con:
        assert described(con) == expected
    assert len(list((tmp_path / "cache" / "warehouse").glob("empty-*.duckdb"))) == 1


def test_a_new_warehouse_is_a_copy_of_one_made_once_and_checked(tmp_path, monkeypatch):
    """Where no empty warehouse is shipped for the installed DuckDB, a new file is the one kept in
    the cache copied: the same tables, views, macros, comments and migrations as one made from
    schema.sql; a cached one that does not match its digest (cut short) is made again, and a file
    already at the path is never copied over."""
    monkeypatch.setattr(schema, "shipped_template", lambda: None)
    cache = tmp_path / "cache"
    with connect(tmp_path / "first.duckdb", cache_dir=cache) as con:  # makes the template
        first = described(con)
    (template,) = (cache / "warehouse").glob("empty-*.duckdb")
    with connect(tmp_path / "copied.duckdb", cache_dir=cache) as con:
        assert described(con) == first
    with connect(tmp_path / "made.duckdb") as con:  # no cache: the schema made in the file
        assert described(con) == first
    template.write_bytes(template.read_bytes()[:4096])
    with connect(tmp_path / "after-damage.duckdb", cache_dir=cache) as con:
        assert described(con) == first
    assert template.stat().st_size == (tmp_path / "copied.duckdb").stat().st_size

    def another_process_first(source, target):
        Path(target).write_bytes(b"another process's")
        raise FileExistsError(target)

    monkeypatch.setattr(schema.os, "link", another_process_first)
    with pytest.raises(WarehouseError, match="not a valid DuckDB database file"):
        connect(tmp_path / "raced.duckdb", cache_dir=cache)
    assert (tmp_path / "raced.duckdb").read_bytes() == b"another process's"


def test_the_empty_warehouse_is_kept_where_the_cache_is_and_nowhere_without_one(tmp_path, monkeypatch):
    """Where none is shipped for the installed DuckDB: --cache-dir: the empty warehouse is kept
    under it; --no-cache: nowhere (not in the user's cache either), the schema made in the file."""
    monkeypatch.setattr(schema, "shipped_template", lambda: None)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    for option in (["--no-cache"], ["--cache-dir", str(tmp_path / "chosen")]):
        result = CliRunner().invoke(main, [str(REPORT_TXT), "--db", str(tmp_path / f"{option[0]}.duckdb"), "--no-csv", *option])
        assert result.exit_code == 0, result.output
    assert not (tmp_path / "user-cache").exists()
    assert len(list((tmp_path / "chosen" / "warehouse").glob("empty-*.duckdb"))) == 1
    with connect(tmp_path / "--no-cache.duckdb") as made, connect(tmp_path / "--cache-dir.duckdb") as copied:
        assert described(made) == described(copied)


def test_a_copy_a_killed_process_left_is_removed_and_a_fresh_one_kept(tmp_path):
    """The temporary file of a copy cut short by a killed process (.NAME.PID.tmp beside the new
    warehouse) is removed when the next one is made; one written just now (another process's copy
    under way) and a file of another name are left alone."""
    left = tmp_path / ".kpi.duckdb.999999.tmp"
    fresh = tmp_path / ".kpi.duckdb.999998.tmp"
    other = tmp_path / ".kpi.duckdb.backup.tmp"
    for path in (left, fresh, other):
        path.write_bytes(b"cut short")
    long_ago = time.time() - 3600
    os.utime(left, (long_ago, long_ago))
    os.utime(other, (long_ago, long_ago))
    connect(tmp_path / "kpi.duckdb", cache_dir=tmp_path / "cache").close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [".kpi.duckdb.999998.tmp", ".kpi.duckdb.backup.tmp", "kpi.duckdb"]
