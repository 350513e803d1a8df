"""How many of `db.fields.COLUMNS` a page of codes must read for what a query selects.

A page is read as a prefix of COLUMNS (they are ordered for it), so the answer is a
width: the furthest column any selected field of the codes reads. A field not listed
here (a resolver, a column past db.fields.LISTED) reads the whole row. The selection is walked as
written, fragments included and directives ignored, so the width can only be too wide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode

from hcpcs_graph.db.fields import FIELDS, INDEX, LISTED
from hcpcs_graph.db.queries import LEAD, WIDTH
from hcpcs_graph.schema.private_api import raw_info

# A code's or modifier's field (as the schema names it) -> the columns it reads: its own
# column (db.fields), when it is one a narrow page may read, and the computed fields'.
_READS: dict[str, tuple[str, ...]] = {
    **{name: () for name in ("__typename", "id", "release", "statusDate")},
    **{f.name: (f.column,) for f in FIELDS if f.name is not None and INDEX[f.column] < LISTED},
    "status": ("added_date", "termination_date"),
}
_WIDTH_OF = {
    field: max([LEAD, *(INDEX[c] + 1 for c in columns)]) for field, columns in _READS.items()
}


class _Walk:
    """One walk of a selection: each fragment is measured once however often it is spread
    (fragments spreading fragments twice each would otherwise take exponential time)."""

    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.measured: dict[tuple[str, Callable[..., int]], int] = {}

    def width(self, selections: Iterable[Any], field: Callable[[_Walk, FieldNode], int]) -> int:
        """The widest any selected field needs (`field` says for one), fragments walked."""
        width = LEAD
        for selection in selections:
            if isinstance(selection, FieldNode):
                needed = field(self, selection)
            elif isinstance(selection, InlineFragmentNode):
                needed = self.width(selection.selection_set.selections, field)
            elif isinstance(selection, FragmentSpreadNode):
                needed = self._fragment(selection.name.value, field)
            else:
                return WIDTH
            if needed >= WIDTH:
                return WIDTH
            width = max(width, needed)
        return width

    def _fragment(self, name: str, field: Callable[[_Walk, FieldNode], int]) -> int:
        key = (name, field)
        found = self.measured.get(key)
        if found is None:
            fragment = self.fragments.get(name)
            self.measured[key] = WIDTH  # a cycle (never valid) reads the whole row
            found = (
                WIDTH if fragment is None else self.width(fragment.selection_set.selections, field)
            )
            self.measured[key] = found
        return found


def _record_field(walk: _Walk, node: FieldNode) -> int:
    """A field of a code or modifier."""
    return _WIDTH_OF.get(node.name.value, WIDTH)


def _edge_field(walk: _Walk, node: FieldNode) -> int:
    """A field of an edge: its node's fields; the cursor needs the code alone."""
    if node.name.value != "node":
        return LEAD  # cursor, __typename
    if node.selection_set is None:
        return WIDTH
    return walk.width(node.selection_set.selections, _record_field)


def page_width(info: Any) -> int:
    """The width of the page a connection's `nodes`, `edges` or `pageInfo` field reads;
    `info` is Strawberry's. Known per request for each selection (a connection under a
    list is asked once per parent). The whole row when Strawberry keeps no graphql-core
    info to read the selection from."""
    raw = raw_info(info)
    if raw is None:
        return WIDTH
    name = raw.field_name
    if name == "pageInfo":
        return LEAD  # cursors and whether there is more: the code alone
    field = _record_field if name == "nodes" else _edge_field if name == "edges" else None
    if field is None:
        return WIDTH
    widths: dict[tuple[object, ...], int] | None = getattr(info.context, "widths", None)
    key = (name, *map(id, raw.field_nodes))  # the nodes live as long as the request
    if widths is not None and key in widths:
        return widths[key]
    walk = _Walk(raw.fragments)
    width = LEAD
    for node in raw.field_nodes:  # a field may be asked twice under one response key
        if node.selection_set is None:
            width = WIDTH
            break
        width = max(width, walk.width(node.selection_set.selections, field))
    if widths is not None:
        widths[key] = width
    return width
