"""Tests of the DuckDB warehouse: load, kpi_history view, reload, rollback, export."""
from __future__ import annotations

import csv
import dataclasses
import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from conftest import lock_held
from snapshots import everything

from kpi_scorecard.normalize.records import ActionPlan, Kpi, Measure, Problem, Scorecard, ThemeCount, Value
from kpi_scorecard.warehouse import WarehouseLocked, connect, export, load
from kpi_scorecard.warehouse.export import KPI_HISTORY_COLUMNS, export_csv, natural_key, summary
from kpi_scorecard.warehouse.load import TABLES, document_id, load_scorecard

CONTRACT = [
    "roc_year", "theme_code", "theme_name", "objective_code", "objective_name",
    "kpi_code", "kpi_name", "measure_no", "formula", "unit", "direction",
    "action_plans", "agency", "target_raw", "target_value", "target_op",
    "actual_raw", "actual_value", "actual_op", "achieved", "source_file", "page",
]


def num(raw: str, value: float, op: str | None = None) -> Value:
    return Value(raw=raw, value=value, op=op, kind="number")


def measure(no: int, target: Value, actual: Value, direction: str = "positive",
            plans: list[ActionPlan] | None = None, page: int | None = 3) -> Measure:
    return Measure(
        measure_no=no, formula=f"公式{no}", unit="%", direction=direction,
        action_plans=plans or [], agency="環保局", target=target, actual=actual, page=page,
    )


def make_scorecard(source_file: str = "samples/report-110.pdf", roc_year: int = 110) -> Scorecard:
    """2 themes, 3 KPIs (one with 2 measures), negative, '±', a None value, problems, counts."""
    a = dict(objective_code="AC1", objective_name="提升環境品質", theme_code="A", theme_name="營造永續環境")
    b = dict(objective_code="BC1", objective_name="強化水資源運用", theme_code="B", theme_name="健全都市發展")
    kpis = [
        Kpi("AC1.1", "細懸浮微粒年平均濃度", **a, measures=[
            measure(1, num("12.9", 12.9), num("12.3", 12.3), direction="negative",
                    plans=[ActionPlan("AC1.1.1", "臺北市清新空氣行動計畫")]),
        ]),
        Kpi("AC1.2", "資源回收率", **a, measures=[
            measure(1, num("100", 100.0), num("95", 95.0),
                    plans=[ActionPlan("AC1.2.1", "資源回收計畫"), ActionPlan("AP4.2.1", "辦理山坡地工程"), ActionPlan(None, "無代碼計畫")]),
            measure(2, num("≧80", 80.0, ">="),
                    Value(raw="因疫情停辦", note="因疫情停辦", kind="none"), page=4),
        ]),
        Kpi("BC1.1", "水量誤差", **b, measures=[
            measure(1, num("±3", 3.0, "±"), num("-2.5", -2.5), page=None),
        ]),
    ]
    counts = [
        ThemeCount("A", "營造永續環境", 1, 2, 4, 1, 2, 3),  # plans mismatch
        ThemeCount("B", "健全都市發展", 1, 1, None, 1, 1, 0),  # plans not stated
    ]
    problems = [
        Problem("repair", "plan_code_prefix", raw="AP4.2.1：", fixed="AP4.2.1", page=3,
                row="AC1.2", column="action_plans"),
        Problem("warning", "value_unparsed", raw="因疫情停辦", page=4, row="AC1.2"),
    ]
    return Scorecard(source_file, roc_year, kpis, counts, problems, pages=12)


@pytest.fixture
def con(tmp_path: Path):
    connection = connect(tmp_path / "kpi.duckdb")
    yield connection
    connection.close()


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}


def achieved(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int], bool | None]:
    rows = con.execute("SELECT kpi_code, measure_no, achieved FROM kpi_history").fetchall()
    return {(code, no): value for code, no, value in rows}


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# --- connect -----------------------------------------------------------------

def test_connect_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "kpi.duckdb"
    connect(db).close()
    con = connect(db)
    load_scorecard(con, make_scorecard())
    con.close()
    con = connect(db)
    assert table_counts(con)["measures"] == 4
    con.close()


