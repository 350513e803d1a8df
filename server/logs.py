"""Logging: JSON lines for machines, plain lines on a terminal; uvicorn's logs too."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from typing import Any

import orjson


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class PlainFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s%(details)s")

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", {})
        shown = {
            k: fields[k] for k in ("operation", "cost", "errors", "request_id") if fields.get(k)
        }
        record.details = "".join(f" {k}={v}" for k, v in shown.items())
        return super().format(record)


def skip_unused_record_fields() -> None:
    """For a serving process: stop `logging` collecting, for every line, what these
    formatters never print: the caller's file and line, the thread, the process id and
    name. The switches the logging HOWTO lists under "Optimization"; a line then costs
    ~10 us instead of ~17 (one access line per request)."""
    logging._srcfile = None  # documented there, though underscored
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


def log_config(json_lines: bool | None = None) -> dict[str, Any]:
    """A logging dictConfig for the app and uvicorn: JSON unless stderr is a terminal."""
    if json_lines is None:
        json_lines = not sys.stderr.isatty()
    formatter = (
        "hcpcs_graph.server.logs.JSONFormatter"
        if json_lines
        else "hcpcs_graph.server.logs.PlainFormatter"
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": {"()": formatter}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "hcpcs": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
