"""Garbage-collector settings for a serving process (never for tests or a library user).

A request allocates thousands of short-lived objects, and with many requests in flight
some outlive the young generations, so CPython runs full collections every few hundred
requests, each walking every object start-up built (schema, catalog, caches). Freezing
those objects once the server has started took a one-code request from ~1,060 to ~1,250
requests/s (bench/RESULTS.md, "Optimisations"). Raising the young generation's threshold
added nothing to that request, but a 500-line claim allocates ~50,000 objects: collected
every 10,000 allocations rather than 700, it costs 5% fewer instructions (callgrind, 114 M
to 109 M a claim), its garbage freed as soon as the request ends all the same (reference
counting frees what holds no cycle).
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000  # allocations between collections of the youngest generation


def freeze_startup_objects() -> None:
    """Move everything alive now (it lives as long as the process) out of the collector's
    sight: full collections then walk only what requests allocate; and collect the young
    generation less often."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
