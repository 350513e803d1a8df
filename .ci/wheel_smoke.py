"""The installed wheel, used as users use it: run by .ci/run with the Python of a fresh
venv holding only the wheel, from a temporary directory, so nothing of the checkout is
importable. Checks `hcpcs --version`, `hcpcs serve` answering the seed query on the sample,
every page file served, `hcpcs load` of a real release and of real payment files, and, with PyPI's `schema` package
installed beside it, that both import and work.

    python wheel_smoke.py CHECKOUT RELEASE_FILE [PAYMENT_FILE ...] [--with-pypi-schema]
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SEED = '{ hcpcsCode(code: "G6002") { code shortDescription release { name } } }'


def check(condition: object, message: str) -> None:
    if not condition:
        sys.exit(f"wheel smoke: FAILED: {message}")
    print(f"wheel smoke: ok: {message}")


def hcpcs(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("hcpcs")
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def nothing_of_the_checkout(checkout: Path) -> None:
    import hcpcs_graph.db
    import hcpcs_graph.schema
    import hcpcs_graph.server

    for module in (hcpcs_graph.server, hcpcs_graph.schema, hcpcs_graph.db):
        where = Path(module.__file__ or "").resolve()
        check(
            checkout not in where.parents and "site-packages" in where.parts,
            f"{module.__name__} comes from the installed wheel ({where})",
        )
    for generic in ("server", "schema", "db"):
        try:
            found = importlib.util.find_spec(generic)
        except (ImportError, ValueError):
            found = None
        origin = found.origin if found else None
        check(
            found is None or "hcpcs_graph" not in str(origin),
            f"the wheel installs no top-level `{generic}` ({origin or 'none'})",
        )


def serve_the_sample(work: Path, checkout: Path) -> None:
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    log = (work / "serve.log").open("w")
    process = subprocess.Popen(
        # no --db: as on a first run, hcpcs.db in the working directory, the sample loaded
        [str(Path(sys.executable).with_name("hcpcs")), "serve", "--host", "127.0.0.1",
         "--port", str(port)],
        cwd=work, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                get(f"{origin}/healthz")
                break
            except OSError:
                if process.poll() is not None:
                    log.close()
                    check(False, f"`hcpcs serve` exited: {(work / 'serve.log').read_text()}")
                time.sleep(0.1)
        answer = json.loads(
            get(
                f"{origin}/graphql",
                json.dumps({"query": SEED}).encode(),
                {"Content-Type": "application/json"},
            )
        )
        code = answer["data"]["hcpcsCode"]
        check(code["code"] == "G6002", f"`hcpcs serve` answers the seed query: {code}")
        lookup = get(f"{origin}/").decode()
        check("<title>HCPCS lookup" in lookup, "the lookup page is served at /")
        graphiql = get(f"{origin}/graphql", headers={"Accept": "text/html"}).decode()
        check("graphiql" in graphiql.lower(), "GraphiQL is served at /graphql")
        static = checkout / "server" / "static"
        files = sorted(p for p in static.rglob("*") if p.is_file())
        for path in files:
            body = get(f"{origin}/static/{path.relative_to(static).as_posix()}")
            if body != path.read_bytes():
                check(False, f"/static/{path.relative_to(static)} is the checkout's file")
        check(files, f"all {len(files)} files under server/static are served as they are")
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def main() -> None:
    checkout = Path(sys.argv[1]).resolve()
    release = Path(sys.argv[2]).resolve()
    with_schema = "--with-pypi-schema" in sys.argv[3:]
    payments = [Path(a).resolve() for a in sys.argv[3:] if not a.startswith("--")]
    check(
        str(checkout) not in [str(Path(p).resolve()) for p in sys.path if p],
        "no checkout on sys.path",
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.chdir(work)
        nothing_of_the_checkout(checkout)

        version = hcpcs("--version", cwd=work)
        expected = importlib.metadata.version("hcpcs-graph")
        check(
            version.returncode == 0 and expected in version.stdout,
            f"`hcpcs --version`: {version.stdout.strip()}",
        )

        templates = checkout / "server" / "templates"
        import hcpcs_graph.server

        installed = Path(hcpcs_graph.server.__file__).parent
        for path in templates.rglob("*"):
            if path.is_file():
                shipped = installed / "templates" / path.relative_to(templates)
                check(shipped.is_file(), f"the wheel ships templates/{path.relative_to(templates)}")

        serve_the_sample(work, checkout)

        loaded = hcpcs("load", str(release), "--db", str(work / "real.db"), cwd=work)
        check(
            loaded.returncode == 0,
            f"`hcpcs load {release.name}`: {loaded.stdout.strip()[-200:]}{loaded.stderr[-500:]}",
        )
        listed = hcpcs("releases", "--db", str(work / "real.db"), cwd=work)
        check(listed.returncode == 0 and release.name in listed.stdout, "`hcpcs releases` lists it")
        for payment in payments:
            loaded = hcpcs("load", str(payment), "--db", str(work / "real.db"), cwd=work)
            check(
                loaded.returncode == 0 and "Loaded schedule release" in loaded.stdout,
                f"`hcpcs load {payment.name}`: {loaded.stdout.strip()[:120]}{loaded.stderr[-500:]}",
            )

        if with_schema:
            import schema as pypi_schema

            check(
                "site-packages" in Path(pypi_schema.__file__).parts, "PyPI's `schema` is importable"
            )
            check(pypi_schema.Schema(int).validate(5) == 5, "PyPI's `schema` validates")
            from hcpcs_graph.schema import build_schema

            check(build_schema() is not None, "hcpcs_graph.schema builds beside it")
            serve_the_sample(work, checkout)


if __name__ == "__main__":
    main()
