"""Fixtures: paths of the real CMS files (read in place) and databases built from them.

CMS's files are in HCPCS_TEST_DATA (default ../shared/cms-hcpcs beside the checkout). A test
that reads them says so by using `cms_files` (or a fixture built on it, `all_releases_db`);
without the folder such a test is skipped, with one line saying what is missing and where
CMS publishes it, and every other test runs. Under CI (CI set, and not "false" or "0") a
missing folder fails the run before any test: CI must not pass by skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from hcpcs_graph.db.load import load
from hcpcs_graph.db.sources import open_source

pytest_plugins = ["tests.browsers"]

ROOT = Path(__file__).resolve().parents[1]
CMS = Path(os.environ.get("HCPCS_TEST_DATA") or ROOT / ".." / "shared" / "cms-hcpcs").resolve()
CMS_URL = (
    "https://www.cms.gov/medicare/coding-billing/healthcare-common-procedure-system/"
    "quarterly-update"
)

# Every release in the CMS folder, as a user would name it to `hcpcs load`.
RELEASES = {
    "2016-01": CMS / "2016" / "HCPC2016_CONTR_ANWEB.txt",
    "2017-01": CMS / "2017" / "2017-Alpha-Numeric-HCPCS-File.zip",
    "2018-01": CMS / "2018" / "2018-Alpha-Numeric-HCPCS-File.zip",
    "2019-01": CMS / "2019" / "2019-Alpha-Numeric-HCPCS-File.zip",
    "2020-01": CMS / "2020" / "2020-Alpha-Numeric-HCPCS-File.zip",
    "2025-10": CMS / "2025-OCT" / "HCPC2025_OCT_ANWEB_v4.xlsx",
    "2026-01": CMS / "2026-JAN" / "HCPC2026_JAN_ANWEB_01122026.txt",
}
# CMS's payment files (issue 18), in HCPCS_PAYMENT_DATA (default ../shared/cms-payment)
PAYMENT = Path(
    os.environ.get("HCPCS_PAYMENT_DATA") or ROOT / ".." / "shared" / "cms-payment"
).resolve()
PAYMENT_FILES = {
    "asp-2025-01": PAYMENT
    / "asp"
    / "2025-01"
    / "january-2025-asp-pricing-file-12_19_24-final-file.zip",
    "ndc-2025-10": PAYMENT / "asp" / "2025-10" / "October 2025 ASP NDC-HCPCS Crosswalk.csv",
    "dmepos-2025-01": PAYMENT / "dmepos" / "2025-01" / "DMEPOS_JAN.csv",
    "dmepen-2025-01": PAYMENT / "dmepos" / "2025-01" / "DMEPEN_JAN.csv",
    "pfs-2025-01": PAYMENT / "pfs" / "2025-A" / "rvu25a-updated-01_10_2025.zip",
    "clfs-2025-01": PAYMENT / "clfs" / "2025-Q1" / "25CLABQ1.zip",
    "asc-2025-01": PAYMENT
    / "asc"
    / "2025-01"
    / "january-2025-asc-approved-hcpcs-code-and-payment-rates.zip",
    "opps-2019-01": PAYMENT / "opps" / "2019-01" / "january_2019_opps_web_addendum_b.12312018.xlsx",
    # January 2020 as first published; CMS's correction of February 2020 is tested apart
    "opps-2020-01": PAYMENT / "opps" / "2020-01" / "2020_january_web_addendum_b.12312019.xlsx",
}
OPPS_CORRECTION = PAYMENT / "opps" / "2020-01" / "January 2020 Addendum B CORRECTION.02042020.xlsx"
# CMS's NOC code lists (issue 20), loaded like payment files: release noc-YYYY-MM
NOC_FILES = {
    "noc-2017-01": CMS / "2017" / "2017-NOC-Codes.zip",
    "noc-2018-01": CMS / "2018" / "2018-HCPCS-NOC-Codes.zip",
    "noc-2019-01": CMS / "2019" / "2019-HCPCS-NOC-Codes.zip",
    "noc-2025-07": CMS / "2025-JUL" / "NOC codes_JUL2025.xlsx",
}
NOTES = {
    "2016-01": CMS / "2016" / "proc_notes_2016.txt",
    "2026-01": CMS / "2026-JAN" / "proc_notes_JAN2026.txt",
}


def missing(folder: Path = CMS) -> str:
    """The one line a test needing CMS's files is skipped with (or CI fails with)."""
    if folder == PAYMENT:
        return (
            f"CMS's payment files are not in {folder} (set HCPCS_PAYMENT_DATA to their "
            "folder; ../shared/cms-payment/README.md lists them)"
        )
    return (
        f"CMS's HCPCS files are not in {folder} (set HCPCS_TEST_DATA to their folder); "
        f"CMS publishes them at {CMS_URL}"
    )


def in_ci(environ: Mapping[str, str] = os.environ) -> bool:
    """CI is set, and not to false or 0."""
    return environ.get("CI", "").strip().lower() not in ("", "false", "0")


def pytest_configure(config: pytest.Config) -> None:
    if in_ci() and not CMS.is_dir():
        raise pytest.UsageError(missing())
    if in_ci() and not PAYMENT.is_dir():
        raise pytest.UsageError(missing(PAYMENT))


@pytest.fixture(scope="session")
def cms_files() -> Path:
    """The folder of CMS's files; a test using it is skipped when it is missing."""
    if not CMS.is_dir():
        pytest.skip(missing())
    return CMS