def test_connect_locked_by_other_process(tmp_path: Path) -> None:
    db = tmp_path / "kpi.duckdb"
    connect(db).close()
    with lock_held(db), pytest.raises(WarehouseLocked, match="warehouse is locked by another process"):
        connect(db)



def test_connect_waits_for_the_lock_to_be_released(tmp_path: Path) -> None:
    """A lock another process gives up within `wait` seconds: tried again until the file opens."""
    db = tmp_path / "kpi.duckdb"
    connect(db).close()
    with lock_held(db, release_after=0.5):
        con = connect(db, wait=60)
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)
        con.close()


def test_connect_gives_up_after_waiting(tmp_path: Path) -> None:
    db = tmp_path / "kpi.duckdb"
    connect(db).close()
    with lock_held(db), pytest.raises(WarehouseLocked, match=r"locked by another process \(waited 0\.3 s\)$"):
        connect(db, wait=0.3)

# --- load and kpi_history --------------------------------------------------

def test_load_returns_row_counts(con) -> None:
    counts = load_scorecard(con, make_scorecard(), sha256="ab" * 32)
    assert counts == {
        "documents": 1, "themes": 2, "objectives": 2, "kpis": 3, "measures": 4,
        "action_plans": 4, "extra_columns": 0, "repairs": 2, "reconciliation": 6, "observations": 0, "scores": 0,
    }
    assert counts == table_counts(con)
    assert con.execute("SELECT document_id, sha256, roc_year, pages FROM documents").fetchall() == [
        ("report-110.pdf", "ab" * 32, 110, 12)
    ]


def test_kpi_history_columns_and_rows(con) -> None:
    load_scorecard(con, make_scorecard())
    names = [d[0] for d in con.execute("SELECT * FROM kpi_history LIMIT 0").description]
    assert names[: len(CONTRACT)] == CONTRACT
    assert list(KPI_HISTORY_COLUMNS) == CONTRACT
    rows = con.execute(
        f"SELECT {', '.join(CONTRACT)} FROM kpi_history WHERE kpi_code = 'AC1.2' AND measure_no = 1"
    ).fetchall()
    assert [dict(zip(CONTRACT, r, strict=True)) for r in rows] == [{
        "roc_year": 110, "theme_code": "A", "theme_name": "營造永續環境",
        "objective_code": "AC1", "objective_name": "提升環境品質",
        "kpi_code": "AC1.2", "kpi_name": "資源回收率", "measure_no": 1,
        "formula": "公式1", "unit": "%", "direction": "positive",
        "action_plans": "AC1.2.1 資源回收計畫\nAP4.2.1 辦理山坡地工程\n無代碼計畫",
        "agency": "環保局", "target_raw": "100", "target_value": 100.0, "target_op": None,
        "actual_raw": "95", "actual_value": 95.0, "actual_op": None, "achieved": False,
        "source_file": "samples/report-110.pdf", "page": 3,
    }]
    assert con.execute("SELECT count(*) FROM kpi_history").fetchone()[0] == 4


def test_achieved_cases(con) -> None:
    load_scorecard(con, make_scorecard())
    assert achieved(con) == {
        ("AC1.1", 1): True,   # negative direction: 12.3 <= 12.9
        ("AC1.2", 1): False,  # positive: 95 < 100
        ("AC1.2", 2): None,   # actual has no number
        ("BC1.1", 1): True,   # '±': |-2.5| <= 3
    }


