"""Naming a source: file, ZIP, URL; the release id from CMS's file names."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.sources import open_source, release_from_name
from tests.fixtures import release_zip
from tests.records_util import file_bytes, record


@pytest.mark.parametrize(
    ("name", "release"),
    [
        ("HCPC2025_OCT_ANWEB_v4.xlsx", "2025-10"),
        ("HCPC2016_CONTR_ANWEB.txt", "2016-01"),
        ("HCPC17_CONTR_ANWEB.txt", "2017-01"),
        ("HCPC2020_ANWEB_w_disclaimer.txt", "2020-01"),
        ("2019-Alpha-Numeric-HCPCS-File.zip", "2019-01"),
        ("HCPC2026_JAN_ANWEB_01122026.txt", "2026-01"),
        ("HCPC2018_CONTR_ANWEB_disc.xlsx", "2018-01"),
        ("april-2024-alpha-numeric-hcpcs-file.zip", "2024-04"),
        ("https://www.cms.gov/files/zip/july-2025-alpha-numeric-hcpcs-file.zip", "2025-07"),
        ("codes.txt", None),
    ],
)
def test_release_from_cms_file_names(name: str, release: str | None) -> None:
    assert release_from_name(name) == release


def test_zip_prefers_the_txt_and_takes_the_notes(cms_files: Path) -> None:
    source = open_source(str(cms_files / "2019" / "2019-Alpha-Numeric-HCPCS-File.zip"))
    assert (source.name, source.format, source.release) == (
        "HCPC2019_CONTR_ANWEB.txt",
        "txt",
        "2019-01",
    )
    assert source.notes_name == "proc_notes_2019.txt"


def test_kind_comes_from_the_bytes_not_the_name(cms_files: Path, tmp_path: Path) -> None:
    misnamed = tmp_path / "HCPC2025_OCT_ANWEB.txt"
    shutil.copyfile(cms_files / "2025-OCT" / "HCPC2025_OCT_ANWEB_v4.xlsx", misnamed)
    assert open_source(str(misnamed)).format == "xlsx"


def test_release_option_overrides_and_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "codes.txt"
    path.write_bytes(file_bytes(record()))
    with pytest.raises(LoadError) as caught:
        open_source(str(path))
    assert str(caught.value) == (
        "codes.txt: cannot tell the release from the file name; pass --release YYYY-MM"
    )
    assert open_source(str(path), release="2024-07").release == "2024-07"
    with pytest.raises(LoadError, match="release '2024-7' is not YYYY-MM"):
        open_source(str(path), release="2024-7")


def test_zip_without_an_hcpcs_file(tmp_path: Path) -> None:
    path = tmp_path / "2017-NOC-Codes.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("NOC_Codes_2017.txt", "not it")
        archive.writestr("HCPC2017_README.txt", "nor this")
    with pytest.raises(LoadError) as caught:
        open_source(str(path))
    assert str(caught.value) == (
        "2017-NOC-Codes.zip: the ZIP holds no HCPCS file (*ANWEB*.txt, .xlsx or .xls); "
        "it holds NOC_Codes_2017.txt, HCPC2017_README.txt"
    )


def test_real_noc_zip_is_refused_with_its_contents(cms_files: Path) -> None:
    with pytest.raises(LoadError, match=r"2017-NOC-Codes.zip: the ZIP holds no HCPCS file"):
        open_source(str(cms_files / "2017" / "2017-NOC-Codes.zip"))


def test_missing_file() -> None:
    with pytest.raises(LoadError, match=r"^/nonexistent/HCPC2020.txt: no such file$"):
        open_source("/nonexistent/HCPC2020.txt")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[str]:
    """A local HTTP server over an annual ZIP named as CMS names them (127.0.0.1 only)."""
    release_zip(tmp_path, 2018, "HCPC2018_CONTR_ANWEB_disc.txt")
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_url_to_a_zip(http_server: str) -> None:
    source = open_source(f"{http_server}/2018-Alpha-Numeric-HCPCS-File.zip")
    assert (source.name, source.release, source.format) == (
        "HCPC2018_CONTR_ANWEB_disc.txt",
        "2018-01",
        "txt",
    )
    assert source.notes_name == "proc_notes_2018.txt"


def test_url_not_found(http_server: str) -> None:
    with pytest.raises(
        LoadError, match=r"missing.zip: could not download: HTTP 404 File not found$"
    ):
        open_source(f"{http_server}/missing.zip")
