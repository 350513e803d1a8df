"""The floor: what the HTTP stack and SQLite cost alone, without GraphQL.

One GET endpoint per query shape answers the same JSON `data` as ours does for the same
GraphQL query, from a copy of our database holding one release, with the SQL ours runs
(one statement per list, as ours batches them) and the code tables in a dict. Served by
uvicorn as ours is: one worker, uvloop and httptools.

    python bench/floor.py --db floor.db --port 8001

The handlers call sqlite3 directly on the event loop: on one CPU that is the cheapest way.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import unicodedata
from pathlib import Path

import orjson
import uvicorn
from graphql import get_introspection_query, graphql_sync
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hcpcs_graph.db.ddl import fts_table

ROW = (
    "code, long_description, short_description, added_date, action_effective_date,"
    " termination_date, pricing_indicators, multiple_pricing_indicator, coverage, betos,"
    " types_of_service, action_code"
)
TABLES = (
    "pricing_indicator", "multiple_pricing_indicator", "coverage", "betos", "type_of_service",
    "action_code",
)  # fmt: skip


def build_db(source: str, dest: Path, release: str) -> Path:
    """A copy of our database (its own schema, FTS rank included) with one release only."""
    dest.unlink(missing_ok=True)
    out = sqlite3.connect(f"file:{dest}", uri=True)
    out.execute("ATTACH ? AS src", [f"file:{source}?mode=ro"])
    ddl = out.execute(
        "SELECT type, name, sql FROM src.sqlite_master WHERE sql IS NOT NULL"
        " AND name NOT LIKE 'sqlite_%' ORDER BY type = 'index'"
    ).fetchall()
    every_fts = [name for kind, name, sql in ddl if "VIRTUAL TABLE" in sql.upper()]
    fts = [fts_table(release)]  # ours keeps one full-text index per release
    shadows = tuple(f"{name}_" for name in every_fts)
    for _, name, sql in ddl:
        if name in every_fts and name not in fts:
            continue
        if not name.startswith(shadows):
            out.execute(sql)
    with out:
        out.execute("INSERT INTO releases SELECT * FROM src.releases WHERE id = ?", [release])
        out.execute("INSERT INTO codes SELECT * FROM src.codes WHERE release = ?", [release])
        out.execute(
            "INSERT INTO code_values SELECT * FROM src.code_values WHERE release = ?", [release]
        )
        out.execute("INSERT INTO code_tables SELECT * FROM src.code_tables")
        for name in fts:
            out.execute(f"INSERT INTO {name} ({name}) VALUES ('rebuild')")
            for (rank,) in out.execute(f"SELECT v FROM src.{name}_config WHERE k = 'rank'"):
                out.execute(f"INSERT INTO {name} ({name}, rank) VALUES ('rank', ?)", [rank])
    out.close()
    return dest


def introspection() -> bytes:
    """Our schema's answer to the GraphiQL introspection query, computed once."""
    from hcpcs_graph.schema import build_schema

    schema = build_schema()

    result = graphql_sync(schema._schema, get_introspection_query())
    assert result.errors is None, result.errors
    return orjson.dumps({"data": result.data})


