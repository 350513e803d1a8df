"""Release history on the real releases: changes, release diffs, as-of lookups, references."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Run


async def test_g6002_changes_release_by_release(run: Run) -> None:
    data = await run(
        """{ hcpcsCode(code: "G6002") { changes { kind fromRelease { name } toRelease { name }
              action { code description } before { terminationDate } after { terminationDate }
              differences { field before after } } } }"""
    )
    changes = data["hcpcsCode"]["changes"]
    assert [(c["fromRelease"]["name"], c["toRelease"]["name"]) for c in changes] == [
        ("2016-01", "2017-01"), ("2017-01", "2018-01"), ("2018-01", "2019-01"),
        ("2019-01", "2020-01"), ("2020-01", "2025-10"), ("2025-10", "2026-01"),
    ]  # fmt: skip
    assert [c["kind"] for c in changes] == ["UNCHANGED"] * 5 + ["DISCONTINUED"]
    last = changes[-1]
    assert last["action"]["code"] == "D"
    assert (last["before"]["terminationDate"], last["after"]["terminationDate"]) == (
        None,
        "2025-12-31",
    )
    assert {"field": "terminationDate", "before": None, "after": "2025-12-31"} in last[
        "differences"
    ]


async def test_changes_decode_coded_fields(run: Run) -> None:
    data = await run(
        """{ releaseDiff(from: "2019-01", to: "2020-01", first: 45,
              filter: {kinds: [CHANGED], fields: ["typesOfService", "coverage"]}) {
            totalCount nodes { code differences { field beforeValues afterValues
              beforeDecoded { code description } afterDecoded { code description } } } } }"""
    )
    diff = data["releaseDiff"]
    assert diff["totalCount"] == len(diff["nodes"]) >= 3  # (fewer than 45)
    for node in diff["nodes"]:
        coded = [d for d in node["differences"] if d["field"] in ("typesOfService", "coverage")]
        assert coded
        for d in coded:
            assert [x["code"] for x in d["afterDecoded"]] == d["afterValues"]
            assert all(x["description"] for x in d["beforeDecoded"] + d["afterDecoded"])


def _expected_kinds(db: Path, old: str, new: str) -> dict[str, int]:
    """The diff's kinds counted in SQL, independently of schema.history."""
    conn = sqlite3.connect(db)
    eff = dict(conn.execute("SELECT id, effective_date FROM releases"))
    sql = """
      WITH a AS (SELECT * FROM codes WHERE release = :old),
           b AS (SELECT * FROM codes WHERE release = :new),
           pairs AS (
             SELECT b.is_modifier, b.code, a.id AS a_id, b.id AS b_id,
                    a.termination_date AS a_term, b.termination_date AS b_term
             FROM b LEFT JOIN a ON a.code = b.code AND a.is_modifier = b.is_modifier
             UNION ALL
             SELECT a.is_modifier, a.code, a.id, NULL, a.termination_date, NULL
             FROM a LEFT JOIN b ON a.code = b.code AND a.is_modifier = b.is_modifier
             WHERE b.id IS NULL)
      SELECT CASE
        WHEN a_id IS NULL AND (b_term IS NULL OR b_term >= :new_eff) THEN 'ADDED'
        WHEN a_id IS NULL THEN 'DISCONTINUED'
        WHEN b_id IS NULL THEN 'DROPPED'
        WHEN (a_term IS NULL OR a_term >= :old_eff) AND NOT (b_term IS NULL OR b_term >= :new_eff)
          THEN 'DISCONTINUED'
        WHEN NOT (a_term IS NULL OR a_term >= :old_eff) AND (b_term IS NULL OR b_term >= :new_eff)
          THEN 'REACTIVATED'
        ELSE 'SAME STATUS' END AS kind, count(*)
      FROM pairs GROUP BY kind"""
    params = {"old": old, "new": new, "old_eff": eff[old], "new_eff": eff[new]}
    counts = dict(conn.execute(sql, params).fetchall())
    conn.close()
    counts.pop("SAME STATUS", None)
    return counts


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("2016-01", "2017-01"),
        ("2019-01", "2020-01"),
        ("2020-01", "2025-10"),
        ("2016-01", "2026-01"),
    ],
)
async def test_release_diff_kinds_agree_with_sql(
    run: Run, all_releases_db: Path, old: str, new: str
) -> None:
    expected = _expected_kinds(all_releases_db, old, new)
    counts = {}
    for kind in ("ADDED", "DISCONTINUED", "REACTIVATED", "DROPPED"):
        data = await run(
            f"""{{ releaseDiff(from: "{old}", to: "{new}", filter: {{kinds: [{kind}]}})
                {{ totalCount }} }}"""
        )
        counts[kind] = data["releaseDiff"]["totalCount"]
    assert {k: v for k, v in counts.items() if v} == expected


