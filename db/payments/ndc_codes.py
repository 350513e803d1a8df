"""National Drug Codes as people type them, read to the 11 digits (5-4-2) CMS's crosswalk
and claims use.

A 10-digit NDC is written with hyphens in one of three layouts (4-4-2, 5-3-2, 5-4-1), and
the layout says which segment takes a leading zero. Without hyphens, 10 digits could be
any of the three: refused rather than guessed.
"""

from __future__ import annotations

import re

# (labeler, product, package) widths of the layouts read, and the 5-4-2 they pad to
_HYPHENATED = re.compile(r"([0-9]{4,5})-([0-9]{3,4})-([0-9]{1,2})")  # ASCII: \d takes any script
_LAYOUTS = {(4, 4, 2), (5, 3, 2), (5, 4, 1), (5, 4, 2)}
_FORMS = "4-4-2, 5-3-2 or 5-4-1 with hyphens, or 11 digits (5-4-2) with or without them"


def normalize(text: str) -> str:
    """The NDC's 11 digits, without hyphens; ValueError saying which forms are read."""
    value = text.strip()
    if value.isascii() and value.isdigit():
        if len(value) == 11:
            return value
        if len(value) == 10:
            raise ValueError(
                f"{value!r} has 10 digits without hyphens, which could be 4-4-2, 5-3-2 or "
                "5-4-1: write it with its hyphens, as on the package"
            )
    found = _HYPHENATED.fullmatch(value)
    if found is not None:
        labeler, product, package = found.groups()
        if (len(labeler), len(product), len(package)) in _LAYOUTS:
            return labeler.zfill(5) + product.zfill(4) + package.zfill(2)
    shown = repr(value) if len(value) <= 40 else f"{value[:40]!r}..."
    raise ValueError(f"{shown} is not a National Drug Code; give it as {_FORMS}")
