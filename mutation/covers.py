"""pytest plugin (`-p covers`, with MUTANT_UNDER_TEST=stats): which tests run each mutated function.

mutmut's trampolines note every function they are called for. mutmut credits the calls made while
a module or session fixture is built to the one test that built it, though every test asking for
the fixture reads what those calls made. Here a shared fixture's calls are its own: a function is
covered by the tests that call it themselves ("direct", as mutmut selects) and by every test that
uses a shared fixture whose building called it. A function run while a test file is imported is
covered by that file's tests ("direct": under a mutant, their run imports it the same way), one run
while conftest.py is imported by every test. Written to the file $MUTATION_COVERS names:
{"direct": {function: [test]}, "fixtures": {function: [test]}, "seconds": {test: s}}.
"""
from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from mutmut.mutation import trampoline
from mutmut.state import state

direct: defaultdict[str, set[str]] = defaultdict(set)
fixture_calls: defaultdict[tuple[str, str], set[str]] = defaultdict(set)  # (baseid, name) → functions
fixtures_of: dict[str, set[tuple[str, str]]] = {}  # test → the shared fixtures it uses
imported: defaultdict[str, set[str]] = defaultdict(set)  # test file → the functions run while importing it
seconds: defaultdict[str, float] = defaultdict(float)


def pytest_configure(config):
    # mutmut reads its configuration (pyproject.toml) relative to the folder holding mutants/
    from mutmut.configuration import config as mutmut_config
    here = os.getcwd()
    os.chdir(os.path.dirname(here))
    try:
        mutmut_config()
    finally:
        os.chdir(here)
    # this process records; a process a test starts (a CLI run in a temporary folder) runs the
    # code unmutated instead of failing to find mutmut's configuration there: its calls are not
    # seen here either way
    trampoline._mutant_under_test = os.environ.pop("MUTANT_UNDER_TEST")


@contextmanager
def recorded(into: set[str], credit_outer: bool = False) -> Iterator[None]:
    """Adds the functions called inside the block to `into`, apart from the calls around it (and,
    with credit_outer, to those as well)."""
    before, state()._stats = state()._stats, set()
    try:
        yield
    finally:
        into |= state()._stats
        state()._stats = before | state()._stats if credit_outer else before


@pytest.hookimpl(hookwrapper=True)
def pytest_collection(session):
    imported["*"] = set(state()._stats)  # conftest.py's imports, before any test file's
    state()._stats.clear()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    # code run at import time (a module's constant built by one of its functions) runs while the
    # first test file importing the module is collected: that file's tests run it, under a mutant too
    if not isinstance(collector, pytest.Module):
        yield
        return
    with recorded(imported[collector.nodeid]):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    if fixturedef.scope == "function":
        yield
        return
    # mutmut's own credit stays too: the test building the fixture calls them directly
    with recorded(fixture_calls[(fixturedef.baseid, fixturedef.argname)], credit_outer=True):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    start = time.perf_counter()
    state()._stats.clear()
    yield
    seconds[item.nodeid] += time.perf_counter() - start
    for function in state()._stats:
        direct[function].add(item.nodeid)
    state()._stats.clear()
    info = getattr(item, "_fixtureinfo", None)
    used = set()
    for name in getattr(item, "fixturenames", ()):
        defs = info.name2fixturedefs.get(name) if info else None
        if defs and defs[-1].scope != "function":
            used.add((defs[-1].baseid, defs[-1].argname))
    fixtures_of[item.nodeid] = used


def pytest_sessionfinish(session):
    by_fixture: defaultdict[str, set[str]] = defaultdict(set)
    for test, used in fixtures_of.items():
        for key in used:
            for function in fixture_calls.get(key, ()):
                by_fixture[function].add(test)
    for test in fixtures_of:  # every test run, whatever shared fixtures it uses
        for function in imported["*"] | imported.get(test.split("::")[0], set()):
            direct[function].add(test)
    with open(os.environ["MUTATION_COVERS"], "w", encoding="utf-8") as f:
        json.dump({"direct": {k: sorted(v) for k, v in direct.items()},
                   "fixtures": {k: sorted(v) for k, v in by_fixture.items()},
                   "seconds": dict(seconds)}, f)