@pytest.mark.parametrize(
    ("op", "direction", "target", "actual", "expected"),
    [
        (None, "positive", 10, 10, True),
        (None, "positive", 10, 9, False),
        (None, "negative", 10, 10, True),
        (None, "negative", 10, 11, False),
        ("<=", "positive", 10, 10, True),
        ("<=", "positive", 10, 11, False),
        (">=", "negative", 10, 10, True),
        (">=", "negative", 10, 9, False),
        ("<", "positive", 10, 10, False),
        ("<", "positive", 10, 9.5, True),
        (">", "negative", 10, 10, False),
        (">", "negative", 10, 10.5, True),
        ("±", "positive", 3, -3, True),
        ("±", "positive", 3, 3.1, False),
        (None, "positive", None, 3, None),
    ],
)
def test_achieved_honours_op_and_direction(con, op, direction, target, actual, expected) -> None:
    target_value = Value(raw=str(target), value=target, op=op, kind="number" if target is not None else "none")
    kpi = Kpi("AC1.1", "k", "AC1", "o", "A", "t", measures=[
        measure(1, target_value, num(str(actual), actual), direction=direction),
    ])
    load_scorecard(con, Scorecard("x.pdf", 110, [kpi], [], []))
    assert achieved(con) == {("AC1.1", 1): expected}


def test_action_plans_repairs_reconciliation(con) -> None:
    load_scorecard(con, make_scorecard())
    plans = con.execute(
        "SELECT kpi_code, measure_no, plan_no, plan_code, plan_name FROM action_plans "
        "ORDER BY kpi_code, measure_no, plan_no"
    ).fetchall()
    assert plans == [
        ("AC1.1", 1, 1, "AC1.1.1", "臺北市清新空氣行動計畫"),
        ("AC1.2", 1, 1, "AC1.2.1", "資源回收計畫"),
        ("AC1.2", 1, 2, "AP4.2.1", "辦理山坡地工程"),
        ("AC1.2", 1, 3, None, "無代碼計畫"),
    ]
    repairs = con.execute(
        'SELECT document, kind, what, page, "row", "column", raw, fixed FROM repairs ORDER BY problem_no'
    ).fetchall()
    assert repairs[0] == ("samples/report-110.pdf", "repair", "plan_code_prefix", 3, "AC1.2",
                          "action_plans", "AP4.2.1：", "AP4.2.1")
    assert repairs[1][1:4] == ("warning", "value_unparsed", 4)
    recon = con.execute(
        "SELECT theme_code, item, stated, counted, ok FROM reconciliation WHERE ok IS NOT TRUE "
        "ORDER BY theme_code, item"
    ).fetchall()
    assert recon == [("A", "action_plans", 4, 3, False), ("B", "action_plans", None, 0, None)]
    assert summary(con) == {
        "documents": 1, "kpis": 3, "measures": 4, "problems": 2,
        "repairs": 1, "warnings": 1, "mismatches": 1, "conflicts": 0, "identities": 3,
    }


def test_document_id_is_file_name() -> None:
    assert document_id("samples/report-110.pdf") == "report-110.pdf"
    assert document_id(r"C:\data\report-110.pdf") == "report-110.pdf"


# --- reload and rollback ---------------------------------------------------

def test_reload_replaces_rows(con) -> None:
    load_scorecard(con, make_scorecard())
    load_scorecard(con, make_scorecard(roc_year=109, source_file="h-109.pdf"))
    before = everything(con)
    load_scorecard(con, make_scorecard())
    load_scorecard(con, make_scorecard())
    assert everything(con) == before
    assert table_counts(con)["documents"] == 2 and table_counts(con)["measures"] == 8


def test_reload_keeps_nothing_of_the_earlier_reading(con, tmp_path: Path) -> None:
    """A document read differently the second time: the warehouse is what loading only the second
    reading makes, every value of every table (none of the first reading's left behind)."""
    changed = make_scorecard()
    ac11 = changed.kpis[0]
    changed.kpis[0] = replace(ac11, name="細懸浮微粒(PM2.5)年平均濃度", measures=[
        replace(ac11.measures[0], actual=num("11.8", 11.8), agency="環保局空保處",
                action_plans=[ActionPlan("AC1.1.1", "清新空氣行動計畫"), ActionPlan("AC1.1.2", "低碳運輸")])])
    del changed.kpis[1].measures[1]  # a measure no longer read
    changed.problems = changed.problems[:1]
    load_scorecard(con, make_scorecard(roc_year=109, source_file="h-109.pdf"))
    load_scorecard(con, make_scorecard())
    load_scorecard(con, changed)
    fresh = connect(tmp_path / "fresh.duckdb")
    try:
        load_scorecard(fresh, make_scorecard(roc_year=109, source_file="h-109.pdf"))
        load_scorecard(fresh, changed)
        assert everything(con) == everything(fresh)
    finally:
        fresh.close()
    history = con.execute("SELECT kpi_name, actual_raw, actual_value, agency, action_plans FROM kpi_history "
                          "WHERE source_file = 'samples/report-110.pdf' AND kpi_code = 'AC1.1'").fetchall()
    assert history == [("細懸浮微粒(PM2.5)年平均濃度", "11.8", 11.8, "環保局空保處", "AC1.1.1 清新空氣行動計畫\nAC1.1.2 低碳運輸")]


