"""Prometheus metrics: requests by operation and outcome, latency, query cost, errors by
code, the loaded releases, and the compiled plans (whether they are on, the private-API
checks that turned them off, the requests they left to the full path, by reason). With
several workers, counts go through prometheus_client's multiprocess mode (`hcpcs serve`
sets PROMETHEUS_MULTIPROC_DIR) so /metrics sums them all."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.requests import Request
from starlette.responses import Response

if TYPE_CHECKING:  # the type alone: importing the schema builds it
    from hcpcs_graph.schema.compiled import Compiled

MAX_OPERATIONS = 200  # operation names come from clients: bound the label values
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


class Metrics:
    def __init__(self) -> None:
        self.multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        self.registry = CollectorRegistry()
        self._operations: set[str] = set()
        # (operation, outcome) -> its request counter and latency histogram: labels() takes
        # a lock and checks its arguments on every call. Bounded as the operations are.
        self._series: dict[tuple[str, str], tuple[Any, Any]] = {}
        self.requests = Counter(
            "hcpcs_requests",
            "GraphQL requests by operation name and outcome (ok, error, http_4xx, http_5xx).",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "hcpcs_request_duration_seconds",
            "Time to answer a GraphQL request.",
            ["operation"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        self.cost = Histogram(
            "hcpcs_query_cost",
            "Objects a query could return (extensions.cost.requested).",
            buckets=(1, 10, 50, 100, 500, 1000, 5000, 10000, 20000),
            registry=self.registry,
        )
        self.errors = Counter(
            "hcpcs_graphql_errors",
            "GraphQL errors by extensions.code.",
            ["code"],
            registry=self.registry,
        )
        self.releases = Gauge(
            "hcpcs_release_loaded",
            "1 for each release the database holds.",
            ["release"],
            registry=self.registry,
            multiprocess_mode="max",
        )
        self.fast_path = Gauge(
            "hcpcs_fast_path_enabled",
            "1 when compiled plans answer documents answered before; 0 when a check of "
            "Strawberry's and graphql-core's private parts failed at start (or "
            "HCPCS_PLAN_CACHE_MB is 0), and every request takes the full path.",
            registry=self.registry,
            multiprocess_mode="min",  # 0 when any worker's plans are off
        )
        self.check_failures = Counter(
            "hcpcs_private_api_check_failures",
            "Checks of Strawberry's and graphql-core's private parts (schema/private_api.py) "
            "that failed when a worker built its schema, by check.",
            ["check"],
            registry=self.registry,
        )
        self.plan_fallbacks = Counter(
            "hcpcs_plan_fallbacks",
            "Requests for a document answered before that its compiled plan left to the "
            "full path, by reason.",
            ["reason"],
            registry=self.registry,
        )
        self._fallbacks: dict[str, Any] = {}  # reason -> its counter (a bounded set)

    def operation(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if not _NAME.fullmatch(name):
            return "invalid"
        if name not in self._operations:
            if len(self._operations) >= MAX_OPERATIONS:
                return "other"
            self._operations.add(name)
        return name

    def observe(
        self,
        operation: str | None,
        status: int,
        seconds: float,
        cost: int | None,
        codes: list[str],
    ) -> None:
        name = self.operation(operation)
        if status >= 500:
            outcome = "http_5xx"
        elif status >= 400:
            outcome = "http_4xx"
        else:
            outcome = "error" if codes else "ok"
        series = self._series.get((name, outcome))
        if series is None:
            series = (self.requests.labels(name, outcome), self.latency.labels(name))
            self._series[(name, outcome)] = series
        series[0].inc()
        series[1].observe(seconds)
        if cost is not None:
            self.cost.observe(cost)
        for code in codes:
            self.errors.labels(code).inc()

    def watch_plans(self, compiled: Compiled) -> None:
        """Report whether `compiled`'s plans are on, the checks that turned them off, and
        from now on each request they leave to the full path."""
        self.fast_path.set(1 if compiled.enabled and compiled.prepared.enabled else 0)
        for check in compiled.failed_checks:
            self.check_failures.labels(check).inc()
        compiled.report = self.plan_fallback

    def plan_fallback(self, reason: str) -> None:
        counter = self._fallbacks.get(reason)
        if counter is None:
            counter = self._fallbacks[reason] = self.plan_fallbacks.labels(reason)
        counter.inc()

    def releases_loaded(self, releases: list[str]) -> None:
        for release in releases:
            self.releases.labels(release).set(1)

    def exposition(self) -> bytes:
        if self.multiprocess:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)


async def metrics_endpoint(request: Request) -> Response:
    metrics: Metrics = request.app.state.metrics
    snapshot = await request.app.state.database.snapshot()
    metrics.releases_loaded([r.id for r in snapshot.catalog.releases])
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
