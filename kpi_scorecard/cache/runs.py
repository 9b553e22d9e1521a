"""The record of the last run over a warehouse, so that a run with nothing to do does nothing.

A run that loaded all its inputs is recorded under its warehouse's path. A later run with the
same key (its inputs' scorecard keys, where it writes, the link override file it imported, the
warehouse code) that finds the warehouse file and every file the recorded run wrote as that run
left them would load the same rows and write the same bytes again: it reports the record
instead, without opening the warehouse.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from kpi_scorecard.cache.scorecards import source_version

WAREHOUSE_SOURCES = ("warehouse/*.py", "warehouse/*.sql", "warehouse/migrations/*.sql")

Stamp = list[int]  # a file's size and modification time (ns)


@dataclass(frozen=True)
class RunRecord:
    key: str
    warehouse: Stamp
    files: dict[str, Stamp | None]  # every file the run wrote (None: gone before the run was recorded)
    totals: dict[str, int]  # the warehouse summary it printed
    warnings: list[str]  # the count warnings it printed


def run_key(scorecard_keys: list[str], csv_dir: Path | None, links: Path | None, csv_options: tuple = ()) -> str:
    """What a run's outcome depends on, besides the warehouse it starts from."""
    spec = [
        scorecard_keys,
        str(csv_dir.resolve()) if csv_dir else None,
        list(csv_options),  # how the CSV files are written (byte order mark, header row)
        _digest(links) if links else None,
        source_version(WAREHOUSE_SOURCES, ("duckdb",)),
    ]
    return hashlib.sha256(json.dumps(spec).encode()).hexdigest()


def repeated_run(cache_dir: Path, db: Path, key: str) -> RunRecord | None:
    """The last run's record, when this run would only repeat it."""
    try:
        record = RunRecord(**json.loads(_record_path(cache_dir, db).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    unchanged = (
        record.key == key
        and _stamp(db) == record.warehouse
        and not Path(f"{db}.wal").exists()  # DuckDB's log of changes not yet in the file
        and all(_stamp(Path(path)) == stamp for path, stamp in record.files.items())
    )
    return record if unchanged else None


def record_run(
    cache_dir: Path, db: Path, key: str, written: list[Path], totals: dict[str, int], warnings: list[str]
) -> None:
    """Record a run that loaded all its inputs, after its warehouse was closed."""
    warehouse = _stamp(db)
    if warehouse is None:  # an in-memory warehouse: nothing to come back to
        return
    record = RunRecord(key, warehouse, {str(p): _stamp(p) for p in written}, totals, warnings)
    path = _record_path(cache_dir, db)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp.write_text(json.dumps(asdict(record)), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # without a record the next run does the work again: slower, never wrong
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _record_path(cache_dir: Path, db: Path) -> Path:
    return cache_dir / "runs" / f"{hashlib.sha256(str(db.resolve()).encode()).hexdigest()}.json"


def _stamp(path: Path) -> Stamp | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