async def test_release_diff_filters_and_pages(run: Run) -> None:
    query = """query($after: String, $f: ReleaseDiffFilter) {
        releaseDiff(from: "2016-01", to: "2017-01", first: 100, after: $after, filter: $f) {
          totalCount pageInfo { hasNextPage endCursor }
          nodes { code isModifier kind action { code } differences { field } } } }"""
    everything, after = [], None
    while True:
        page = (await run(query, {"after": after}))["releaseDiff"]
        everything += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(everything) == page["totalCount"]
    assert len({(n["isModifier"], n["code"]) for n in everything}) == len(everything)

    async def filtered(f: dict) -> list[dict]:
        return (await run(query.replace("first: 100", "first: 500"), {"f": f}))["releaseDiff"][
            "nodes"
        ]

    added = await filtered({"actionCodes": ["a"]})
    assert added and all(n["action"]["code"] == "A" for n in added)
    ld = await filtered({"fields": ["longDescription"], "codePrefix": "g"})
    assert ld and all(
        n["code"].startswith("G") and "longDescription" in {d["field"] for d in n["differences"]}
        for n in ld
    )
    modifiers = await filtered({"modifiers": True})
    assert modifiers and all(n["isModifier"] for n in modifiers)
    assert {n["code"] for n in await filtered({"modifiers": False})} & {
        n["code"] for n in modifiers
    } == set()


async def test_release_diff_bad_arguments(run: Run) -> None:
    result = await run(
        '{ releaseDiff(from: "2016-01", to: "2017-01", filter: {fields: ["colour"]}) { totalCount } }',
        errors=True,
    )
    assert result.errors[0].extensions == {"code": "BAD_USER_INPUT", "argument": "filter"}
    assert (
        "unknown field(s) colour; fields that can change: sequenceNumber"
        in result.errors[0].message
    )
    result = await run(
        '{ releaseDiff(from: "2010-01", to: "2017-01") { totalCount } }', errors=True
    )
    assert result.errors[0].extensions["argument"] == "from"


async def test_as_of_a_date_of_service(run: Run) -> None:
    data = await run(
        """{ mid2019: hcpcsCode(code: "G6002", asOf: "2019-06-01") { release { name } status statusDate }
            after: hcpcsCode(code: "G6002", asOf: "2026-03-01") { release { name } status }
            early: hcpcsCode(code: "A4295", release: "2026-01", asOf: "2025-11-15") { status }
            plain: hcpcsCode(code: "G6002") { status statusDate } }"""
    )
    assert data["mid2019"] == {
        "release": {"name": "2019-01"}, "status": "ACTIVE", "statusDate": "2019-06-01",
    }  # fmt: skip
    assert data["after"] == {"release": {"name": "2026-01"}, "status": "TERMINATED"}
    assert data["early"] == {"status": "NOT_YET_ADDED"}
    assert data["plain"] == {"status": "TERMINATED", "statusDate": "2026-01-01"}
    result = await run('{ hcpcsCode(code: "G6002", asOf: "2015-06-01") { code } }', errors=True)
    assert result.errors[0].message == (
        "no loaded release is in force on 2015-06-01; the earliest, 2016-01, is effective "
        "from 2016-01-01"
    )


async def test_cross_references_both_ways(run: Run) -> None:
    data = await run(
        """{ a: hcpcsCode(code: "A0425", release: "2016-01") { referencedBy { code } }
            j: hcpcsCode(code: "J0694", release: "2018-01") {
              crossReferences { code hcpcsCode { code } target { code release { name } } } } }"""
    )
    assert data["a"]["referencedBy"] == [{"code": "A0380"}, {"code": "A0390"}]
    [ref] = [r for r in data["j"]["crossReferences"] if r["code"] == "Q0090"]
    assert ref["hcpcsCode"] is None  # not in 2018-01
    assert ref["target"] == {"code": "Q0090", "release": {"name": "2017-01"}}


async def test_history_fields_are_batched(run: Run) -> None:
    query = """query($n: Int) { hcpcsCodes(release: "2018-01", first: $n, filter: {codePrefix: "A"}) {
        nodes { changes { kind differences { field } } referencedBy { code }
                crossReferences { target { code } } } } }"""

    async def statements(n: int) -> int:
        before = run.db.stats.statements
        await run(query, {"n": n})
        return run.db.stats.statements - before

    assert await statements(20) == await statements(2)
