"""Mutation testing of extract/, normalize/ and warehouse/ with mutmut (configured in pyproject.toml).

mutmut names a mutant by its file's path (`extract/page.py` → `extract.page.…`) and switches it on only
in functions whose module has that name, but the tests import `kpi_scorecard.extract.page`. So the
run happens in a staging copy laid out as the wheel is (`src/kpi_scorecard/extract/…`; mutmut drops
the `src.`), in `build/mutation/`, where the names agree.

    .venv/bin/python mutation/run.py                          # every mutant (hours)
    .venv/bin/python mutation/run.py --sample 40 --seed 1      # a random sample per package: the score
    .venv/bin/python mutation/run.py --names-file build/mutation-sample.txt   # the same sample again
    .venv/bin/python mutation/run.py kpi_scorecard.normalize.codes.*   # mutmut's own name patterns

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
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGE = ROOT / "build" / "mutation"
PACKAGES = ("extract", "normalize", "warehouse")
MUTMUT = [sys.executable, "-c", "import sys; from mutmut.__main__ import cli; sys.exit(cli())"]


def stage() -> None:
    """The checkout copied as the wheel lays it out; mutmut's results (mutants/) are kept while nothing changed."""
    sources = [(ROOT / "kpi_scorecard", "src/kpi_scorecard"), (ROOT / "tests", "tests"), (ROOT / "samples", "samples"),
               *[(ROOT / p, f"src/kpi_scorecard/{p}") for p in (*PACKAGES, "samples")]]
    files = ["pyproject.toml", "run_pipeline.py", "README.md"]
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
    for name in files:
        shutil.copy2(ROOT / name, STAGE / name)
    (STAGE / "digest").write_text(digest.hexdigest())


def mutmut(*args: str, capture: bool = False) -> str:
    env = dict(os.environ, PYTHONPATH=str(STAGE / "mutants" / "src"))  # CLI subprocesses run the mutant too
    done = subprocess.run([*MUTMUT, *args], cwd=STAGE, env=env, text=True, check=not capture,
                          stdout=subprocess.PIPE if capture else None)
    return done.stdout or ""


def statuses() -> dict[str, str]:
    out = mutmut("results", "--all", "true", capture=True)
    return dict(re.findall(r"^\s+(\S+): (.+)$", out, re.M))


def generate() -> None:
    """mutmut's first step alone: every mutant written into mutants/, none run."""
    code = ("from mutmut.__main__ import *; from mutmut.__main__ import _run; import os\n"
            "set_mutant_under_test('mutant_generation'); os.makedirs('mutants', exist_ok=True)\n"
            "copy_src_dir(); copy_also_copy_files(); setup_source_paths(); create_mutants(1)")
    subprocess.run([sys.executable, "-c", code], cwd=STAGE, check=True, stdout=subprocess.DEVNULL)


def sample(size: int, seed: int, packages: list[str]) -> dict[str, list[str]]:
    """`size` mutants drawn at random per package, from every mutant mutmut makes of it."""
    generate()
    names = sorted(statuses())
    rng = random.Random(seed)
    return {p: rng.sample(pool, min(size, len(pool)))
            for p in packages if (pool := [n for n in names if n.startswith(f"kpi_scorecard.{p}.")])}


def score(chosen: dict[str, list[str]], children: str, title: str) -> None:
    """Run the chosen mutants and print the share the tests catch, per package, and the rest."""
    generate()
    known = statuses()
    gone = [n for picked in chosen.values() for n in picked if n not in known]  # the code changed under them
    chosen = {p: [n for n in picked if n in known] for p, picked in chosen.items()}
    (ROOT / "build" / "mutation-sample.txt").write_text("".join(f"{n}\n" for picked in chosen.values() for n in picked))
    mutmut("run", "--max-children", children, *[n for picked in chosen.values() for n in picked])
    status = statuses()
    print(f"\nmutation score, {title}; a mutant no test reaches ('no tests') counts as not caught")
    for p, picked in chosen.items():
        caught = sum(status[n] in ("killed", "timeout") for n in picked)
        print(f"  {p:10} {caught:3}/{len(picked)} caught ({100 * caught / max(len(picked), 1):.0f} %)  "
              f"{dict(Counter(status[n] for n in picked))}")
        for n in picked:
            if status[n] not in ("killed", "timeout"):
                print(f"      {status[n]:10} {n}")
    if gone:
        print(f"  no longer made (their functions changed): {' '.join(gone)}")
    survivors = [n for picked in chosen.values() for n in picked if status[n] == "survived"]
    if survivors:
        print("survivors against the whole test files of the tests mutmut ran (a module or session fixture's")
        print("work is credited to the test that built it, so mutmut may not run the test that checks it):")
        for name in survivors:
            print(f"      {'killed' if killed_by_files(name) else 'survived':10} {name}")


def killed_by_files(name: str) -> bool:
    """Whether the test files holding the tests mutmut ran for the mutant fail with it."""
    stats = json.loads((STAGE / "mutants" / "mutmut-stats.json").read_text())
    function = name.rsplit("__mutmut_", 1)[0]
    files = sorted({test.split("::")[0] for test in stats["tests_by_mangled_function_name"].get(function, [])})
    env = dict(os.environ, MUTANT_UNDER_TEST=name, PYTHONPATH=str(STAGE / "mutants" / "src"))
    done = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *files],
                          cwd=STAGE / "mutants", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return bool(files) and done.returncode == 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="mutmut mutant names or patterns (default: all)")
    parser.add_argument("--sample", type=int, help="this many random mutants per package: the score")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--package", action="append", choices=PACKAGES)
    parser.add_argument("--names-file", type=Path, help="the score of these mutants (one name a line), e.g. a "
                                                        "sample drawn before (build/mutation-sample.txt)")
    parser.add_argument("--max-children", default="2")
    args = parser.parse_args()
    stage()
    if args.names_file:
        names = args.names_file.read_text().split()
        chosen = {p: [n for n in names if n.startswith(f"kpi_scorecard.{p}.")] for p in PACKAGES}
        score({p: picked for p, picked in chosen.items() if picked}, args.max_children, f"the {len(names)} mutants of {args.names_file}")
    elif args.sample:
        chosen = sample(args.sample, args.seed, args.package or list(PACKAGES))
        score(chosen, args.max_children, f"{args.sample} random mutants per package (seed {args.seed})")
    else:
        mutmut("run", "--max-children", args.max_children, *args.names)


if __name__ == "__main__":
    main()
