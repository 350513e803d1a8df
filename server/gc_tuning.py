"""Garbage-collector settings for a serving process (never for tests or a library user).

A request allocates thousands of short-lived objects, and with many requests in flight
some outlive the young generations, so CPython runs full collections every few hundred
requests, each walking every object start-up built (schema, catalog, caches). Freezing
those objects once the server has started took a one-code request from ~1,060 to ~1,250
requests/s (bench/RESULTS.md, "Optimisations"); raising the young threshold added nothing.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Move everything alive now (it lives as long as the process) out of the collector's
    sight: full collections then walk only what requests allocate."""
    gc.collect()
    gc.freeze()
