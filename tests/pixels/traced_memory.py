"""Peak memory of an action as tracemalloc sees it (numpy's allocations
included), for tests that bound what reading pixels costs.  Nothing is timed."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any


def traced_growth(action: Callable[[], Any]) -> int:
    """Peak traced memory during ``action`` above what was traced before it.

    The caller warms up first (imports, the codec registry, caches), so that
    one-time work is not counted; garbage from earlier tests is collected
    before tracing starts.
    """
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before
