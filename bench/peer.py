"""The peer: datasette with datasette-graphql over one release, as a user would set it up.

build() writes the peer's database from ours: a `codes` table with one column per CMS field
(repeated fields as numbered columns), foreign keys from the coded columns to lookup tables
(code, description) so that datasette-graphql nests them, an index on each foreign key (what
`sqlite-utils index-foreign-keys` adds) and an FTS5 index in sqlite-utils' form, which
datasette detects and datasette-graphql offers as `search:`.

datasette-graphql needs graphene, which pins graphql-core below 3.3, under ours; so the peer
runs from its own venv (.venv-peer, made by ensure_venv()) and ours keeps its own versions.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from serving import ROOT

VENV = ROOT / ".venv-peer"

# our code table -> the peer's lookup table
LOOKUPS = {
    "pricing_indicator": "pricing_indicators",
    "multiple_pricing_indicator": "multiple_pricing_indicators",
    "coverage": "coverage_codes",
    "betos": "betos_codes",
    "type_of_service": "types_of_service",
    "action_code": "action_codes",
}

# peer column -> (our column, index in its JSON array or None, lookup table or None)
COLUMNS: dict[str, tuple[str, int | None, str | None]] = {
    "code": ("code", None, None),
    "sequence": ("sequence", None, None),
    "record_id": ("record_id", None, None),
    "long_description": ("long_description", None, None),
    "short_description": ("short_description", None, None),
    **{f"pricing_indicator_{i + 1}": ("pricing_indicators", i, "pricing_indicator") for i in range(4)},
    "multiple_pricing_indicator": ("multiple_pricing_indicator", None, "multiple_pricing_indicator"),
    "cim_references": ("cim_references", None, None),
    "mcm_references": ("mcm_references", None, None),
    "statute": ("statute", None, None),
    "lab_certifications": ("lab_certifications", None, None),
    "cross_references": ("cross_references", None, None),
    "coverage": ("coverage", None, "coverage"),
    "asc_payment_group": ("asc_payment_group", None, None),
    "asc_effective_date": ("asc_effective_date", None, None),
    "mog_payment_group": ("mog_payment_group", None, None),
    "mog_payment_policy_indicator": ("mog_payment_policy_indicator", None, None),
    "mog_effective_date": ("mog_effective_date", None, None),
    "processing_note": ("processing_note", None, None),
    "betos": ("betos", None, "betos"),
    **{f"type_of_service_{i + 1}": ("types_of_service", i, "type_of_service") for i in range(5)},
    "anesthesia_base_units": ("anesthesia_base_units", None, None),
    "added_date": ("added_date", None, None),
    "action_effective_date": ("action_effective_date", None, None),
    "termination_date": ("termination_date", None, None),
    "action_code": ("action_code", None, "action_code"),
}  # fmt: skip
ARRAYS = {"pricing_indicators", "types_of_service"}

# datasette-graphql's own caps (100 table lookups, 1 s) would refuse the traversal shape
# under load; raised so that it answers and the table measures its work, not its refusals.
PLUGIN_CONFIG = {"num_queries_limit": 1000, "time_limit_ms": 30_000}


def _requirements() -> list[str]:
    """The `bench` group of pyproject.toml, and ours' HTTP stack at the same versions."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    same = [f"{name}=={metadata.version(name)}" for name in ("uvicorn", "uvloop", "httptools")]
    return [*project["optional-dependencies"]["bench"], *same]


def ensure_venv() -> Path:
    """.venv-peer with the peer installed; (re)made when the requirements change."""
    wanted = "\n".join(_requirements())
    stamp = VENV / "requirements.txt"
    if stamp.exists() and stamp.read_text() == wanted:
        return VENV / "bin" / "datasette"
    print(f"installing the peer into {VENV} ...", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    (VENV / ".gitignore").write_text("*\n")  # keeps it out of git without touching ours
    subprocess.run(
        [str(VENV / "bin" / "pip"), "install", "--quiet", *_requirements()],
        check=True,
        timeout=900,
    )
    stamp.write_text(wanted)
    return VENV / "bin" / "datasette"


def build(source: str, dest: Path, release: str) -> tuple[Path, Path]:
    """Write the peer's database and datasette metadata into `dest`; return their paths."""
    db_path, metadata_path = dest / "peer.db", dest / "peer-metadata.json"
    db_path.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    out = sqlite3.connect(db_path)
    with out:
        _write(src, out, release)
    out.close()
    src.close()
    metadata_path.write_text(json.dumps({"plugins": {"datasette-graphql": PLUGIN_CONFIG}}))
    return db_path, metadata_path


def _write(src: sqlite3.Connection, out: sqlite3.Connection, release: str) -> None:
    our_columns = [r[1] for r in src.execute("PRAGMA table_info(codes)")]
    rows = src.execute(
        "SELECT * FROM codes WHERE release = ? AND is_modifier = 0 ORDER BY code", [release]
    ).fetchall()
    if not rows:
        raise SystemExit(f"release {release} has no codes in the source database")
    records = [dict(zip(our_columns, row, strict=True)) for row in rows]
    for record in records:
        for name in ARRAYS:
            record[name] = json.loads(record[name])

    tables = {
        table: dict(
            src.execute("SELECT code, description FROM code_tables WHERE table_name = ?", [ours])
        )
        for ours, table in LOOKUPS.items()
    }
    peer_rows = []
    for record in records:
        row = []
        for ours, index, table in COLUMNS.values():
            value = record[ours]
            if index is not None:
                value = value[index] if index < len(value) else None
            if table is not None and value is not None:
                # a value CMS's table lacks stays, with no description (as ours answers it)
                tables[LOOKUPS[table]].setdefault(value, None)
            row.append(value)
        peer_rows.append(row)

    for table, values in tables.items():
        out.execute(f"CREATE TABLE [{table}] ([code] TEXT PRIMARY KEY, [description] TEXT)")
        out.executemany(f"INSERT INTO [{table}] VALUES (?, ?)", sorted(values.items()))
    definitions = []
    for column, (_, _, table) in COLUMNS.items():
        if column == "code":
            definitions.append("[code] TEXT PRIMARY KEY")
        elif table is not None:
            definitions.append(f"[{column}] TEXT REFERENCES [{LOOKUPS[table]}]([code])")
        else:
            definitions.append(f"[{column}]")
    out.execute(f"CREATE TABLE [codes] ({', '.join(definitions)})")
    out.executemany(f"INSERT INTO [codes] VALUES ({', '.join('?' * len(COLUMNS))})", peer_rows)
    for column, (_, _, table) in COLUMNS.items():
        if table is not None:
            out.execute(f"CREATE INDEX [idx_codes_{column}] ON [codes] ([{column}])")
    # sqlite-utils' enable_fts() form: content=[codes] is what datasette looks for
    # (it does not detect content='codes').
    out.execute(
        "CREATE VIRTUAL TABLE [codes_fts] USING FTS5 ("
        "[code], [short_description], [long_description], content=[codes])"
    )
    out.execute(
        "INSERT INTO [codes_fts] (rowid, [code], [short_description], [long_description])"
        " SELECT rowid, [code], [short_description], [long_description] FROM [codes]"
    )


def command(datasette: Path, db: Path, metadata_path: Path, port: int) -> list[str]:
    # -i: immutable, datasette's mode for data that does not change (ours opens mode=ro)
    return [
        str(datasette), "serve", "-i", str(db), "-m", str(metadata_path),
        "-h", "127.0.0.1", "-p", str(port),
    ]  # fmt: skip
