"""Every setting, read from the environment in this one place.

Each setting is declared once (name, default, help); `Settings.from_env()` reads them and
the README documents them (a test fails when one is missing there).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from hcpcs_graph.schema.limits import Limits

ENV_PREFIX = "HCPCS_"
_LIMITS = Limits()


class SettingsError(ValueError):
    """An environment variable holds a value its setting cannot take."""


def _setting(default: Any, help: str, least: float | None = None, most: float | None = None) -> Any:
    """A setting; numeric ones name their range: anything less than `least` would hang or
    refuse every request (no connection to run a query on, no slot to run an operation in)."""
    return field(default=default, metadata={"help": help, "least": least, "most": most})


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = _setting("hcpcs.db", "Path of the SQLite database file.")
    host: str = _setting("127.0.0.1", "Address `hcpcs serve` listens on.")
    port: int = _setting(8000, "Port `hcpcs serve` listens on.", least=1, most=65535)
    workers: int = _setting(1, "Number of uvicorn worker processes.", least=1)
    connections: int = _setting(
        4,
        "Read-only SQLite connections per worker, for statements longer than 1 ms (shorter "
        "ones run on the event loop).",
        least=1,
    )
    time_limit: float = _setting(
        2.0,
        "Seconds a GraphQL operation may run once its turn comes, SQL and Python alike; then "
        "its work stops and it is answered TIMEOUT (0: none).",
        least=0,
    )
    max_concurrent: int = _setting(
        4,
        "GraphQL operations a worker executes at once; the rest wait their turn, for at most "
        "the time limit (then 503 SERVER_BUSY).",
        least=1,
    )
    graphiql: bool = _setting(True, "Serve GraphiQL at /graphql to browsers.")
    introspection: bool = _setting(True, "Answer introspection queries (__schema, __type).")
    cors_origins: str = _setting(
        "", "Comma-separated origins allowed to call the API from browsers (CORS); none if empty."
    )
    max_depth: int = _setting(_LIMITS.max_depth, "Deepest query, in levels of fields.", least=1)
    max_aliases: int = _setting(_LIMITS.max_aliases, "Most aliases in one query.", least=0)
    max_tokens: int = _setting(_LIMITS.max_tokens, "Most tokens in one query document.", least=1)
    max_cost: int = _setting(
        _LIMITS.max_cost,
        "Most objects a query may return, computed before execution from `first` arguments.",
        least=1,
    )
    # 256 KiB: a 500-line claim with every field of its lines (checkClaimLines) is ~100 KB
    max_body_bytes: int = _setting(262144, "Largest request body, in bytes.", least=1)
    cache_max_age: int = _setting(
        3600,
        "Seconds clients and proxies may keep a GET answer (Cache-Control max-age).",
        least=0,
    )
    response_cache_mb: int = _setting(
        64,
        "Memory for answers to repeated identical queries, per worker, in MiB (0: off); "
        "each answer is charged with its key, query text and variables included.",
        least=0,
    )
    document_cache_mb: int = _setting(
        16,
        "Memory for parsed and validated query documents, per worker, in MiB (0: off).",
        least=0,
    )
    plan_cache_mb: int = _setting(
        16,
        "Memory for the plans compiled from documents answered without errors, per worker, "
        "in MiB (0: off).",
        least=0,
    )
    persisted_queries_mb: int = _setting(
        8,
        "Memory for automatic persisted queries, per worker, in MiB (0: none kept); a query "
        "is kept once it has run.",
        least=0,
    )
    diff_cache_mb: int = _setting(
        32,
        "Memory for computed release diffs, per worker and database file, in MiB (0: off).",
        least=0,
    )
    claim_cache_mb: int = _setting(
        64,
        "Memory for the rows claim checks read, per worker and database file, in MiB (0: "
        "off); the codes and schedules of a quarter's claims take about 50.",
        least=0,
    )
    header_timeout: float = _setting(
        10.0,
        "Seconds a client has to send a request's headers, from connecting or from its "
        "first byte (then 408 and the connection is closed; 0: no limit).",
        least=0,
    )
    body_timeout: float = _setting(
        10.0,
        "Seconds a client has to send a request's body once its headers are in (then 408 "
        "and the connection is closed; 0: no limit).",
        least=0,
    )
    compression: bool = _setting(
        True,
        "Compress answers of 1 KiB or more (zstd or gzip, as the client accepts): /graphql, "
        "the pages and their files; off behind a proxy that compresses.",
    )

    def __post_init__(self) -> None:
        for f in fields(self):
            value, least, most = getattr(self, f.name), f.metadata["least"], f.metadata["most"]
            name = ENV_PREFIX + f.name.upper()
            if least is not None and value < least:
                raise SettingsError(f"{name}={value!r}: must be at least {least}")
            if most is not None and value > most:
                raise SettingsError(f"{name}={value!r}: must be at most {most}")

    @property
    def limits(self) -> Limits:
        return Limits(
            max_depth=self.max_depth,
            max_aliases=self.max_aliases,
            max_tokens=self.max_tokens,
            max_cost=self.max_cost,
        )

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _convert(f.name, raw, type(f.default))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _convert(name: str, raw: str, kind: type) -> Any:
    try:
        if kind is bool:
            if raw.strip().lower() not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                raise ValueError(raw)
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        return kind(raw)
    except ValueError:
        raise SettingsError(
            f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {kind.__name__}"
        ) from None


def documented() -> list[tuple[str, Any, str]]:
    """(environment variable, default, help) for every setting."""
    return [(ENV_PREFIX + f.name.upper(), f.default, f.metadata["help"]) for f in fields(Settings)]