def test_reload_same_file_name_from_other_folder_replaces(con) -> None:
    load_scorecard(con, make_scorecard("a/report-110.pdf"))
    load_scorecard(con, make_scorecard("b/report-110.pdf"))
    assert con.execute("SELECT source_file FROM documents").fetchall() == [("b/report-110.pdf",)]
    assert table_counts(con)["measures"] == 4


def test_failed_load_leaves_prior_data(con, monkeypatch: pytest.MonkeyPatch) -> None:
    load_scorecard(con, make_scorecard())
    before = snapshot(con)
    real_insert = load._insert_rows

    def insert_then_fail(con_, table, rows):
        if table == "measures":
            raise RuntimeError("boom")
        return real_insert(con_, table, rows)

    monkeypatch.setattr(load, "_insert_rows", insert_then_fail)
    changed = make_scorecard()
    changed.kpis[0] = dataclasses.replace(changed.kpis[0], name="改名")
    with pytest.raises(RuntimeError, match="boom"):
        load_scorecard(con, changed)
    assert snapshot(con) == before
    monkeypatch.undo()
    load_scorecard(con, changed)  # the connection is usable afterwards
    assert con.execute("SELECT kpi_name FROM kpis WHERE kpi_code = 'AC1.1'").fetchone() == ("改名",)


def test_constraint_violation_rolls_back(con) -> None:
    load_scorecard(con, make_scorecard())
    before = snapshot(con)
    bad = make_scorecard()
    bad.kpis[0].measures[0] = replace(bad.kpis[0].measures[0], direction="sideways")  # fails a CHECK
    with pytest.raises(duckdb.ConstraintException):
        load_scorecard(con, bad)
    assert snapshot(con) == before


def test_a_row_twice_in_one_document_is_left_out_with_a_warning(con) -> None:
    """An inconsistency inside one document (a table read twice) never fails its whole load."""
    twice = make_scorecard()
    twice.kpis.append(twice.kpis[0])  # the same KPI code, measures and plans again
    load_scorecard(con, twice)
    assert con.execute("SELECT count(*) FROM kpis").fetchone()[0] == len(make_scorecard().kpis)
    left_out = con.execute("SELECT raw FROM repairs WHERE what = 'duplicate_row_left_out' ORDER BY problem_no").fetchall()
    assert [raw.split(" ")[0] for (raw,) in left_out] == ["kpis", "measures", "action_plans"]
    assert "'kpi_code': 'AC1.1'" in left_out[0][0]
    # the warnings go on the document's problem numbers, after its own problems, with no gap
    numbers = [n for (n,) in con.execute("SELECT problem_no FROM repairs ORDER BY problem_no").fetchall()]
    assert numbers == list(range(1, len(twice.problems) + 4))


# --- export ------------------------------------------------------------------