def load_release(db_path: Path, release: str) -> None:
    notes = NOTES.get(release)
    load(db_path, open_source(str(RELEASES[release]), notes=str(notes) if notes else None))


@pytest.fixture(scope="session")
def all_releases_db(cms_files: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database holding every release of CMS's files, built once; tests copy it to
    change it."""
    path = tmp_path_factory.mktemp("all") / "hcpcs.db"
    for release in RELEASES:
        load_release(path, release)
    return path


@pytest.fixture(scope="session")
def payment_files() -> Path:
    """The folder of CMS's payment files; a test using it is skipped when it is missing."""
    if not PAYMENT.is_dir():
        pytest.skip(missing(PAYMENT))
    return PAYMENT


@pytest.fixture(scope="session")
def payments_db(
    all_releases_db: Path, payment_files: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Every HCPCS release and every payment file of PAYMENT_FILES, built once."""
    from hcpcs_graph.db.payments.load import load_payment
    from hcpcs_graph.db.payments.sources import open_payment

    path = tmp_path_factory.mktemp("payments") / "hcpcs.db"
    shutil.copyfile(all_releases_db, path)
    for file in PAYMENT_FILES.values():
        load_payment(path, open_payment(str(file)))
    return path


@pytest.fixture
async def payments_database(payments_db: Path):
    async with _opened(payments_db) as db:
        yield db


@pytest.fixture
def payments_run(payments_database, graphql_schema) -> Run:
    return Run(payments_database, graphql_schema)


@pytest.fixture(scope="session")
def claims_db(payments_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """payments_db and CMS's four NOC code lists: what claim checks read, built once."""
    from hcpcs_graph.db.payments.load import load_payment
    from hcpcs_graph.db.payments.sources import open_payment

    path = tmp_path_factory.mktemp("claims") / "hcpcs.db"
    shutil.copyfile(payments_db, path)
    for file in NOC_FILES.values():
        load_payment(path, open_payment(str(file)))
    return path


@pytest.fixture
async def claims_database(claims_db: Path):
    async with _opened(claims_db) as db:
        yield db


@pytest.fixture
def claims_run(claims_database, graphql_schema) -> Run:
    return Run(claims_database, graphql_schema)


@pytest.fixture
def db_copy(all_releases_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "hcpcs.db"
    shutil.copyfile(all_releases_db, path)
    return path


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    """A database holding the bundled sample release (db/sample/), for tests that need a
    database but not CMS's codes."""
    path = tmp_path / "hcpcs.db"
    load(path, open_source(None, sample=True))
    return path


@pytest.fixture
async def database(all_releases_db: Path):
    async with _opened(all_releases_db) as db:
        yield db


def _opened(path: Path):
    from hcpcs_graph.db.database import Database

    return Database(path).opened()


class Run:
    """Execute GraphQL through `schema.execute()` against an open database."""

    def __init__(self, db, schema) -> None:
        self.db = db
        self.schema = schema

    async def __call__(
        self, query: str, variables: dict | None = None, *, errors: bool | None = False
    ):
        """The data; with errors=True the result, which must hold errors; None: either."""
        from hcpcs_graph.schema.context import Context

        ctx = Context(snapshot=await self.db.snapshot(), request_id="test")
        result = await self.schema.execute(query, variable_values=variables, context_value=ctx)
        if result.errors is None and result.data is not None:
            await self.same_when_compiled(query, variables, result)
        if errors is None:
            return result if result.errors else result.data
        if errors:
            assert result.errors, result.data
            return result
        assert result.errors is None, result.errors
        return result.data

    async def same_when_compiled(self, query: str, variables: dict | None, result) -> None:
        """Every query a test runs without errors is run again by its compiled plan
        (schema/compiled.py), which must answer the same bytes, or decline."""
        import orjson

        from hcpcs_graph.schema.context import Context

        self.schema.learn(query, None)
        ctx = Context(snapshot=await self.db.snapshot(), request_id="test")
        known = await self.schema.execute_known(query, variables, None, ctx)
        if known is not None:
            full = {"data": result.data, "extensions": result.extensions}
            assert orjson.dumps(known) == orjson.dumps(full), query


@pytest.fixture(scope="session")
def graphql_schema():
    """One schema for the tests that run queries without HTTP (an app builds its own)."""
    from hcpcs_graph.schema import build_schema

    return build_schema()


@pytest.fixture
def run(database, graphql_schema) -> Run:
    return Run(database, graphql_schema)


@pytest.fixture(scope="module")
def http(all_releases_db: Path):
    """(runner, client): the app over HTTP in process, for hypothesis tests, which are
    plain functions: the runner's event loop runs each request."""
    import asyncio

    import httpx

    from hcpcs_graph.server.app import create_app
    from hcpcs_graph.server.settings import Settings

    runner = asyncio.Runner()
    app = create_app(Settings(db=str(all_releases_db)))
    lifespan = app.router.lifespan_context(app)
    runner.run(lifespan.__aenter__())
    # raise_app_exceptions: an exception escaping the app fails the example
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=True), base_url="http://t"
    )
    try:
        yield runner, client
    finally:
        runner.run(client.aclose())
        runner.run(lifespan.__aexit__(None, None, None))
        runner.close()


def make_client(db_path: Path, **settings):
    """An httpx client over the app in process, its lifespan entered (an async context)."""
    import contextlib

    import httpx

    from hcpcs_graph.server.app import create_app
    from hcpcs_graph.server.settings import Settings

    @contextlib.asynccontextmanager
    async def client():
        app = create_app(Settings(db=str(db_path), **settings))
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
                yield c

    return client()
