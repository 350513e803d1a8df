"""How many of `db.queries.CODE_COLUMNS` a page of codes must read for what a query selects.

A page is read as a prefix of CODE_COLUMNS (they are ordered for it), so the answer is a
width: the furthest column any selected field of the codes reads. A field not listed
here (a resolver, a less common column) reads the whole row. The selection is walked as
written, fragments included and directives ignored, so the width can only be too wide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode

from db.queries import CODE_COLUMNS, LEAD, WIDTH

_NEEDS_LEAD = ("__typename", "id", "code", "release", "statusDate")
# A code's or modifier's field (as the schema names it) -> the columns it reads.
_READS: dict[str, tuple[str, ...]] = {
    **{name: () for name in _NEEDS_LEAD},
    "shortDescription": ("short_description",),
    "longDescription": ("long_description",),
    "betos": ("betos",),
    "addedDate": ("added_date",),
    "terminationDate": ("termination_date",),
    "status": ("added_date", "termination_date"),
    "action": ("action_code",),
    "actionEffectiveDate": ("action_effective_date",),
    "typesOfService": ("types_of_service",),
    "pricingIndicators": ("pricing_indicators",),
    "coverage": ("coverage",),
}
_WIDTH_OF = {
    field: max((CODE_COLUMNS.index(c) + 1 for c in columns), default=LEAD)
    for field, columns in _READS.items()
}


def _record_width(
    selections: Iterable[Any], fragments: Mapping[str, FragmentDefinitionNode]
) -> int:
    """The width the fields of a code or modifier need."""
    width = LEAD
    for selection in selections:
        if isinstance(selection, FieldNode):
            needed = _WIDTH_OF.get(selection.name.value, WIDTH)
        elif isinstance(selection, InlineFragmentNode):
            needed = _record_width(selection.selection_set.selections, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is None:
                return WIDTH
            needed = _record_width(fragment.selection_set.selections, fragments)
        else:
            return WIDTH
        if needed >= WIDTH:
            return WIDTH
        width = max(width, needed)
    return width


def _edges_width(selections: Iterable[Any], fragments: Mapping[str, FragmentDefinitionNode]) -> int:
    """The width an `edges` selection needs: its nodes', the cursor needs the code alone."""
    width = LEAD
    for selection in selections:
        if isinstance(selection, FieldNode):
            if selection.name.value != "node":
                continue  # cursor, __typename
            if selection.selection_set is None:
                return WIDTH
            needed = _record_width(selection.selection_set.selections, fragments)
        elif isinstance(selection, InlineFragmentNode):
            needed = _edges_width(selection.selection_set.selections, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is None:
                return WIDTH
            needed = _edges_width(fragment.selection_set.selections, fragments)
        else:
            return WIDTH
        width = max(width, needed)
    return width


def page_width(info: Any) -> int:
    """The width of the page a connection's `nodes`, `edges` or `pageInfo` field reads;
    `info` is Strawberry's."""
    raw = info._raw_info
    name = raw.field_name
    if name == "pageInfo":
        return LEAD  # cursors and whether there is more: the code alone
    walk = _record_width if name == "nodes" else _edges_width if name == "edges" else None
    if walk is None:
        return WIDTH
    width = LEAD
    for node in raw.field_nodes:  # a field may be asked twice under one response key
        if node.selection_set is None:
            return WIDTH
        width = max(width, walk(node.selection_set.selections, raw.fragments))
    return width