class Floor:
    def __init__(self, db: str) -> None:
        self.db = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
        self.db.execute("PRAGMA query_only = 1")
        [(self.release,)] = self.db.execute("SELECT id FROM releases")
        self.described = {
            (table, code): description
            for table, code, description in self.db.execute(
                "SELECT table_name, code, description FROM code_tables"
            )
        }
        self.introspection = introspection()

    def coded(self, table: str, value: str | None) -> dict | None:
        if value is None:
            return None
        return {"code": value, "description": self.described.get((table, value))}

    def record(self, row: tuple) -> dict:
        code, long, short, added, effective, terminated, prices, multiple = row[:8]
        coverage, betos, services, action = row[8:]
        return {
            "code": code,
            "longDescription": long,
            "shortDescription": short,
            "addedDate": added,
            "actionEffectiveDate": effective,
            "terminationDate": terminated,
            "pricingIndicators": [self.coded("pricing_indicator", v) for v in orjson.loads(prices)],
            "multiplePricingIndicator": self.coded("multiple_pricing_indicator", multiple),
            "coverage": self.coded("coverage", coverage),
            "betos": self.coded("betos", betos),
            "typesOfService": [self.coded("type_of_service", v) for v in orjson.loads(services)],
            "action": self.coded("action_code", action),
        }

    def rows(self, sql: str, *params: object) -> list[tuple]:
        return self.db.execute(sql, params).fetchall()

    async def code(self, request: Request) -> Response:
        found = self.rows(
            f"SELECT {ROW} FROM codes WHERE release = ? AND is_modifier = 0 AND code = ?",
            self.release, request.query_params["code"].strip().upper(),
        )  # fmt: skip
        return _json({"hcpcsCode": self.record(found[0]) if found else None})

    async def page(self, request: Request) -> Response:
        found = self.rows(
            f"SELECT {ROW} FROM codes WHERE release = ? AND is_modifier = 0 AND code > ?"
            " ORDER BY code LIMIT 100",
            self.release, request.query_params.get("after", ""),
        )  # fmt: skip
        return _json({"hcpcsCodes": {"nodes": [self.record(r) for r in found]}})

    async def search(self, request: Request) -> Response:
        text = request.query_params["q"]
        words = re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower())
        match = " ".join(f'"{w}"*' for w in words)
        fts = fts_table(self.release)
        where = f"{fts} MATCH ? AND c.release = ? AND c.is_modifier = 0"
        found = self.rows(
            f"SELECT c.code, c.short_description, c.betos FROM {fts} f"
            f" CROSS JOIN codes c ON c.id = f.rowid WHERE {where}"
            " ORDER BY c.code = ? DESC, f.rank, c.code LIMIT 20",
            match, self.release, text.strip().upper(),
        )  # fmt: skip
        [(total,)] = self.rows(
            f"SELECT count(*) FROM {fts} f CROSS JOIN codes c ON c.id = f.rowid WHERE {where}",
            match, self.release,
        )  # fmt: skip
        nodes = [
            {"code": c, "shortDescription": s, "betos": self.coded("betos", b)} for c, s, b in found
        ]
        return _json({"hcpcsCodes": {"totalCount": total, "nodes": nodes}})

    async def traversal(self, request: Request) -> Response:
        found = self.rows(
            "SELECT betos FROM codes WHERE release = ? AND is_modifier = 0 AND code = ?",
            self.release, request.query_params["code"].strip().upper(),
        )  # fmt: skip
        if not found:
            return _json({"hcpcsCode": None})
        betos = found[0][0]
        if betos is None:
            return _json({"hcpcsCode": {"betos": None}})
        linked = "release = ? AND is_modifier = 0 AND field = ?"
        [(total,)] = self.rows(
            f"SELECT count(DISTINCT code_id) FROM code_values WHERE {linked} AND value = ?",
            self.release, "betos", betos,
        )  # fmt: skip
        first = self.rows(
            "SELECT c.code, c.short_description, c.types_of_service FROM codes c WHERE c.id IN"
            f" (SELECT code_id FROM code_values WHERE {linked} AND value = ?)"
            " ORDER BY c.code LIMIT 5",
            self.release, "betos", betos,
        )  # fmt: skip
        services = [orjson.loads(r[2]) for r in first]
        wanted = sorted({s for listed in services for s in listed})
        counts = dict(
            self.rows(
                f"SELECT value, count(DISTINCT code_id) FROM code_values WHERE {linked}"
                f" AND value IN ({', '.join('?' * len(wanted))}) GROUP BY value",
                self.release, "type_of_service", *wanted,
            )
        )  # fmt: skip
        nodes = [
            {
                "code": code,
                "shortDescription": short,
                "typesOfService": [
                    {**self.coded("type_of_service", s), "codes": {"totalCount": counts.get(s, 0)}}
                    for s in listed
                ],
            }
            for (code, short, _), listed in zip(first, services, strict=True)
        ]
        value = self.coded("betos", betos)
        value["codes"] = {"totalCount": total, "nodes": nodes}
        return _json({"hcpcsCode": {"betos": value}})

    async def schema(self, request: Request) -> Response:
        return Response(self.introspection, media_type="application/json")


def _json(data: dict) -> Response:
    return Response(orjson.dumps({"data": data}), media_type="application/json")


def create_app(db: str) -> Starlette:
    floor = Floor(db)
    return Starlette(
        routes=[
            Route("/code", floor.code),
            Route("/page", floor.page),
            Route("/search", floor.search),
            Route("/traversal", floor.traversal),
            Route("/introspection", floor.schema),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # as `hcpcs serve` runs ours: one worker, uvloop and httptools (uvicorn's "auto")
    uvicorn.run(create_app(args.db), host="127.0.0.1", port=args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
