"""Fixtures of the schema's tests: a database with CMS's payment files (issue 18)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import PAYMENT_FILES, Run
from tests.schema.payment_rows import add_payments


@pytest.fixture(scope="session")
def payment_rows_db(
    all_releases_db: Path, payment_files: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Every HCPCS release, and the payment files' rows as tests/schema/payment_rows.py
    reads them."""
    path = tmp_path_factory.mktemp("payment-rows") / "hcpcs.db"
    shutil.copyfile(all_releases_db, path)
    add_payments(path, PAYMENT_FILES)
    return path


@pytest.fixture
async def payment_rows_database(payment_rows_db: Path):
    from hcpcs_graph.db.database import Database

    db = Database(payment_rows_db)
    async with db.opened():
        yield db


@pytest.fixture
def pay_run(payment_rows_database, graphql_schema) -> Run:
    return Run(payment_rows_database, graphql_schema)
