"""Dataloaders, created per request: every link is fetched in batches, one statement per
batch, so nested fields cost the same number of queries for 10 parents as for 100."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import TypeVar

from strawberry.dataloader import DataLoader

from hcpcs_graph.db import queries
from hcpcs_graph.db.fields import CodeRow
from hcpcs_graph.db.payments import facility_queries, pfs_queries
from hcpcs_graph.db.payments import queries as payment_queries
from hcpcs_graph.db.payments.facility_queries import AscRow, OppsRow
from hcpcs_graph.db.payments.pfs_queries import LabFeeRow, LocalityRow, PfsRow
from hcpcs_graph.db.payments.queries import AspRow, DmeposRow, NdcRow
from hcpcs_graph.db.queries import CodeSet, Executor, Span

K = TypeVar("K", bound=Hashable)
G = TypeVar("G", bound=Hashable)
V = TypeVar("V")

# (payment release, code) and the like: every payment loader groups by release
PaymentKey = tuple[str, str]

# set, link value, limit, after (a code, or a search's offset: schema.ids checked it), width
PageKey = tuple[CodeSet, str | None, int, str | int | None, int]

# table (opps_payments or asc_payments), release, indicator, after (a code), limit
IndicatorPageKey = tuple[str, str, str, str | None, int]


def _grouped(
    group_of: Callable[[K], G],
    fetch: Callable[[G, list[K]], Awaitable[Mapping[K, V]]],
    missing: Callable[[], V],
) -> Callable[[list[K]], Awaitable[list[V]]]:
    """A batch function that runs one fetch per group of keys and answers in key order."""

    async def batch(keys: list[K]) -> list[V]:
        groups: dict[G, list[K]] = defaultdict(list)
        for key in keys:
            groups[group_of(key)].append(key)
        found: dict[K, V] = {}
        for group, members in groups.items():
            found.update(await fetch(group, members))
        return [found.get(key, missing()) for key in keys]

    return batch


class Loaders:
    """The request's DataLoaders, each made on first use (most requests use one or two)."""

    def __init__(
        self,
        ex: Executor,
        spans: dict[tuple[str, bool], Span | None],
        localities: dict[str, list[LocalityRow]] | None = None,
    ) -> None:
        self.ex = ex
        # the snapshot's (schema/cache.py): one per database file, shared by its requests
        self.spans = spans
        self.shared_localities = {} if localities is None else localities

    async def _span(self, codes: CodeSet) -> Span | None:
        key = (codes.release, codes.is_modifier)
        if key not in self.spans:
            self.spans[key] = await queries.search_span(self.ex, codes.release, codes.is_modifier)
        return self.spans[key]

    @functools.cached_property
    def code(self) -> DataLoader[tuple[str, bool, str], CodeRow | None]:
        return DataLoader(
            _grouped(lambda k: (k[0], k[1]), self._codes, lambda: None), max_batch_size=500
        )

    @functools.cached_property
    def history(self) -> DataLoader[tuple[bool, str], list[CodeRow]]:
        return DataLoader(_grouped(lambda k: k[0], self._history, list), max_batch_size=500)

    @functools.cached_property
    def page(self) -> DataLoader[PageKey, list[CodeRow]]:
        return DataLoader(_grouped(lambda k: (k[0], k[2], k[3]), self._pages, list))

    @functools.cached_property
    def count(self) -> DataLoader[tuple[CodeSet, str | None], int]:
        return DataLoader(_grouped(lambda k: k[0], self._counts, int))

    @functools.cached_property
    def referenced_by(self) -> DataLoader[tuple[str, str], list[CodeRow]]:
        return DataLoader(_grouped(lambda k: k[0], self._referenced_by, list), max_batch_size=500)

    async def _codes(
        self, group: tuple[str, bool], keys: list[tuple[str, bool, str]]
    ) -> dict[tuple[str, bool, str], CodeRow]:
        release, is_modifier = group
        rows = await queries.by_codes(self.ex, release, is_modifier, [k[2] for k in keys])
        return {(release, is_modifier, row.code): row for row in rows}

    async def _history(
        self, is_modifier: bool, keys: list[tuple[bool, str]]
    ) -> dict[tuple[bool, str], list[CodeRow]]:
        rows = await queries.history(self.ex, is_modifier, [k[1] for k in keys])
        out: dict[tuple[bool, str], list[CodeRow]] = defaultdict(list)
        for row in rows:
            out[(is_modifier, row.code)].append(row)
        return out

    async def _pages(
        self, group: tuple[CodeSet, int, str | int | None], keys: Sequence[PageKey]
    ) -> dict[PageKey, list[CodeRow]]:
        codes, limit, after = group
        width = max(k[4] for k in keys)  # one statement, as wide as the widest asks
        if codes.search is not None:
            offset = int(after or 0)
            span = await self._span(codes)
            rows = await queries.search_page(self.ex, codes, limit, offset, span, width)
            return dict.fromkeys(keys, rows)
        assert not isinstance(after, int)  # an offset only for a search
        values = list(dict.fromkeys(k[1] for k in keys))
        pages = await queries.page(self.ex, codes, values, limit, after, width)
        return {key: pages[key[1]] for key in keys}

    async def _counts(
        self, codes: CodeSet, keys: list[tuple[CodeSet, str | None]]
    ) -> dict[tuple[CodeSet, str | None], int]:
        span = await self._span(codes) if codes.search is not None else None
        counts = await queries.count(self.ex, codes, [k[1] for k in keys], span)
        return {(codes, value): n for value, n in counts.items()}

    async def _referenced_by(
        self, release: str, keys: list[tuple[str, str]]
    ) -> dict[tuple[str, str], list[CodeRow]]:
        rows = await queries.referenced_by(self.ex, release, [k[1] for k in keys])
        out: dict[tuple[str, str], list[CodeRow]] = defaultdict(list)
        for target, row in rows:
            out[(release, target)].append(row)
        return out

    # Payment schedules (issue 18): keyed by (schedule release, code or NDC or category),
    # one statement per release in a batch.

    @functools.cached_property
    def drug_pricing(self) -> DataLoader[PaymentKey, AspRow | None]:
        return DataLoader(_by_release(self._asp, lambda: None), max_batch_size=500)

    @functools.cached_property
    def ndcs(self) -> DataLoader[PaymentKey, list[NdcRow]]:
        return DataLoader(_by_release(self._ndcs, list), max_batch_size=500)

    @functools.cached_property
    def ndc_rows(self) -> DataLoader[PaymentKey, list[NdcRow]]:
        """By (release, 11-digit NDC)."""
        return DataLoader(_by_release(self._by_ndc, list), max_batch_size=500)

    @functools.cached_property
    def dmepos_fees(self) -> DataLoader[PaymentKey, list[DmeposRow]]:
        return DataLoader(_by_release(self._dmepos, list), max_batch_size=500)

    @functools.cached_property
    def category_codes(self) -> DataLoader[PaymentKey, list[str]]:
        return DataLoader(_by_release(self._category_codes, list))

    async def _asp(self, release: str, keys: list[PaymentKey]) -> dict[PaymentKey, AspRow]:
        rows = await payment_queries.asp_rows(self.ex, release, [k[1] for k in keys])
        return {(release, row.code): row for row in rows}

    async def _ndcs(self, release: str, keys: list[PaymentKey]) -> dict[PaymentKey, list[NdcRow]]:
        rows = await payment_queries.ndc_rows(self.ex, release, [k[1] for k in keys])
        return _lists(release, rows, lambda row: row.code)

    async def _by_ndc(self, release: str, keys: list[PaymentKey]) -> dict[PaymentKey, list[NdcRow]]:
        rows = await payment_queries.ndc_rows_by_ndc(self.ex, release, [k[1] for k in keys])
        return _lists(release, rows, lambda row: row.ndc11 or "")

    async def _dmepos(
        self, release: str, keys: list[PaymentKey]
    ) -> dict[PaymentKey, list[DmeposRow]]:
        rows = await payment_queries.dmepos_rows(self.ex, release, [k[1] for k in keys])
        return _lists(release, rows, lambda row: row.code)

    async def _category_codes(
        self, release: str, keys: list[PaymentKey]
    ) -> dict[PaymentKey, list[str]]:
        pairs = await payment_queries.category_codes(self.ex, release, [k[1] for k in keys])
        out: dict[PaymentKey, list[str]] = defaultdict(list)
        for category, code in pairs:
            out[(release, category)].append(code)
        return out

    # The physician and clinical lab fee schedules (issue 19), keyed as above.

    @functools.cached_property
    def physician_fees(self) -> DataLoader[PaymentKey, list[PfsRow]]:
        return DataLoader(_by_release(self._pfs, list), max_batch_size=500)

    @functools.cached_property
    def localities(self) -> DataLoader[str, list[LocalityRow]]:
        """By PFS release: all of its localities (about 110) in one statement."""

        async def batch(releases: list[str]) -> list[list[LocalityRow]]:
            # a file's localities never change: read once per database file, not per request
            known = self.shared_localities
            for release in releases:
                if release not in known:
                    known[release] = await pfs_queries.localities(self.ex, release)
            return [known[release] for release in releases]

        return DataLoader(batch)

    @functools.cached_property
    def pfs_status_codes(self) -> DataLoader[PaymentKey, list[str]]:
        """By (PFS release, status code): the codes with a row of that status."""
        return DataLoader(_by_release(self._pfs_status_codes, list))

    @functools.cached_property
    def lab_fees(self) -> DataLoader[PaymentKey, list[LabFeeRow]]:
        return DataLoader(_by_release(self._lab_fees, list), max_batch_size=500)

    async def _pfs(self, release: str, keys: list[PaymentKey]) -> dict[PaymentKey, list[PfsRow]]:
        rows = await pfs_queries.pfs_rows(self.ex, release, [k[1] for k in keys])
        return _lists(release, rows, lambda row: row.code)

    async def _pfs_status_codes(
        self, release: str, keys: list[PaymentKey]
    ) -> dict[PaymentKey, list[str]]:
        pairs = await pfs_queries.status_codes(self.ex, release, [k[1] for k in keys])
        out: dict[PaymentKey, list[str]] = defaultdict(list)
        for status, code in pairs:
            out[(release, status)].append(code)
        return out

    async def _lab_fees(
        self, release: str, keys: list[PaymentKey]
    ) -> dict[PaymentKey, list[LabFeeRow]]:
        rows = await pfs_queries.lab_fee_rows(self.ex, release, [k[1] for k in keys])
        return _lists(release, rows, lambda row: row.code)

    # Facility schedules (issue 19): the ASC addenda and OPPS Addendum B, keyed as above.

    @functools.cached_property
    def asc_payment(self) -> DataLoader[PaymentKey, AscRow | None]:
        return DataLoader(_by_release(self._asc_rows, lambda: None), max_batch_size=500)

    @functools.cached_property
    def outpatient_payment(self) -> DataLoader[PaymentKey, OppsRow | None]:
        return DataLoader(_by_release(self._opps_rows, lambda: None), max_batch_size=500)

    @functools.cached_property
    def apc_rows(self) -> DataLoader[PaymentKey, list[OppsRow]]:
        """By (release, APC)."""
        return DataLoader(_by_release(self._apc_rows, list), max_batch_size=500)

    @functools.cached_property
    def indicator_meanings(self) -> DataLoader[PaymentKey, dict[str, str]]:
        """By (release, scheme): indicator -> description (the ASC ZIP's Addendum DD1)."""
        return DataLoader(_by_release(self._indicator_meanings, dict))

    @functools.cached_property
    def indicator_codes(self) -> DataLoader[IndicatorPageKey, list[str]]:
        """A page of the codes carrying an indicator (see IndicatorPageKey)."""
        return DataLoader(_grouped(lambda k: (k[0], k[1], k[3], k[4]), self._indicator_codes, list))

    async def _asc_rows(self, release: str, keys: list[PaymentKey]) -> dict[PaymentKey, AscRow]:
        rows = await facility_queries.asc_rows(self.ex, release, [k[1] for k in keys])
        return {(release, row.code): row for row in rows}

    async def _opps_rows(self, release: str, keys: list[PaymentKey]) -> dict[PaymentKey, OppsRow]:
        rows = await facility_queries.opps_rows(self.ex, release, [k[1] for k in keys])
        return {(release, row.code): row for row in rows}

    async def _apc_rows(
        self, release: str, keys: list[PaymentKey]
    ) -> dict[PaymentKey, list[OppsRow]]:
        rows = await facility_queries.apc_rows(self.ex, release, [k[1] for k in keys])
        return _lists(release, rows, lambda row: row.apc or "")

    async def _indicator_meanings(
        self, release: str, keys: list[PaymentKey]
    ) -> dict[PaymentKey, dict[str, str]]:
        found = await facility_queries.indicator_meanings(self.ex, release, [k[1] for k in keys])
        out: dict[PaymentKey, dict[str, str]] = defaultdict(dict)
        for scheme, code, description in found:
            out[(release, scheme)][code] = description
        return out

    async def _indicator_codes(
        self, group: tuple[str, str, str | None, int], keys: list[IndicatorPageKey]
    ) -> dict[IndicatorPageKey, list[str]]:
        table, release, after, limit = group
        indicators = [k[2] for k in keys]
        pairs = await facility_queries.codes_by_indicator(
            self.ex, table, release, indicators, after, limit
        )
        out: dict[IndicatorPageKey, list[str]] = defaultdict(list)
        for indicator, code in pairs:
            out[(table, release, indicator, after, limit)].append(code)
        return out


def by_key(rows: Sequence[V], key: Callable[[V], str]) -> dict[str, list[V]]:
    """Rows grouped by their key, in the order read."""
    out: dict[str, list[V]] = defaultdict(list)
    for row in rows:
        out[key(row)].append(row)
    return out


def _by_release(
    fetch: Callable[[str, list[PaymentKey]], Awaitable[Mapping[PaymentKey, V]]],
    missing: Callable[[], V],
) -> Callable[[list[PaymentKey]], Awaitable[list[V]]]:
    return _grouped(lambda k: k[0], fetch, missing)


def _lists(release: str, rows: Sequence[V], key: Callable[[V], str]) -> dict[PaymentKey, list[V]]:
    """Rows grouped under (release, their key), in the order read."""
    out: dict[PaymentKey, list[V]] = defaultdict(list)
    for row in rows:
        out[(release, key(row))].append(row)
    return out
