"""The suite without CMS's files (HCPCS_TEST_DATA pointing nowhere): the tests that need them
are skipped with one line saying what is missing and where CMS publishes it, the rest run;
under CI the same run fails."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CMS, ROOT, in_ci, missing

NOWHERE = Path("/nonexistent/cms-hcpcs")
# Quick files holding both kinds of test: on CMS's files and on files the tests write.
SELECTION = ["tests/db/test_notes.py", "tests/db/test_sources.py"]


def pytest_run(*selection: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            *(selection or SELECTION),
        ],
        cwd=ROOT,
        env={**environ, "HCPCS_TEST_DATA": str(NOWHERE), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_files_their_tests_are_skipped_and_the_rest_run() -> None:
    done = pytest_run()
    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.splitlines()[-1]
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", summary)}
    assert counts.keys() == {"passed", "skipped"}, done.stdout
    assert counts["passed"] >= 10 and counts["skipped"] >= 3
    reasons = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(reasons) == counts["skipped"]  # one line each, -rs lists every skip
    assert all(line.endswith(f": {missing(NOWHERE)}") for line in reasons), reasons


def test_under_ci_a_missing_folder_fails_the_run() -> None:
    done = pytest_run(CI="true")
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert f"ERROR: {missing(NOWHERE)}" in done.stderr
    assert "passed" not in done.stdout


def test_the_skip_line_names_the_folder_the_setting_and_cms() -> None:
    line = missing(NOWHERE)
    assert "\n" not in line
    for part in (str(NOWHERE), "HCPCS_TEST_DATA", "https://www.cms.gov/"):
        assert part in line


@pytest.mark.parametrize(
    ("value", "ci"),
    [(None, False), ("", False), ("false", False), ("0", False), ("true", True), ("1", True)],
)
def test_what_counts_as_ci(value: str | None, ci: bool) -> None:
    assert in_ci({} if value is None else {"CI": value}) is ci


def test_without_the_payment_files_their_tests_are_skipped() -> None:
    """CMS's payment files have their own folder (HCPCS_PAYMENT_DATA): without it, the tests
    that read them are skipped with one line naming it, and under CI the run fails."""
    nowhere = "/nonexistent/cms-payment"
    done = pytest_run(
        "tests/db/test_payment_load.py", HCPCS_TEST_DATA=str(CMS), HCPCS_PAYMENT_DATA=nowhere
    )
    assert done.returncode == 0, done.stdout + done.stderr
    reasons = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(reasons) >= 10, done.stdout  # a test reading only HCPCS files still runs
    line = (
        f"CMS's payment files are not in {nowhere} (set HCPCS_PAYMENT_DATA to their folder; "
        "../shared/cms-payment/README.md lists them)"
    )
    assert all(r.endswith(f": {line}") for r in reasons), reasons
    done = pytest_run(
        "tests/db/test_payment_load.py",
        HCPCS_TEST_DATA=str(CMS),
        HCPCS_PAYMENT_DATA=nowhere,
        CI="true",
    )
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert f"ERROR: {line}" in done.stderr
