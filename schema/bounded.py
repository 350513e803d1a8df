"""A least-recently-used cache bounded in bytes: what every cache of the server is built on.

Clients choose what most caches hold (query texts, documents parsed from them, answers),
so a bound in entries is no bound at all: 1,024 entries of 60 KB documents parsed to
~100x their text is gigabytes. Each entry is charged the bytes it keeps alive, key
included, as its owner estimates them; an entry larger than `largest` (an eighth of the
bound unless said) is not kept, so that one huge value cannot flush everything else.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

ENTRY_OVERHEAD = 200  # bytes of the dictionary slot, the key tuple and the size record


class BoundedCache(Generic[K, V]):
    def __init__(self, max_bytes: int, largest: int | None = None) -> None:
        self.max_bytes = max_bytes
        self.largest = max_bytes // 8 if largest is None else largest
        self.size = 0  # bytes charged for what is held now
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: K) -> bool:
        return key in self._entries

    def get(self, key: K) -> V | None:
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return found[0]

    def get_into(self, keys: Sequence[K], found: dict[K, V]) -> list[K]:
        """`get` for many keys at once: each one held is put in `found`, and the keys not
        held are returned, in order (one call for a batch: a claim asks 3,000 keys)."""
        entries = self._entries
        touch = entries.move_to_end
        missing = []
        for key in keys:
            entry = entries.get(key)
            if entry is None:
                missing.append(key)
            else:
                touch(key)
                found[key] = entry[0]
        self.misses += len(missing)
        self.hits += len(keys) - len(missing)
        return missing

    def put(self, key: K, value: V, size: int) -> bool:
        """Keep `value`, charged `size` bytes plus the entry's own; False when it is too
        large to keep."""
        size += ENTRY_OVERHEAD
        if size > self.largest:
            return False
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= old[1]
        self._entries[key] = (value, size)
        self.size += size
        while self.size > self.max_bytes:
            _, (_, freed) = self._entries.popitem(last=False)
            self.size -= freed
        return True

    def clear(self) -> None:
        self._entries.clear()
        self.size = 0
