"""Server parts on their own: persisted queries, HTTP cache validators, metrics, log lines."""

from __future__ import annotations

import hashlib
import io
import json
import logging

import pytest

from hcpcs_graph.server.http_cache import etag, matches
from hcpcs_graph.server.logs import JSONFormatter, PlainFormatter, skip_unused_record_fields
from hcpcs_graph.server.metrics import MAX_OPERATIONS, Metrics
from hcpcs_graph.server.persisted import PersistedQueries, PersistedQueryError

QUERY = "{ releases { name } }"
HASH = hashlib.sha256(QUERY.encode()).hexdigest()


def test_persisted_query_round_trip() -> None:
    store = PersistedQueries(max_bytes=8 * (len(QUERY) + 64 + 200))
    ext = {"persistedQuery": {"version": 1, "sha256Hash": HASH}}
    with pytest.raises(PersistedQueryError) as caught:
        store.resolve(None, ext)
    assert (caught.value.message, caught.value.code) == (
        "PersistedQueryNotFound",
        "PERSISTED_QUERY_NOT_FOUND",
    )
    assert store.resolve(QUERY, ext) == (QUERY, HASH)  # to remember once it has run
    with pytest.raises(PersistedQueryError):
        store.resolve(None, ext)  # not run yet: not kept
    store.remember(HASH, QUERY)
    assert store.resolve(None, ext) == (QUERY, None)
    assert store.resolve(QUERY, ext) == (QUERY, None)  # known already
    assert store.resolve(QUERY, None) == (QUERY, None)  # no extension: nothing to do
    with pytest.raises(PersistedQueryError, match="provided sha does not match query"):
        store.resolve("{ other }", ext)
    with pytest.raises(PersistedQueryError, match="PersistedQueryNotSupported"):
        store.resolve(None, {"persistedQuery": {"version": 2, "sha256Hash": HASH}})
    for i in range(8):  # bounded in bytes: the oldest is forgotten
        text = "{ releases { id } }" + "abcdefgh"[i]
        store.remember(hashlib.sha256(text.encode()).hexdigest(), text)
    with pytest.raises(PersistedQueryError):
        store.resolve(None, ext)
    assert store.size <= 8 * (len(QUERY) + 64 + 200)


def test_etags() -> None:
    tag = etag("digest", ("GET", QUERY))
    assert tag.startswith('"') and tag == etag("digest", ("GET", QUERY))
    assert tag != etag("other releases", ("GET", QUERY))
    assert matches(tag, tag) and matches(f'W/{tag}, "x"', tag)
    # `*` is not honoured: the tag is made before the query runs, and it may fail
    assert not matches(None, tag) and not matches('"x"', tag) and not matches("*", tag)


def test_metrics_bound_operation_names() -> None:
    metrics = Metrics()
    assert metrics.operation(None) == "anonymous"
    assert metrics.operation("bad name!") == "invalid"
    for i in range(MAX_OPERATIONS):
        assert metrics.operation(f"Op{i}") == f"Op{i}"
    assert metrics.operation("OneMore") == "other"
    metrics = Metrics()
    metrics.observe("Seed", 200, 0.01, 16, [])
    metrics.observe("Seed", 200, 0.02, 20_001, ["QUERY_TOO_COSTLY"])
    metrics.observe(None, 413, 0.001, None, [])
    text = metrics.exposition().decode()
    assert 'hcpcs_requests_total{operation="Seed",outcome="ok"} 1.0' in text
    assert 'hcpcs_requests_total{operation="Seed",outcome="error"} 1.0' in text
    assert 'hcpcs_requests_total{operation="anonymous",outcome="http_4xx"} 1.0' in text
    assert 'hcpcs_graphql_errors_total{code="QUERY_TOO_COSTLY"} 1.0' in text
    assert "hcpcs_query_cost_bucket" in text


def _record(**fields: object) -> logging.LogRecord:
    record = logging.LogRecord(
        "hcpcs.access", logging.INFO, __file__, 1, "POST /graphql 200", (), None
    )
    record.fields = fields  # type: ignore[attr-defined]
    return record


def test_log_lines() -> None:
    line = json.loads(JSONFormatter().format(_record(operation="Seed", cost=16, request_id="r1")))
    assert line["message"] == "POST /graphql 200" and line["level"] == "info"
    assert (line["operation"], line["cost"], line["request_id"]) == ("Seed", 16, "r1")
    plain = PlainFormatter().format(_record(operation="Seed", cost=16, request_id="r1"))
    assert plain.endswith("POST /graphql 200 operation=Seed cost=16 request_id=r1")


@pytest.fixture
def lean_records():
    saved = (logging._srcfile, logging.logThreads, logging.logProcesses, logging.logMultiprocessing)
    skip_unused_record_fields()
    yield
    logging._srcfile, logging.logThreads, logging.logProcesses, logging.logMultiprocessing = saved


def test_log_lines_lose_nothing_when_records_skip_unused_fields(lean_records: None) -> None:
    """A serving process stops records collecting caller, thread and process: both
    formats print the same, a logged exception included."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("hcpcs.test-lean")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        for formatter in (JSONFormatter(), PlainFormatter()):
            handler.setFormatter(formatter)
            logger.info("POST /graphql 200", extra={"fields": {"request_id": "r1"}})
            try:
                raise ValueError("boom")
            except ValueError:
                logger.exception("failed", extra={"fields": {}})
    finally:
        logger.removeHandler(handler)
    json_line, json_error, *plain = stream.getvalue().splitlines()
    assert json.loads(json_line)["request_id"] == "r1"
    error = json.loads(json_error)
    assert error["message"] == "failed" and "ValueError: boom" in error["exception"]
    assert plain[0].endswith("POST /graphql 200 request_id=r1")
    assert any("ValueError: boom" in line for line in plain)
