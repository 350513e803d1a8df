"""How many of `db.queries.CODE_COLUMNS` a page of codes must read for what a query selects.

A page is read as a prefix of CODE_COLUMNS (they are ordered for it), so the answer is a
width: the furthest column any selected field of the codes reads. A field not listed
here (a resolver, a less common column) reads the whole row. The selection is walked as
written, fragments included and directives ignored, so the width can only be too wide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
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

Fragments = Mapping[str, FragmentDefinitionNode]
FieldWidth = Callable[[FieldNode, Fragments], int]  # the width one selected field needs


def _width(selections: Iterable[Any], fragments: Fragments, field: FieldWidth) -> int:
    """The widest any selected field needs (`field` says for one), fragments walked."""
    width = LEAD
    for selection in selections:
        if isinstance(selection, FieldNode):
            needed = field(selection, fragments)
        elif isinstance(selection, InlineFragmentNode):
            needed = _width(selection.selection_set.selections, fragments, field)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)
            if fragment is None:
                return WIDTH
            needed = _width(fragment.selection_set.selections, fragments, field)
        else:
            return WIDTH
        if needed >= WIDTH:
            return WIDTH
        width = max(width, needed)
    return width


def _record_field(node: FieldNode, fragments: Fragments) -> int:
    """A field of a code or modifier."""
    return _WIDTH_OF.get(node.name.value, WIDTH)


def _edge_field(node: FieldNode, fragments: Fragments) -> int:
    """A field of an edge: its node's fields; the cursor needs the code alone."""
    if node.name.value != "node":
        return LEAD  # cursor, __typename
    if node.selection_set is None:
        return WIDTH
    return _width(node.selection_set.selections, fragments, _record_field)


def page_width(info: Any) -> int:
    """The width of the page a connection's `nodes`, `edges` or `pageInfo` field reads;
    `info` is Strawberry's."""
    raw = info._raw_info
    name = raw.field_name
    if name == "pageInfo":
        return LEAD  # cursors and whether there is more: the code alone
    field = _record_field if name == "nodes" else _edge_field if name == "edges" else None
    if field is None:
        return WIDTH
    width = LEAD
    for node in raw.field_nodes:  # a field may be asked twice under one response key
        if node.selection_set is None:
            return WIDTH
        width = max(width, _width(node.selection_set.selections, raw.fragments, field))
    return width
