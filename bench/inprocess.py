"""What GraphQL execution costs in process, without HTTP: ours against bare graphql-core.

    python bench/inprocess.py --db hcpcs.db [--runs 200]

For each query shape, four timings (median per query):
  compiled   schema.execute_known(): the document's compiled plan (schema/compiled.py),
             what the server runs for a document it has answered before
  ours       schema.execute(): Strawberry with its extensions, our resolvers, SQLite (what
             the server runs the first time it sees a document)
  resolvers  graphql-core's execute() on the same schema and resolvers, document parsed
             and validated once (what Strawberry's own machinery adds is ours - this)
  bare       graphql-core executing the same document on a schema built from our SDL with
             default resolvers over the finished result: the irreducible cost of walking
             that many fields, with no resolver and no I/O
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import graphql

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hcpcs_graph.db.database import Database
from hcpcs_graph.schema import build_schema
from hcpcs_graph.schema.context import Context

schema = build_schema()  # the package builds none at import

ROW = """code longDescription shortDescription addedDate actionEffectiveDate terminationDate
  pricingIndicators { code description } multiplePricingIndicator { code description }
  coverage { code description } betos { code description } typesOfService { code description }
  action { code description }"""
SHAPES = {
    "one code": f'{{ hcpcsCode(code: "G6002", release: "2025-10") {{ {ROW} }} }}',
    "page of 100": (
        f'{{ hcpcsCodes(release: "2025-10", first: 100, filter: {{codePrefix: "E"}}) '
        f"{{ nodes {{ {ROW} }} }} }}"
    ),
    "search 20": (
        '{ hcpcsCodes(release: "2025-10", search: "wheelchair", first: 20) '
        "{ nodes { code shortDescription betos { code description } } } }"
    ),
    "traversal": """{ hcpcsCode(code: "G6002", release: "2025-10") { betos { codes(first: 5) {
        nodes { code typesOfService { code description codes { totalCount } } } } } } }""",
}


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def measure(db: Database, query: str, runs: int) -> tuple[float, float, float, float]:
    document = graphql.parse(query)
    assert not graphql.validate(schema._schema, document)
    bare_schema = graphql.build_schema(schema.as_str())
    compiled, ours, resolvers, bare = [], [], [], []
    result = None
    schema.learn(query, None)
    for i in range(runs + 5):
        ctx = Context(snapshot=await db.snapshot())
        started = time.perf_counter()
        known = await schema.execute_known(query, None, None, ctx)
        elapsed = time.perf_counter() - started
        assert known is not None, "the plan declined"
        if i >= 5:
            compiled.append(elapsed)
        ctx = Context(snapshot=await db.snapshot())
        started = time.perf_counter()
        result = await schema.execute(query, context_value=ctx)
        elapsed = time.perf_counter() - started
        assert result.errors is None, result.errors
        if i >= 5:
            ours.append(elapsed)
        ctx = Context(snapshot=await db.snapshot())
        started = time.perf_counter()
        direct = graphql.execute(schema._schema, document, context_value=ctx)
        if hasattr(direct, "__await__"):
            direct = await direct
        if i >= 5:
            resolvers.append(time.perf_counter() - started)
        started = time.perf_counter()
        plain = graphql.execute(bare_schema, document, root_value=result.data)
        if i >= 5:
            bare.append(time.perf_counter() - started)
        assert plain.data == result.data == known["data"]
    return _median_ms(compiled), _median_ms(ours), _median_ms(resolvers), _median_ms(bare)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    db = Database(args.db)
    async with db.opened():
        print(
            f"{'shape':<14} {'compiled':>9} {'ours ms':>8} {'resolvers':>10} {'bare':>8}"
            f" {'compiled/bare':>14} {'ours/bare':>10}"
        )
        for name, query in SHAPES.items():
            compiled, ours, resolvers, bare = await measure(db, query, args.runs)
            print(
                f"{name:<14} {compiled:>9.2f} {ours:>8.2f} {resolvers:>10.2f} {bare:>8.2f}"
                f" {compiled / bare:>13.2f}x {ours / bare:>9.2f}x"
            )


if __name__ == "__main__":
    asyncio.run(main())
