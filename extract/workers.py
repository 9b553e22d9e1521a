"""Chunks of work done in forked worker processes, results back in chunk order."""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, TypeVar

T = TypeVar("T")

# What the workers run. Set before they are forked, so they inherit it: the work (an open PDF,
# say) need not be picklable, only its chunks and results are.
_work: Callable[[list[Any]], Any] | None = None


def contiguous_chunks(items: Sequence[T], count: int) -> list[list[T]]:
    """items cut into at most `count` runs of near-equal length, in order."""
    size = max(1, math.ceil(len(items) / count))
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def map_in_workers(work: Callable[[list[T]], Any], chunks: list[list[T]], workers: int) -> Iterator[Any]:
    """work(chunk) for every chunk, run by `workers` forked processes, yielded in chunk order.

    A chunk whose work raised yields None: the caller redoes it in its own process, where the
    error surfaces as itself (named input errors do not survive pickling)."""
    global _work
    _work = work
    pool = ProcessPoolExecutor(workers, mp_context=get_context("fork"))
    try:
        yield from pool.map(_run, chunks)
    finally:
        pool.shutdown(cancel_futures=True)  # a caller that stops early does not wait for the rest
        _work = None


def _run(chunk: list[Any]) -> Any:
    try:
        return _work(chunk)
    except Exception:
        return None
