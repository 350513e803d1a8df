"""Query limits, checked on the parsed document before GraphQL validation runs (validation
of a hostile document can itself be the expensive part): depth, aliases and cost.

Cost is the most nodes (objects) a query can return: a connection multiplies what is
below it by its `first` (20 when absent), other lists by the most items they can hold.
Every response reports it in `extensions.cost`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from strawberry.extensions import SchemaExtension

from schema.errors import UserInputError
from schema.types.connection import DEFAULT_FIRST


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 3000
    max_cost: int = 20_000


# The most items a record's list of objects can hold; connections use `first`.
LIST_BOUNDS = {
    "pricingIndicators": 4,
    "labCertifications": 8,
    "crossReferences": 5,
    "typesOfService": 5,
    "betosFamilies": 8,
    "children": 10,
    "differences": 23,  # the fields that can change (schema.history.COMPARED)
    "beforeDecoded": 8,
    "afterDecoded": 8,
}
CAP = 2**53 - 1  # costs saturate here: still an exact integer in any JSON client
DEFAULT_LIST_BOUND = 120  # the largest code table (BETOS, 107 codes), releases, notes lists
HISTORY_FIELDS = {"history", "releases", "changes"}
MAX_RELEASES_BOUND = 100


class QueryRejected(UserInputError):
    pass


def _unwrap(type_: Any) -> tuple[GraphQLNamedType, bool]:
    is_list = False
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        is_list = is_list or isinstance(type_, GraphQLList)
        type_ = type_.of_type
    return type_, is_list


def _is_wrapper(type_: GraphQLNamedType) -> bool:
    """Connection, Edge and PageInfo objects wrap the nodes; they are not counted."""
    return type_.name.endswith(("Connection", "Edge")) or type_.name == "PageInfo"


class _Measure:
    """Depth and cost of one operation, following fragments without looping on cycles."""

    def __init__(
        self,
        schema: Any,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict,
        max_depth: int,
    ) -> None:
        self.schema = schema
        self.max_depth = max_depth
        self.fragments = fragments
        self.variables = variables or {}
        self.releases = MAX_RELEASES_BOUND

    def _first(self, node: FieldNode) -> int:
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(0, int(value.value))
            if isinstance(value, VariableNode):
                given = self.variables.get(value.name.value)
                return max(0, given) if isinstance(given, int) else DEFAULT_FIRST
        return DEFAULT_FIRST

    def walk(
        self,
        selections: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        multiplier: int,
        depth: int,
        page: int = 0,
        seen: frozenset[str] = frozenset(),
    ) -> tuple[int, int]:
        """(deepest depth, objects) of a selection set on `multiplier` parents.

        `page` is the `first` of the connection the selection set is inside of.
        """
        if selections is None:
            return depth, 0
        if depth >= self.max_depth:
            raise QueryRejected(
                f"the query is more than {self.max_depth} levels deep; at most {self.max_depth}",
                code="QUERY_TOO_DEEP",
            )
        deepest, total = depth, 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                d, n = self._field(selection, parent, multiplier, depth + 1, page, seen)
            elif isinstance(selection, InlineFragmentNode):
                target = self._type(selection.type_condition, parent)
                d, n = self.walk(selection.selection_set, target, multiplier, depth, page, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue  # unknown or cyclic: validation reports it
                target = self._type(fragment.type_condition, parent)
                d, n = self.walk(
                    fragment.selection_set, target, multiplier, depth, page, seen | {name}
                )
            else:
                continue
            deepest, total = max(deepest, d), min(CAP, total + n)
        return deepest, total

    def _type(self, condition: Any, parent: GraphQLNamedType | None) -> GraphQLNamedType | None:
        if condition is None:
            return parent
        return self.schema.get_type(condition.name.value)

    def _field(
        self,
        node: FieldNode,
        parent: GraphQLNamedType | None,
        multiplier: int,
        depth: int,
        page: int,
        seen: frozenset[str],
    ) -> tuple[int, int]:
        name = node.name.value
        if name.startswith("__"):
            return depth, 0  # introspection: bounded by the schema itself
        definition = (getattr(parent, "fields", None) or {}).get(name)
        if definition is None:  # unknown: validation reports it; still measure the depth
            return self.walk(node.selection_set, None, multiplier, depth, page, seen)
        target, is_list = _unwrap(definition.type)
        if not hasattr(target, "fields"):
            return depth, 0  # a scalar or an enum
        if target.name.endswith("Connection"):
            page = self._first(node)
        if is_list:
            if parent is not None and parent.name.endswith(("Connection",)):
                bound = page  # edges and nodes
            elif name in HISTORY_FIELDS:
                bound = self.releases
            elif parent is not None and parent.name == "Query":
                bound = DEFAULT_LIST_BOUND  # a whole code table
            else:
                bound = LIST_BOUNDS.get(name, DEFAULT_LIST_BOUND)
            items = min(CAP, multiplier * bound)
        else:
            items = multiplier
        d, n = self.walk(node.selection_set, target, items, depth, page, seen)
        return d, min(CAP, n + (0 if _is_wrapper(target) else items))


def _count_aliases(
    selections: SelectionSetNode | None, fragments: dict, seen: frozenset[str] = frozenset()
) -> int:
    if selections is None:
        return 0
    count = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            count += selection.alias is not None
            count += _count_aliases(selection.selection_set, fragments, seen)
        elif isinstance(selection, InlineFragmentNode):
            count += _count_aliases(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                count += _count_aliases(fragments[name].selection_set, fragments, seen | {name})
    return count


_MEASURED: dict[tuple, tuple[int, QueryRejected | None]] = {}
MEASURED_CACHE_SIZE = 1024


def _measured(
    document: Any, key: tuple, limits: Limits, schema: Any, variables: dict, releases: int
) -> tuple[int, QueryRejected | None]:
    """(cost, the refusal if any); the same query text with the same `first` values is
    measured once (the cache is dropped whole when full: rare, and cheap to refill)."""
    found = _MEASURED.get(key)
    if found is None:
        checker = _Check(limits, schema, variables, releases)
        try:
            checker.run(document)
            found = (checker.cost, None)
        except QueryRejected as rejected:
            found = (checker.cost, rejected)
        if len(_MEASURED) >= MEASURED_CACHE_SIZE:
            _MEASURED.clear()
        _MEASURED[key] = found
    return found


def measure(
    query: str, document: Any, variables: dict, catalog: Any, limits: Limits, schema: Any
) -> tuple[int, QueryRejected | None]:
    """(cost, the refusal if any) of a document with these variables, over a catalog."""
    releases = len(catalog.releases) if catalog is not None else MAX_RELEASES_BOUND
    ints = tuple(sorted((k, v) for k, v in variables.items() if type(v) is int))
    key = (query, ints, releases, limits)
    return _measured(document, key, limits, schema, variables, releases)


class QueryLimits(SchemaExtension):
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.cost = 0

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.query is not None:
            catalog = getattr(getattr(context.context, "snapshot", None), "catalog", None)
            self.cost, rejected = measure(
                context.query, context.graphql_document, context.variables or {}, catalog,
                self.limits, context.schema._schema,
            )  # fmt: skip
            if hasattr(context.context, "cost"):
                context.context.cost = self.cost
            if rejected is not None:
                raise QueryRejected(str(rejected), code=rejected.code)
        yield

    def get_results(self) -> dict[str, Any]:
        return cost_extension(self.cost, self.limits)


def cost_extension(cost: int, limits: Limits) -> dict[str, Any]:
    return {"cost": {"requested": cost, "limit": limits.max_cost}}


class _Check:
    def __init__(self, limits: Limits, schema: Any, variables: dict, releases: int) -> None:
        self.limits = limits
        self.schema = schema
        self.variables = variables
        self.releases = releases
        self.cost = 0

    def run(self, document: Any) -> None:
        limits = self.limits
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        schema = self.schema
        measure = _Measure(schema, fragments, self.variables, limits.max_depth)
        measure.releases = self.releases
        for operation in document.definitions:
            if not isinstance(operation, OperationDefinitionNode):
                continue
            root = schema.get_root_type(operation.operation)
            _, cost = measure.walk(operation.selection_set, root, 1, 0)
            aliases = _count_aliases(operation.selection_set, fragments)
            self.cost = max(self.cost, cost)
            if aliases > limits.max_aliases:
                raise QueryRejected(
                    f"the query has {aliases} aliases; at most {limits.max_aliases}",
                    code="TOO_MANY_ALIASES",
                )
            if cost > limits.max_cost:
                raise QueryRejected(
                    f"the query could return {cost:,} objects; at most {limits.max_cost:,}: "
                    "ask for smaller pages (first) or fewer nested lists",
                    code="QUERY_TOO_COSTLY",
                )
