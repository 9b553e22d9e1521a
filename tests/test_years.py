"""Five report years, 110–114 (tests/years.py: renames, a KPI renamed twice, one added then
renamed, KPIs dropped and the later ones renumbered, an agency renamed, all drawn from a seed):
every KPI keeps one identity over the years it is printed, and the links are the same whatever
order the documents are loaded in."""
from __future__ import annotations

import functools
import itertools
import random
from html import escape

import duckdb
import pytest
from chained_years import five_years
from click.testing import CliRunner
from conftest import SAMPLES
from render import scorecard_to_text

from kpi_scorecard.cli import main
from kpi_scorecard.warehouse import connect, load_scorecard
from kpi_scorecard.warehouse.identity import Override, identity_rows, link_documents
from kpi_scorecard.warehouse.links import kpi_refs, link_all, link_loaded_document
from kpi_scorecard.warehouse.load import _insert_rows, document_id, scorecard_rows

SEEDS = (3, 11, 2024, 9110, 114)
LINKED = ("documents", "objectives", "kpis", "measures", "action_plans")  # the rows linking reads


@pytest.fixture(scope="module", params=SEEDS)
def years(request, txt_report):
    return five_years(txt_report, request.param)


def story(years) -> str:
    return "\n".join(f"{y.scorecard.roc_year}: {'; '.join(y.events)}" for y in years)


def test_the_changes_are_chained(years):
    """What the years must exercise, whatever the seed drew."""
    events = [e for y in years for e in y.events]
    renamed = [key for y in years for key in y.renamed]
    assert any(e.startswith("renumbered") for e in events) and sum(e.startswith("dropped") for e in events) == 2
    assert any(e.startswith("agency") for e in events) and any(e.startswith("added") for e in events)
    assert "added" in renamed and any(renamed.count(k) == 2 for k in renamed), story(years)


def test_every_kpi_keeps_one_identity(years):
    con = connect(":memory:")
    for year in years:
        load_scorecard(con, year.scorecard)
    truth = {(y.scorecard.source_file, code): key for y in years for code, key in y.keys.items()}
    kpi_ids: dict[str, set[str]] = {}
    keys: dict[str, set[str]] = {}
    for doc, code, kpi_id in con.execute("SELECT document_id, kpi_code, kpi_id FROM kpi_links").fetchall():
        kpi_ids.setdefault(truth[(doc, code)], set()).add(kpi_id)
        keys.setdefault(kpi_id, set()).add(truth[(doc, code)])
    assert {k: v for k, v in kpi_ids.items() if len(v) > 1} == {}, story(years)  # one identity per KPI
    assert {k: v for k, v in keys.items() if len(v) > 1} == {}, story(years)  # no two KPIs share one
    printed = {(next(iter(kpi_ids[key])), y.scorecard.roc_year): k.name
               for y in years for k in y.scorecard.kpis for key in [y.keys[k.code]]}
    trend = {(kpi_id, year): name for kpi_id, year, name in con.execute(
        "SELECT kpi_id, roc_year, kpi_name FROM kpi_trend WHERE measure_no = 1").fetchall()}
    assert trend == printed  # the years each identity has are those it was printed, under that year's name


def test_adding_any_document_to_any_set_of_the_others(txt_report):
    """Each load order is a path of steps 'add one document to those loaded'; every such step
    (80 for five documents) ends in the links and identities that linking its documents in one
    run gives, so every one of the 120 orders ends where one run does.

    A document is in the warehouse when its `documents` row is (linking reads the others' rows
    only for the documents listed there), so the other rows of all five go in once."""
    rows = [scorecard_rows(y.scorecard, document_id(y.scorecard.source_file)) for y in five_years(txt_report, SEEDS[0])]
    con = connect(":memory:")
    for table in LINKED:
        _insert_rows(con, table, [row for r in rows for row in r[table]])
    refs = [kpi_refs(con, [r["documents"][0]["document_id"]]) for r in rows]

    @functools.cache
    def expected(docs: tuple[int, ...]):
        links, identities = link_documents([ref for d in docs for ref in refs[d]])
        return sorted(tuple(vars(link).values()) for link in links), sorted(tuple(r.values()) for r in identity_rows(identities))

    def stored(con):
        return (sorted(con.execute("SELECT * FROM kpi_links").fetchall()),
                sorted(con.execute("SELECT * FROM kpi_identities").fetchall()))

    steps = 0
    for size in range(5):
        for present in itertools.combinations(range(5), size):
            for table in ("link_state", "kpi_identities", "kpi_links", "documents"):
                con.execute(f"DELETE FROM {table}")
            _insert_rows(con, "documents", [rows[d]["documents"][0] for d in present])
            link_all(con)
            assert stored(con) == expected(present)
            for new in sorted(set(range(5)) - set(present)):
                con.begin()
                _insert_rows(con, "documents", rows[new]["documents"])
                link_loaded_document(con, rows[new]["documents"][0]["document_id"], [])
                assert stored(con) == expected(tuple(sorted({*present, new}))), (present, new)
                con.rollback()
                steps += 1
    assert steps == 80