def test_export_csv(con, tmp_path: Path) -> None:
    load_scorecard(con, make_scorecard())
    out = tmp_path / "open-data"
    paths = export_csv(con, out)
    assert [p.name for p in paths if p.suffix == ".csv"] == [f"{t.name}.csv" for t in export.TABLES]
    assert (out / "kpi_history.parquet").exists() and (out / "datapackage.json").exists()
    rows = read_csv(out / "kpi_history.csv")
    assert rows[0][: len(CONTRACT)] == CONTRACT
    body = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert [(r["kpi_code"], r["measure_no"], r["achieved"]) for r in body] == [
        ("AC1.1", "1", "true"), ("AC1.2", "1", "false"), ("AC1.2", "2", ""), ("BC1.1", "1", "true"),
    ]
    assert body[0]["target_value"] == "12.9" and body[3]["page"] == ""
    assert body[1]["action_plans"].split("\n")[1] == "AP4.2.1 辦理山坡地工程"
    repairs = next(t for t in export.TABLES if t.name == "repairs")
    assert read_csv(out / "repairs.csv")[0] == [f.name for f in repairs.fields]
    recon = read_csv(out / "reconciliation.csv")
    assert recon[0] == ["document", "theme_code", "theme_name", "scope", "item", "stated", "counted", "ok", "by_values"]
    assert [r[4] for r in recon[1:4]] == ["objectives", "kpis", "action_plans"]
    assert recon[3][-2] == "false" and recon[6][-2] == "" and recon[3][-1] == ""
    assert not list(out.glob(".*.tmp"))


def test_reexport_is_byte_identical(con, tmp_path: Path) -> None:
    load_scorecard(con, make_scorecard())
    load_scorecard(con, make_scorecard(roc_year=109, source_file="h-109.pdf"))
    first = {p.name: p.read_bytes() for p in export_csv(con, tmp_path / "one")}
    load_scorecard(con, make_scorecard())  # reload changes loaded_at only
    second = {p.name: p.read_bytes() for p in export_csv(con, tmp_path / "two")}
    assert first == second
    again = {p.name: p.read_bytes() for p in export_csv(con, tmp_path / "one")}
    assert again == first


def test_export_orders_codes_naturally(con, tmp_path: Path) -> None:
    kpis = [
        Kpi(code, "k", obj, "o", theme, "t", measures=[measure(1, num("1", 1), num("1", 1))])
        for theme, obj, code in [
            ("A", "AC10", "AC10.1"), ("A", "AC2", "AC2.10"), ("A", "AC2", "AC2.9"), ("A", "AC2", "AC2.1"),
        ]
    ]
    load_scorecard(con, Scorecard("x.pdf", 110, kpis, [], []))
    rows = read_csv(export_csv(con, tmp_path)[0])[1:]
    assert [r[CONTRACT.index("kpi_code")] for r in rows] == ["AC2.1", "AC2.9", "AC2.10", "AC10.1"]


def test_natural_key_sql() -> None:
    codes = ["AC1.10", "AC1.9", "AC1", "B1.1", "AC1.1"]
    values = ", ".join(f"('{c}')" for c in codes)
    got = duckdb.sql(f"SELECT c FROM (VALUES {values}) v(c) ORDER BY {natural_key('c')}").fetchall()
    assert [c for (c,) in got] == ["AC1", "AC1.1", "AC1.9", "AC1.10", "B1.1"]


def test_migration_004_keeps_links_and_fills_identities(tmp_path: Path) -> None:
    """A warehouse written by schema 3 (kpi_links without previous_*, no kpi_identities or
    link_state) upgraded through migrations/004: its links kept, an identity row for each, and the
    next load relinks it all."""
    db = tmp_path / "old.duckdb"
    shutil.copyfile(Path(__file__).parent / "samples" / "warehouse-schema-3.duckdb", db)
    with duckdb.connect(str(db), read_only=True) as old:
        links = old.execute("SELECT * FROM kpi_links ORDER BY ALL").fetchall()
    con = connect(db)
    assert con.execute("SELECT * EXCLUDE (previous_document, previous_code, previous_name) FROM kpi_links ORDER BY ALL").fetchall() == links
    identities = con.execute("SELECT kpi_id FROM kpi_identities ORDER BY kpi_id").fetchall()
    assert identities == sorted({(kpi_id,) for _, _, _, kpi_id, *_ in links})
    assert con.execute("SELECT count(*) FROM link_state").fetchone() == (0,)
    load_scorecard(con, make_scorecard())
    assert con.execute("SELECT count(*) FROM link_state").fetchone() == (1,)
    con.close()
