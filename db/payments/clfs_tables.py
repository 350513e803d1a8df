"""The clinical laboratory fee schedule's coded values, from CMS's record layout of the
CLFS public use file (CLFS 2025 Q1V1.pdf, Attachments A-1 and A-2, inside the CLFS ZIP).

The layout says of the Indicator column only "National or local pricing indicator"; the
file writes N and L.
"""

from __future__ import annotations

INDICATORS = {
    "N": "National pricing.",
    "L": "Local pricing.",
}
