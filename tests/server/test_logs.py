"""Log lines on their own: JSON and plain, with or without the record's unused fields."""

from __future__ import annotations

import io
import json
import logging

import pytest

from hcpcs_graph.server.logs import JSONFormatter, PlainFormatter, skip_unused_record_fields


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
