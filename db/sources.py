"""Turn what a user names (a CMS ZIP, its TXT or XLSX, or a URL to a ZIP) into bytes to read.

The file's kind is told from its bytes, not its name: an XLSX is itself a ZIP, and CMS
names files inconsistently. The release id comes from CMS's file names.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hcpcs_graph.db.errors import LoadError

SAMPLE = Path(__file__).parent / "sample" / "HCPC2026_APR_ANWEB_sample.txt"
MAX_DOWNLOAD = 512 * 1024 * 1024
_FORMAT_PREFERENCE = {"txt": 0, "xlsx": 1, "xls": 2}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_RELEASE = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


@dataclass(slots=True)
class Source:
    name: str  # the HCPCS file's own name (inside the ZIP, if it came in one)
    label: str  # how to name it to the user: "x.zip!HCPC2019_CONTR_ANWEB.txt"
    data: bytes
    format: str  # txt, xlsx or xls
    sha256: str  # of what the user gave: the ZIP, or the file
    release: str  # as given (--release), else from the file names
    notes_name: str | None = None
    notes: bytes | None = None
    is_sample: bool = False


def release_from_name(name: str) -> str | None:
    """'HCPC2025_OCT_ANWEB_v4.xlsx' -> '2025-10'; 'HCPC17_CONTR_ANWEB.txt' -> '2017-01'."""
    base = os.path.basename(urllib.parse.unquote(name)).lower()
    match = re.search(r"hcpcs?_?(\d{4}|\d{2})(?!\d)", base) or re.search(
        r"(?<!\d)((?:19|20)\d{2})(?!\d)", base
    )
    if not match:
        return None
    year = match.group(1)
    year = f"20{year}" if len(year) == 2 else year
    month = next((_MONTHS[t] for t in re.split(r"[^a-z]+", base) if t in _MONTHS), 1)
    return f"{year}-{month:02d}"


def check_release(release: str) -> str:
    if not _RELEASE.fullmatch(release):
        raise LoadError(f"release {release!r} is not YYYY-MM (e.g. 2025-10)")
    return release


def kind_of(data: bytes) -> str:
    """zip, xlsx, xls or txt, from the first bytes."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    return "txt"


def _fetch(url: str, timeout: float) -> tuple[str, bytes]:
    request = urllib.request.Request(url, headers={"User-Agent": "hcpcs-graph"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_DOWNLOAD + 1)
            final = response.geturl()
    except urllib.error.HTTPError as e:
        raise LoadError(f"could not download: HTTP {e.code} {e.reason}", file=url) from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise LoadError(f"could not download: {getattr(e, 'reason', e)}", file=url) from None
    if len(data) > MAX_DOWNLOAD:
        raise LoadError(f"download is larger than {MAX_DOWNLOAD // 2**20} MiB", file=url)
    return os.path.basename(urllib.parse.urlparse(final).path) or url, data


def read_path(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise LoadError("no such file", file=path) from None
    except IsADirectoryError:
        raise LoadError("is a directory, not a CMS file", file=path) from None
    except OSError as e:
        raise LoadError(f"cannot read ({e.strerror})", file=path) from None


def _from_zip(name: str, data: bytes) -> tuple[str, bytes, str, str | None, bytes | None]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise LoadError(f"not a readable ZIP ({e})", file=name) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and "__MACOSX" not in m.filename]
        candidates = []
        notes = None
        for member in members:
            base = os.path.basename(member.filename)
            lower = base.lower()
            suffix = lower.rsplit(".", 1)[-1]
            if lower.startswith("proc_notes") and suffix == "txt":
                notes = member
            elif "anweb" in lower and "trans" not in lower and suffix in _FORMAT_PREFERENCE:
                candidates.append((_FORMAT_PREFERENCE[suffix], base, member))
        if not candidates:
            listing = ", ".join(os.path.basename(m.filename) for m in members) or "nothing"
            raise LoadError(
                f"the ZIP holds no HCPCS file (*ANWEB*.txt, .xlsx or .xls); it holds {listing}",
                file=name,
            )
        _, inner, member = min(candidates, key=lambda c: (c[0], c[1]))
        try:
            body = archive.read(member)
            notes_body = archive.read(notes) if notes else None
        except (zipfile.BadZipFile, OSError, RuntimeError) as e:
            raise LoadError(f"cannot extract {inner} ({e})", file=name) from None
        return (
            inner,
            body,
            kind_of(body),
            os.path.basename(notes.filename) if notes else None,
            notes_body,
        )


def fetch(source: str, timeout: float = 60.0) -> tuple[str, bytes]:
    """(name, bytes) of a path or an http(s) URL."""
    if is_url(source):
        return _fetch(source, timeout)
    return os.path.basename(source), read_path(source)


def is_url(source: str) -> bool:
    return re.match(r"^https?://", source, re.IGNORECASE) is not None


def open_source(
    source: str | None,
    *,
    release: str | None = None,
    notes: str | None = None,
    sample: bool = False,
    timeout: float = 60.0,
    fetched: tuple[str, bytes] | None = None,
) -> Source:
    """Read SOURCE (path or http(s) URL) or the bundled sample, ready to parse; `fetched`:
    its (name, bytes), already read by `fetch`."""
    if sample:
        source = str(SAMPLE)
    if not source:
        raise LoadError("name a CMS file, ZIP or URL to load (or --sample)")
    outer, data = fetched or fetch(source, timeout)
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise LoadError("the file is empty", file=outer)
    kind = kind_of(data) if data[:4] != b"PK\x03\x04" else _zip_kind(outer, data)
    if kind == "zip":
        inner, body, fmt, notes_name, notes_body = _from_zip(outer, data)
        label = f"{outer}!{inner}"
        if fmt == "zip":
            raise LoadError("a ZIP inside the ZIP is not a CMS HCPCS file", file=label)
    else:
        inner, body, fmt, notes_name, notes_body, label = outer, data, kind, None, None, outer
    if notes:
        notes_name, notes_body = os.path.basename(notes), read_path(notes)
    found = release_from_name(inner) or release_from_name(outer)
    chosen = check_release(release) if release else found
    if chosen is None:
        raise LoadError(
            "cannot tell the release from the file name; pass --release YYYY-MM", file=label
        )
    return Source(
        name=inner,
        label=label,
        data=body,
        format=fmt,
        sha256=digest,
        release=chosen,
        notes_name=notes_name,
        notes=notes_body,
        is_sample=sample,
    )


def _zip_kind(name: str, data: bytes) -> str:
    try:
        return kind_of(data)
    except zipfile.BadZipFile as e:
        raise LoadError(f"not a readable ZIP ({e})", file=name) from None