@pytest.fixture(scope="module")
def dumps(txt_report, tmp_path_factory):
    root = tmp_path_factory.mktemp("five-years")
    paths = []
    for year in five_years(txt_report, SEEDS[0])[1:]:
        path = root / year.scorecard.source_file
        path.write_text(scorecard_to_text(year.scorecard), encoding="utf-8")
        paths.append(path)
    return [SAMPLES / "h-109-deck.pdf", SAMPLES / "report-110.txt", *paths]


def snapshot(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in ("kpi_links", "kpi_trend", "kpi_identities")}


def test_loading_one_document_at_a_time_gives_one_run(dumps, tmp_path):
    """The five years as text dumps and the 109 deck, through the CLI: in one run, then one
    document a run in a shuffled order."""
    one_run = tmp_path / "one.duckdb"
    assert CliRunner().invoke(main, [*map(str, dumps), "--db", str(one_run), "--no-csv"]).exit_code == 0
    expected = snapshot(one_run)
    assert {y for (_, _, _, _, _, _, y, *_) in expected["kpi_trend"]} == {109, 110, 111, 112, 113, 114}
    shuffled = dumps[:]
    random.Random(SEEDS[0]).shuffle(shuffled)
    db = tmp_path / "shuffled.duckdb"
    for path in shuffled:
        assert CliRunner().invoke(main, [str(path), "--db", str(db), "--no-csv"]).exit_code == 0
    assert snapshot(db) == expected
    relinked = CliRunner().invoke(main, ["--db", str(db), "--no-csv", "--relink"])  # alone: loads nothing
    assert relinked.exit_code == 0 and "Loaded 0 of 0 documents" in relinked.output
    assert snapshot(db) == expected


def test_review_shows_links_below_a_clear_match_beside_the_previous_name(dumps, tmp_path):
    """report-111's review lists its renamed (and renumbered) KPIs beside their 110 names, with the
    line that pins each."""
    result = CliRunner().invoke(main, [*map(str, dumps[1:3]), "--db", str(tmp_path / "k.duckdb"), "--no-csv",
                                       "--review", str(tmp_path / "review")])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "review" / f"{dumps[2].name}.html").read_text(encoding="utf-8")
    with duckdb.connect(str(tmp_path / "k.duckdb"), read_only=True) as con:
        doubtful = con.execute(f"SELECT kpi_code, decision, previous_name, kpi_id FROM kpi_links WHERE document_id = '{dumps[2].name}' "
                               "AND decision IN ('renamed', 'renumbered', 'ambiguous')").fetchall()
    assert {d for _, d, _, _ in doubtful} >= {"renamed"}
    section = html[html.index('id="identity"'):html.index('id="problems"')]
    for code, decision, previous, kpi_id in doubtful:
        row = section[section.index(f'href="#kpi-{code}"'):]
        row = row[:row.index("</tr>")]
        assert f"<td>{decision}</td>" in row and f"<td>{escape(previous)}</td>" in row
        assert f"kpi-scorecard links pin {dumps[2].name} {code} {kpi_id}" in row


def test_a_newer_document_links_alone_and_overrides_relink_all(txt_report, monkeypatch):
    import kpi_scorecard.warehouse.links as links

    years = five_years(txt_report, SEEDS[1])

    calls = []
    monkeypatch.setattr(links, "link_all", lambda *a, **k: calls.append(1) or link_all(*a, **k))
    con = connect(":memory:")
    for year in years[:4]:
        load_scorecard(con, year.scorecard)
    assert len(calls) == 1  # the first load: no links made under these rules yet
    load_scorecard(con, years[4].scorecard)
    assert len(calls) == 1  # the newest document: linked alone
    renamed = next(y.renamed[0] for y in years[1:] if y.renamed)
    code = next(c for c, k in years[4].keys.items() if k == renamed)
    load_scorecard(con, years[4].scorecard, overrides=[Override("report-114.txt", code, "split", None)])
    assert len(calls) == 2  # the overrides changed: everything again
    assert con.execute(f"SELECT decision FROM kpi_links WHERE document_id = 'report-114.txt' AND kpi_code = '{code}'").fetchall() == [("split",)]
