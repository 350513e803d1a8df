"""Arguments many fields share, described once: what each defaults to and what it accepts.

The descriptions are built from the limits the code enforces, so they cannot drift from it.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from hcpcs_graph.schema.scalars import Date
from hcpcs_graph.schema.types.connection import DEFAULT_FIRST, MAX_FIRST
from hcpcs_graph.schema.types.filters import (
    MAX_CODES,
    MAX_SEARCH_LENGTH,
    MAX_SEARCH_WORDS,
    HcpcsCodeFilter,
)

_NAMED = "a loaded release's name, YYYY-MM (e.g. 2025-10); a release not loaded is BAD_USER_INPUT"

NEWEST_RELEASE = f"The release to read: {_NAMED}. The newest loaded release when omitted."
HOME_RELEASE = (
    f"The release to read: {_NAMED}. When omitted, the release this value was reached "
    "from (its id names it)."
)
FIRST = (
    f"How many items the page holds: at most {MAX_FIRST}; {DEFAULT_FIRST} when omitted. "
    f"Outside 1 to {MAX_FIRST} is BAD_USER_INPUT."
)
AFTER = (
    "Start after this cursor: the `endCursor` (or an edge's `cursor`) of this same list, "
    "its other arguments unchanged (`first` may vary). The first page when omitted; any "
    "other text is BAD_USER_INPUT."
)
SEARCH = (
    "Full-text search of code, short and long description: each word matches as a prefix, "
    "and an exact code ranks first, then relevance. At most "
    f"{MAX_SEARCH_LENGTH} characters and {MAX_SEARCH_WORDS} words, with a letter or digit "
    "(else BAD_USER_INPUT). When omitted, the list is in code order."
)
FILTER = (
    f"Conditions every listed code meets (AND); `codes` takes at most {MAX_CODES}. "
    "No condition when omitted."
)
CODE = "The code; case and surrounding blanks are ignored."

ReleaseName = Annotated[str | None, strawberry.argument(description=NEWEST_RELEASE)]
HomeReleaseName = Annotated[str | None, strawberry.argument(description=HOME_RELEASE)]
First = Annotated[int | None, strawberry.argument(description=FIRST)]
After = Annotated[str | None, strawberry.argument(description=AFTER)]
Search = Annotated[str | None, strawberry.argument(description=SEARCH)]
Filter = Annotated[HcpcsCodeFilter | None, strawberry.argument(description=FILTER)]
Code = Annotated[str, strawberry.argument(description=CODE)]
AsOf = Annotated[
    Date | None,
    strawberry.argument(
        description="A date of service, YYYY-MM-DD. Without `release`: the version in the "
        "latest loaded release effective on or before it (BAD_USER_INPUT when none is). "
        "Either way `status` and `statusDate` are for this date; when omitted, for the "
        "release's effective date."
    ),
]

DIFF_FROM = f"The release to compare from: {_NAMED}."
DIFF_TO = f"The release to compare with `from`: {_NAMED}."
NODE_ID = (
    "An object's `id`, as the object gave it. Null when the release the id names lacks that "
    "object; text that is not an id, or an id of a release not loaded, is BAD_USER_INPUT."
)
