"""The `hcpcs` command: load releases, list them, serve them."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from hcpcs_graph.db.database import DatabaseUnavailable
from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.load import LoadResult, list_releases, load, sweep_stale_copies
from hcpcs_graph.db.payments.kinds import UNKNOWN, UnknownKind
from hcpcs_graph.db.payments.load import PaymentLoadResult, list_payments, load_payment
from hcpcs_graph.db.payments.sources import PaymentSource, is_hcpcs_file, open_payment
from hcpcs_graph.db.sources import fetch, is_url, open_source
from hcpcs_graph.server.progress import ProgressBar
from hcpcs_graph.server.settings import Settings, SettingsError

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hcpcs", description="CMS HCPCS Level II releases as a GraphQL API."
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {metadata.version('hcpcs-graph')}"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    loader = commands.add_parser(
        "load",
        help="load a CMS release or payment file into the database",
        description="Load a CMS HCPCS release (the ZIP as CMS ships it, the TXT or XLSX "
        "inside it, or an http(s) URL to such a ZIP), or a CMS payment file: the ASP "
        "pricing file (its ZIP, XLS or CSV), the ASP NDC-HCPCS crosswalk, the DMEPOS or "
        "DMEPEN fee schedule (CSV or XLSX). The kind is told from the file's content.",
    )
    loader.add_argument("source", nargs="?", help="file, ZIP or URL")
    loader.add_argument("--release", help="release id YYYY-MM, when the file name does not tell")
    loader.add_argument("--db", help="database file (default: $HCPCS_DB or hcpcs.db)")
    loader.add_argument(
        "--replace", action="store_true", help="replace a release loaded from another file"
    )
    loader.add_argument("--notes", help="processing notes file (proc_notes_*.txt)")
    loader.add_argument(
        "--sample", action="store_true", help="load the bundled one-record sample (G6002)"
    )
    loader.add_argument(
        "--kind",
        choices=["asp", "ndc", "dmepos", "dmepen"],
        help="the payment file's kind, when its content does not tell",
    )
    loader.add_argument(
        "--effective",
        metavar="FROM[:THROUGH]",
        help="a payment file's effective period (YYYY-MM-DD), when its title rows do not say",
    )

    lister = commands.add_parser("releases", help="list the releases the database holds")
    lister.add_argument("--db", help="database file (default: $HCPCS_DB or hcpcs.db)")

    server = commands.add_parser(
        "serve",
        help="serve the database as GraphQL at /graphql",
        description="Serve the database at http://HOST:PORT/graphql (GraphiQL in a browser). "
        "With no database yet, the one-record sample release is loaded first.",
    )
    server.add_argument("--db", help="database file (default: $HCPCS_DB or hcpcs.db)")
    server.add_argument("--host", help="address to listen on (default: $HCPCS_HOST or 127.0.0.1)")
    server.add_argument("--port", type=int, help="port (default: $HCPCS_PORT or 8000)")
    server.add_argument("--workers", type=int, help="worker processes (default: 1)")
    return parser


def _summary(result: LoadResult) -> str:
    if result.status == "unchanged":
        return (
            f"{result.source} is already loaded as release {result.release}; nothing to do "
            f"({result.seconds:.2f} s)"
        )
    verb = "Replaced" if result.status == "replaced" else "Loaded"
    unknown = "; ".join(
        f"{name} " + ", ".join(f"{value!r} ({count})" for value, count in values.items())
        for name, values in result.unknown.items()
    )
    lines = [
        f"{verb} release {result.release} from {result.source}",
        f"  codes:     {result.codes:,}",
        f"  modifiers: {result.modifiers:,}",
        f"  processing notes: {result.notes:,}",
        f"  unknown code values (kept): {unknown or 'none'}",
    ]
    if result.repairs:
        lines.append(f"  CMS quirks read as documented: {len(result.repairs)}")
        lines.extend(f"    {line}" for line in result.repairs)
    if result.removed_sample:
        lines.append("  removed the one-record sample release")
    lines.extend(f"  removed {_swept(name, size)}" for name, size in result.swept)
    lines.append(f"  {result.seconds:.2f} s")
    return "\n".join(lines)


def _swept(name: str, size: int) -> str:
    return f"{name}, left by an interrupted load ({size / 1e6:.1f} MB)"


def _payment_summary(result: PaymentLoadResult) -> str:
    if result.status == "unchanged":
        return (
            f"{result.source} is already loaded as schedule release {result.release}; "
            f"nothing to do ({result.seconds:.2f} s)"
        )
    verb = "Replaced" if result.status == "replaced" else "Loaded"
    through = result.effective_through or "the next release of the schedule"
    dropped = ", ".join(f"{reason} {n:,}" for reason, n in result.dropped.items())
    lines = [
        f"{verb} schedule release {result.release} from {result.source}",
        f"  in force:  {result.effective_from} through {through}",
        f"  rows:      {result.rows:,} ({result.codes:,} Level II codes)",
        f"  dropped:   {dropped or 'none'}"
        + (" (not HCPCS Level II: CPT and CDT are not ours to serve)" if dropped else ""),
    ]
    lines.extend(f"  note:      {note}" for note in result.notes)
    for table in sorted(result.changed):
        changes = [
            (what, codes[table])
            for what, codes in (
                ("changed", result.changed), ("added", result.added), ("removed", result.removed)
            )
        ]  # fmt: skip
        lines.append(
            f"  against the file it replaces ({table}): "
            + ", ".join(f"{len(codes):,} {what}" for what, codes in changes)
        )
        lines.extend(
            f"    {what}: {', '.join(codes[:20])}{' ...' if len(codes) > 20 else ''}"
            for what, codes in changes
            if codes
        )
    lines.extend(f"  removed {_swept(name, size)}" for name, size in result.swept)
    lines.append(f"  {result.seconds:.2f} s")
    return "\n".join(lines)


def _load(args: argparse.Namespace, settings: Settings) -> int:
    if args.sample and args.source:
        raise LoadError("give either a SOURCE or --sample, not both")
    fetched = None
    if args.source and not args.sample:
        fetched = fetch(args.source)
        payment = _payment_source(args, fetched)
        if payment is not None:
            return _load_payment(args, settings, payment)
    source = open_source(
        args.source, release=args.release, notes=args.notes, sample=args.sample, fetched=fetched
    )
    bar = ProgressBar(f"Loading {source.release}")
    try:
        result = load(settings.db, source, replace=args.replace, progress=bar)
    finally:
        bar.close()
    summary = _summary(result)
    if not result.notes and result.status != "unchanged" and not args.notes and args.source:
        beside = _notes_beside(args.source, result.release)
        if beside:
            summary += f"\n  ({beside} lies beside the file: load it with --notes {beside})"
    print(summary)
    return 0


_HCPCS_NAME = re.compile(r"hcpc|anweb|alpha-?numeric", re.IGNORECASE)


def _payment_source(args: argparse.Namespace, fetched: tuple[str, bytes]) -> PaymentSource | None:
    """The file as a payment file, when it is one (or --kind or --effective say so, or it
    is a CSV, which no HCPCS release is); None for the HCPCS loader to read."""
    name, data = fetched
    told = bool(args.kind or args.effective) or name.lower().endswith(".csv")
    if not told and (args.release or args.notes or is_hcpcs_file(name, data)):
        return None
    try:
        source = open_payment(name, kind=args.kind, effective=args.effective, data=data)
    except UnknownKind:
        if told:
            raise
        if _HCPCS_NAME.search(name):
            return None  # a broken HCPCS release: its loader names what is wrong
        raise LoadError(UNKNOWN, file=name) from None
    for option in ("release", "notes"):
        if getattr(args, option):
            raise LoadError(f"--{option} is for HCPCS releases, not payment files")
    return source


def _load_payment(args: argparse.Namespace, settings: Settings, source: PaymentSource) -> int:
    bar = ProgressBar(f"Loading {source.release}")
    try:
        result = load_payment(settings.db, source, replace=args.replace, progress=bar)
    finally:
        bar.close()
    print(_payment_summary(result))
    return 0


def _notes_beside(source: str, release: str) -> str | None:
    """A processing notes file for the release's year next to a local TXT or XLSX (CMS's
    ZIPs hold it, and people load the files they unzipped)."""
    folder = Path(source).parent
    if is_url(source) or not folder.is_dir():
        return None
    year = release[:4]
    found = sorted(
        p.name
        for p in folder.iterdir()
        if p.name.lower().startswith("proc_notes") and p.suffix.lower() == ".txt"
        and year in p.name
    )  # fmt: skip
    return found[0] if len(found) == 1 else None


def _releases(settings: Settings) -> int:
    rows = list_releases(settings.db)
    payments = list_payments(settings.db)
    if not rows and not payments:
        print(f"{settings.db} holds no releases")
        return 0
    if rows:
        _print_releases(rows)
    if payments:
        if rows:
            print()
        _print_payments(payments)
    return 0


def _print_payments(rows: list[dict[str, object]]) -> None:
    print(f"{'schedule release':<16} {'from':<10} {'through':<10} {'rows':>6} {'codes':>5}  source")
    for row in rows:
        print(
            f"{row['id']!s:<16} {row['effective_from']!s:<10} {row['effective_through'] or '-'!s:<10} "
            f"{row['row_count']:>6} {row['code_count']:>5}  {row['source_name']}"
        )


def _print_releases(rows: list[dict[str, object]]) -> None:
    print(f"{'release':<8} {'codes':>6} {'modifiers':>9} {'notes':>5}  {'loaded at':<25} source")
    for row in rows:
        sample = " (sample)" if row["is_sample"] else ""
        print(
            f"{row['id']:<8} {row['code_count']:>6} {row['modifier_count']:>9} "
            f"{row['note_count']:>5}  {row['loaded_at']:<25} {row['source_name']}{sample}"
        )


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from hcpcs_graph.server.serve import serve  # it builds the schema (2 s): only `serve` waits

    settings = settings.with_(host=args.host, port=args.port, workers=args.workers)
    for name, size in sweep_stale_copies(settings.db):
        print(f"Removed {_swept(name, size)}", file=sys.stderr)
    if not Path(settings.db).exists() and _is_default(settings.db):
        print(
            f"No database at {settings.db}: loading the one-record sample release (G6002) "
            "first. Load full CMS releases with `hcpcs load`.",
            file=sys.stderr,
        )
        load(settings.db, open_source(None, sample=True))
    return serve(settings)


def _is_default(db: str) -> bool:
    """Only the default file may be created with the sample: a path the user named and
    mistyped is an error, not a new one-record database."""
    return Path(db).resolve() == Path(Settings().db).resolve()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env(db=getattr(args, "db", None))
        if args.command == "load":
            return _load(args, settings)
        if args.command == "serve":
            return _serve(args, settings)
        return _releases(settings)
    except (LoadError, SettingsError, DatabaseUnavailable) as e:
        print(f"hcpcs: error: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("hcpcs: interrupted; the database is unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `hcpcs releases | head -1`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
