"""Fixtures of the schema tests: the physician and clinical lab fee schedules (issue 19)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests import pfs_files
from tests.conftest import Run, _opened


@pytest.fixture(scope="session")
def pfs_db(
    all_releases_db: Path, payment_files: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Every HCPCS release, and the Level II rows of CMS's RVU25A and CLFS 2025 Q1 files
    as pfs-2025-01 and clfs-2025-01 (tests/pfs_files.py), built once."""
    path = tmp_path_factory.mktemp("pfs") / "hcpcs.db"
    shutil.copyfile(all_releases_db, path)
    pfs_files.build(path, payment_files)
    return path


@pytest.fixture
async def pfs_database(pfs_db: Path):
    async with _opened(pfs_db) as db:
        yield db


@pytest.fixture
def pfs_run(pfs_database, graphql_schema) -> Run:
    return Run(pfs_database, graphql_schema)
