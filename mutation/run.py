"""Mutation testing of extract/, normalize/ and warehouse/: mutmut makes the mutants (configured in pyproject.toml).

mutmut names a mutant by its file's path (`extract/page.py` → `extract.page.…`) and switches it on only
in functions whose module has that name, but the tests import `kpi_scorecard.extract.page`. So the
run happens in a staging copy laid out as the wheel is (`src/kpi_scorecard/extract/…`; mutmut drops
the `src.`), in `build/mutation/`, where the names agree.

    .venv/bin/python mutation/run.py --sample 25 --seed 7     # a random sample per package: the score
    .venv/bin/python mutation/run.py --names-file build/mutation-sample.txt   # the same mutants again
    .venv/bin/python mutation/run.py kpi_scorecard.normalize.codes.*   # mutmut's own run (names or patterns)

The score is this script's own check, not mutmut's run: each drawn mutant is switched on
(MUTANT_UNDER_TEST) in a pytest run of the tests that cover its function, one mutant at a time,
with a time limit. A test covers a function when it calls it, or when it uses a module or session
fixture whose building called it (mutation/covers.py records both in one run of the suite; mutmut
itself credits a shared fixture's calls to the one test that built it). The tests that call the
function themselves ("mutmut's selection") and the other tests covering it run in four parts, each
part only if the ones before all passed: the quick ones (a second or less) of the first, the quick
ones of the others, then the slower ones of each (a slow test of the function's own, a CLI run
through LibreOffice, is not let to use up the budget before a quick fixture test that catches the
mutant has run). A mutant no test covers counts as not caught. A mutant past its time limit (3
times its tests' clean time, and 90 s) counts as caught, as in mutmut; one that no test has caught
within the budget (--budget seconds; 0: none) counts as not caught ("cut"). In each part the test
files exercising its module most for their time run first.

Then `cd build/mutation && ../../.venv/bin/mutmut show NAME` shows a mutant's diff. Survivors are
killed by a test or listed in mutation/equivalent.md with the reason.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGE = ROOT / "build" / "mutation"
PACKAGES = ("extract", "normalize", "warehouse")
MUTMUT = [sys.executable, "-c", "import sys; from mutmut.__main__ import cli; sys.exit(cli())"]
CAUGHT = ("killed", "timeout")
COVERS = ROOT / "build" / "mutation-covers.json"  # the last map of which tests cover which function
QUICK = 1.0  # seconds: a test this quick runs before the slower ones


def stage() -> None:
    """The checkout copied as the wheel lays it out; mutmut's results (mutants/) are kept while nothing changed."""
    sources = [(ROOT / "kpi_scorecard", "src/kpi_scorecard"), (ROOT / "tests", "tests"), (ROOT / "samples", "samples"),
               *[(ROOT / p, f"src/kpi_scorecard/{p}") for p in (*PACKAGES, "samples")]]
    files = ["pyproject.toml", "run_pipeline.py", "README.md", "mutation/covers.py"]
    digest = hashlib.sha256()
    for path in sorted(p for source, _ in sources for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    for name in files:
        digest.update((ROOT / name).read_bytes())
    if (STAGE / "digest").is_file() and (STAGE / "digest").read_text() == digest.hexdigest():
        return
    shutil.rmtree(STAGE, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for source, target in sources:
        shutil.copytree(source, STAGE / target, ignore=ignore, dirs_exist_ok=True)
    for name in files[:3]:
        shutil.copy2(ROOT / name, STAGE / name)
    (STAGE / "digest").write_text(digest.hexdigest())


def mutmut(*args: str, capture: bool = False) -> str:
    env = dict(os.environ, PYTHONPATH=str(STAGE / "mutants" / "src"))  # CLI subprocesses run the mutant too
    done = subprocess.run([*MUTMUT, *args], cwd=STAGE, env=env, text=True, check=not capture,
                          stdout=subprocess.PIPE if capture else None)
    return done.stdout or ""


def generate() -> list[str]:
    """mutmut's first step alone: every mutant written into mutants/, none run; their names."""
    code = ("from mutmut.__main__ import *; from mutmut.__main__ import _run; import os\n"
            "set_mutant_under_test('mutant_generation'); os.makedirs('mutants', exist_ok=True)\n"
            "copy_src_dir(); copy_also_copy_files(); setup_source_paths(); create_mutants(1)")
    subprocess.run([sys.executable, "-c", code], cwd=STAGE, check=True, stdout=subprocess.DEVNULL)
    return sorted(re.findall(r"^\s+(\S+): ", mutmut("results", "--all", "true", capture=True), re.M))


def pytest_args() -> list[str]:
    """The suite as mutmut runs it (pyproject.toml's [tool.mutmut] pytest_add_cli_args)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return ["-q", "--tb=no", "-p", "no:randomly", *config["tool"]["mutmut"]["pytest_add_cli_args"]]


def pytest(tests: list[str], mutant: str, timeout: float, *extra: str) -> int | None:
    """pytest's exit code with the mutant switched on; None past the time limit."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}  # a missing program skips, as on a developer's machine
    env.update(MUTANT_UNDER_TEST=mutant, PYTHONPATH=os.pathsep.join([str(STAGE / "mutants" / "src"), str(ROOT / "mutation")]))
    out = open(STAGE / "covers.log", "w") if mutant == "stats" else subprocess.DEVNULL  # the suite's report, if it fails
    process = subprocess.Popen([sys.executable, "-m", "pytest", *pytest_args(), *extra, *tests], cwd=STAGE / "mutants",
                               env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)  # the run and the helpers or CLI runs it started
        process.wait()
        return None


def covers(reuse: bool) -> dict:
    """Which tests cover each function (mutation/covers.py), from a run of the suite, kept with the stage.

    With `reuse`, the map recorded before (build/mutation-covers.json) is kept for the test files
    unchanged since, and only changed or new test files run; a changed helper or conftest runs all.
    """
    path = STAGE / "covers.json"
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    files = {f"tests/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((STAGE / "tests").glob("*.py"))}
    old = json.loads(COVERS.read_text(encoding="utf-8")) if reuse and COVERS.is_file() else None
    changed = sorted(f for f, d in files.items() if old and old["files"].get(f) != d)
    if old is None or any(not Path(f).name.startswith("test_") for f in changed):
        old, changed = None, []
    if old is None or changed:
        print(f"running {' '.join(changed) or 'the suite'} to see which tests cover which function …", flush=True)
        os.environ["MUTATION_COVERS"] = str(path)
        code = pytest(changed, "stats", 4 * 3600, "-p", "covers")
        if code != 0 or not path.is_file():
            path.unlink(missing_ok=True)
            sys.exit(f"the tests fail without a mutant (pytest exit {code}, build/mutation/covers.log): fix that first")
    new = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"direct": {}, "fixtures": {}, "seconds": {}}
    if old is not None:  # the old map's tests of files unchanged, and the new run's
        kept = {f for f in files if f not in changed}
        for key in ("direct", "fixtures"):
            for function, tests in old[key].items():
                new[key][function] = sorted({*new[key].get(function, []), *(t for t in tests if t.split("::")[0] in kept)})
        new["seconds"] |= {t: s for t, s in old["seconds"].items() if t.split("::")[0] in kept}
    new["files"] = files
    path.write_text(json.dumps(new), encoding="utf-8")
    COVERS.write_text(json.dumps(new), encoding="utf-8")
    return new


def check(name: str, cover: dict, budget: float) -> tuple[str, str, float]:
    """(verdict of the tests calling the function themselves, of every test covering it, seconds)."""
    start = time.perf_counter()
    function = name.rsplit("__mutmut_", 1)[0]
    own = cover["direct"].get(function, [])
    rest = sorted(set(cover["fixtures"].get(function, [])) - set(own))
    if not own:
        return "no tests", "no tests", 0.0
    module = function.rsplit(".", 1)[0]
    module_calls: dict[str, set[str]] = {}  # test → the functions of the mutant's module it calls
    for f, tests in cover["direct"].items():
        if f.rsplit(".", 1)[0] == module:
            for t in tests:
                module_calls.setdefault(t, set()).add(f)

    def verdict(tests: list[str]) -> str:
        seconds = cover["seconds"]
        files: dict[str, list[str]] = {}
        for test in tests:
            files.setdefault(test.split("::")[0], []).append(test)
        # a mutant ends at the first failure (-x): the files that exercise its module most for their
        # time first (reach: the most of the module's functions one of its tests calls, so a module's
        # own tests come before those that pass through it), a file's tests together so that its
        # module fixtures are built once in each part
        reach = {f: max(len(module_calls.get(t, ())) for t in ts) for f, ts in files.items()}
        cost = {f: (1 + sum(seconds.get(t, 0) for t in ts)) / (1 + reach[f]) for f, ts in files.items()}
        by_file = [t for f in sorted(files, key=cost.__getitem__) for t in files[f]]
        hang = 90 + 3 * sum(seconds.get(t, 0) for t in tests)
        left = start + budget - time.perf_counter() if budget else hang  # budget 0: every covering test runs
        if left <= 0:
            return "cut"
        code = pytest(by_file, name, min(hang, left), "-x")
        if code is None:
            return "timeout" if hang <= left else "cut"
        if code in (0, 1):
            return ("survived", "killed")[code]
        return "killed" if code in (2, 3) else f"error {code}"  # 2: a module fails to import; 4, 5: no such test

    def quick(tests: list[str], is_quick: bool) -> list[str]:
        return [t for t in tests if (cover["seconds"].get(t, 0) <= QUICK) == is_quick]

    # the mutant's verdict by its own tests (mutmut's selection) and by every test covering it
    parts = [("own", quick(own, True)), ("rest", quick(rest, True)), ("own", quick(own, False)), ("rest", quick(rest, False))]
    for n, (whose, tests) in enumerate(parts):
        if not tests:
            continue
        found = verdict(tests)
        if found != "survived":
            if whose == "own":
                return found, found, time.perf_counter() - start
            # caught by a fixture test: mutmut's selection decides by its slower tests, if any are left
            slower = [t for w, ts in parts[n + 1:] if w == "own" for t in ts]
            return (verdict(slower) if slower else "survived"), found, time.perf_counter() - start
    return "survived", "survived", time.perf_counter() - start


def score(chosen: dict[str, list[str]], title: str, log: Path, reuse: bool, budget: float) -> None:
    """Check the chosen mutants one at a time (results kept in `log`, so a stopped run goes on) and print the score."""
    known = set(generate())
    cover = covers(reuse)
    gone = [n for picked in chosen.values() for n in picked if n not in known]  # the code changed under them
    chosen = {p: [n for n in picked if n in known] for p, picked in chosen.items()}
    (ROOT / "build" / "mutation-sample.txt").write_text("".join(f"{n}\n" for picked in chosen.values() for n in picked))
    done = {}
    if log.is_file():
        done = {r["name"]: r for r in map(json.loads, log.read_text().splitlines())}
    # the packages taken in turn: a run stopped early has checked about as many of each
    todo = [n for row in zip_longest(*chosen.values()) for n in row if n is not None and n not in done]
    print(f"{title}: {len(todo)} mutants to check, {len(done)} checked before (log: {log})", flush=True)
    for i, name in enumerate(todo, 1):
        own, whole, seconds = check(name, cover, budget)
        done[name] = {"name": name, "mutmut": own, "covering": whole, "seconds": round(seconds, 1)}
        with log.open("a") as f:
            f.write(json.dumps(done[name]) + "\n")
        print(f"  {i}/{len(todo)} {own:9} {whole:9} {seconds:6.0f} s  {name}", flush=True)
    print(f"\nmutation score, {title}; a mutant no test covers counts as not caught")
    print("  package    caught by the tests that cover it   (by mutmut's selection: the tests calling it themselves)")
    totals = Counter()
    for p, picked in chosen.items():
        caught = sum(done[n]["covering"] in CAUGHT for n in picked)
        own = sum(done[n]["mutmut"] in CAUGHT for n in picked)
        totals.update(caught=caught, own=own, drawn=len(picked))
        print(f"  {p:10} {caught:3}/{len(picked)} ({100 * caught / max(len(picked), 1):3.0f} %)   ({own}/{len(picked)}, "
              f"{100 * own / max(len(picked), 1):.0f} %)  {dict(Counter(done[n]['covering'] for n in picked))}")
        for n in picked:
            if done[n]["covering"] not in CAUGHT or done[n]["mutmut"] not in CAUGHT:
                print(f"      {done[n]['mutmut']:9} {done[n]['covering']:9} {n}")
    drawn = max(totals["drawn"], 1)
    print(f"  {'total':10} {totals['caught']:3}/{totals['drawn']} ({100 * totals['caught'] / drawn:3.0f} %)   "
          f"({totals['own']}/{totals['drawn']}, {100 * totals['own'] / drawn:.0f} %)")
    if gone:
        print(f"  no longer made (their functions changed): {' '.join(gone)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="mutmut mutant names or patterns, run by mutmut itself (default: all)")
    parser.add_argument("--sample", type=int, help="this many random mutants per package: the score")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--package", action="append", choices=PACKAGES)
    parser.add_argument("--names-file", type=Path, help="the score of these mutants (one name a line), e.g. a "
                                                        "sample drawn before (build/mutation-sample.txt)")
    parser.add_argument("--max-children", default="1", help="mutmut's workers, for its own run")
    parser.add_argument("--resume", action="store_true", help="the staging copy as it is: go on with a stopped "
                                                              "run on the code and tests it began with")
    parser.add_argument("--reuse-covers", action="store_true", help="keep the last map of which tests cover which "
                                                                    "function for the test files unchanged since")
    parser.add_argument("--budget", type=float, default=150, help="seconds a mutant's tests may run; a mutant "
                        "no test has caught by then counts as not caught; 0: every covering test runs (within 90 s "
                        "and 3 times their clean time)")
    args = parser.parse_args()
    if not args.resume:
        stage()
    if args.names_file:
        names = args.names_file.read_text().split()
        chosen = {p: [n for n in names if n.startswith(f"kpi_scorecard.{p}.")] for p in PACKAGES}
        score({p: picked for p, picked in chosen.items() if picked}, f"the {len(names)} mutants of {args.names_file}",
              ROOT / "build" / f"mutation-{args.names_file.stem}.jsonl", args.reuse_covers, args.budget)
    elif args.sample:
        names = generate()
        rng = random.Random(args.seed)
        chosen = {p: rng.sample(pool, min(args.sample, len(pool))) for p in args.package or PACKAGES
                  if (pool := [n for n in names if n.startswith(f"kpi_scorecard.{p}.")])}
        score(chosen, f"{args.sample} random mutants per package (seed {args.seed})",
              ROOT / "build" / f"mutation-seed{args.seed}-{args.sample}.jsonl", args.reuse_covers, args.budget)
    else:
        mutmut("run", "--max-children", args.max_children, *args.names)


if __name__ == "__main__":
    main()
