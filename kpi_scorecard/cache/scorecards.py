"""Scorecards of documents read before: an unchanged document is not read again.

An entry is a pickled Scorecard under a key that changes with anything that could change it: the
file's bytes and name, the pages and table settings asked for (never the password), the source
of the code that reads it (extract/, normalize/, pipeline.py) and the installed PDF
libraries. Entries are written whole (temporary file, then rename); one that cannot be read is a
miss.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import kpi_scorecard
from kpi_scorecard.normalize.records import Scorecard

READER_SOURCES = ("extract/*.py", "extract/data/*", "normalize/*.py", "pipeline.py")
READER_LIBRARIES = ("pdfplumber", "pdfminer", "pypdfium2", "lxml", "tesserocr")


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/kpi-scorecard, else ~/.cache/kpi-scorecard."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kpi-scorecard"


@cache  # the sources do not change during a run
def source_version(patterns: tuple[str, ...] = READER_SOURCES, libraries: tuple[str, ...] = READER_LIBRARIES) -> str:
    """A digest of the package's source files matching patterns (paths inside kpi_scorecard, where
    a wheel has them; a checkout keeps the stages beside it, in its __path__) and of the installed
    versions of libraries."""
    digest = hashlib.sha256()
    for pattern in patterns:
        for root in map(Path, kpi_scorecard.__path__):
            for path in sorted(root.glob(pattern)):
                data = path.read_bytes()
                digest.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode() + data)
    for name in installed_versions(libraries):
        digest.update(name.encode() + b"\0")
    return digest.hexdigest()


def installed_versions(modules: tuple[str, ...]) -> list[str]:
    """The dist-info folder names (name-version) beside each module's package, found without
    importing it (importlib.metadata scans every installed package: slower than a cached run)."""
    names = []
    for module in modules:
        spec = find_spec(module)
        if spec is None or spec.origin is None:
            names.append(f"{module}-missing")
            continue
        site = Path(spec.origin).parent.parent
        names.extend(sorted(p.name for p in site.glob("*.dist-info") if p.name.lower().startswith(module)))
    return names


def scorecard_key(sha256: str, name: str, pages: list[int] | None, table_settings: dict, version: str) -> str:
    """The cache key of a document read with these settings by this version of the code."""
    spec = json.dumps([sha256, name, pages, table_settings, version], sort_keys=True, default=repr)
    return hashlib.sha256(spec.encode()).hexdigest()


def read_cached(cache_dir: Path, key: str) -> Scorecard | None:
    """The cached Scorecard under key; None when there is none or it cannot be read."""
    try:
        value = pickle.loads((cache_dir / f"{key}.pickle").read_bytes())
    except Exception:  # missing, cut short, or pickled from classes that no longer exist
        return None
    return value if isinstance(value, Scorecard) else None


def has_cached(cache_dir: Path, key: str) -> bool:
    """Whether a Scorecard is cached under key (read_cached may still find it unreadable)."""
    return (cache_dir / f"{key}.pickle").is_file()


def write_cached(cache_dir: Path, key: str, scorecard: Scorecard) -> bool:
    """Store scorecard under key; False when the cache cannot be written (it is only a cache)."""
    tmp = cache_dir / f".{key}.{os.getpid()}.tmp"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp.write_bytes(pickle.dumps(scorecard, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, cache_dir / f"{key}.pickle")
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    return True
