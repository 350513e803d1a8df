"""Query limits, checked on the parsed document before GraphQL validation runs (validation
of a hostile document can itself be the expensive part): depth, aliases and cost.

Cost is the most nodes (objects) a query can return: a connection multiplies what is
below it by its `first` (20 when absent), other lists by the most items they can hold.
Every response reports it in `extensions.cost`.
"""

from __future__ import annotations

import logging
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
    GraphQLUnionType,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from strawberry.extensions import SchemaExtension

from hcpcs_graph.db.fields import FIELDS
from hcpcs_graph.db.payments.dmepos_tables import CATEGORIES, STATES
from hcpcs_graph.db.payments.pfs_tables import STATUS_CODES as PFS_STATUS_CODES
from hcpcs_graph.schema.bounded import BoundedCache
from hcpcs_graph.schema.errors import UserInputError
from hcpcs_graph.schema.private_api import graphql_schema
from hcpcs_graph.schema.types.claims import MAX_FINDINGS, MAX_LINES, MAX_LINKS
from hcpcs_graph.schema.types.connection import DEFAULT_FIRST, MAX_FIRST

log = logging.getLogger("hcpcs.limits")


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 3000
    max_cost: int = 20_000


MAX_RELEASES_BOUND = 100

# The most items a record's list of objects can hold (db.fields; a list of strings costs
# nothing); connections use `first`.
_RECORD_BOUNDS = {f.name: f.bound for f in FIELDS if f.name and f.bound and f.decode != "list"}
LIST_BOUNDS = {
    **_RECORD_BOUNDS,
    "betosFamilies": 8,
    "children": 10,
    "differences": sum(f.diffed and f.name is not None for f in FIELDS),  # schema.history
    "beforeDecoded": max(_RECORD_BOUNDS.values()),  # a changed field's values, decoded
    "afterDecoded": max(_RECORD_BOUNDS.values()),
    # Payment schedules (issue 18), measured in CMS's files, with room to grow:
    "ndcs": 200,  # NDC rows of one code in a crosswalk: J7512 has 175 in 2025-10
    "dmeposFees": 12,  # DMEPOS rows of one code: 9 in January 2025 (E0950-E0952)
    "stateFees": len(STATES),  # the states and territories the fee columns name: 53
    "droppedRows": 3,  # CPT, CDT, other
    "schedules": MAX_RELEASES_BOUND,  # loaded payment releases of the indicator's kinds
    # "Type.field" where a name means another list elsewhere:
    # codes of one category: PO has 981 in January 2025; 14 categories x 1,200 stay under
    # the default max cost, so one query may list every category's codes
    "DmeposCategory.codes": 1_200,
    "Query.ndc": 10,  # crosswalk rows of one NDC: at most 3 in 2025-10
    "Query.payments": MAX_RELEASES_BOUND,
    "Query.dmeposCategories": len(CATEGORIES),
    # issue 19: the physician and clinical lab fee schedules, measured in the 2025 files
    "physicianFeeSchedule": 4,  # a code's rows: at most 3 (none, 26, TC; or none, 53)
    "labFees": 4,  # a code's rows: at most 2 (none, QW)
    "Query.localities": 120,  # 109 in GPCI2025
    "Query.pfsStatusCodes": len(PFS_STATUS_CODES),
    # codes of one status: E has 1,415 in January 2025 (every status's codes in one query
    # is past the default max cost)
    "PfsStatusCode.codes": 2_000,
    # Facility schedules (issue 19), measured in CMS's files:
    "Query.oppsStatusIndicators": 30,  # Addendum D1 defines 26 (CY 2019, CY 2020)
    "Query.ascPaymentIndicators": 30,  # Addendum DD1 lists 22 (January 2025)
    "Apc.codes": 40,  # Level II codes of one APC: 18 at most (5572) in 2019 and 2020
    # Claim checks (issue 20): a line's findings and a finding's links (schema/types/claims.py)
    "ClaimLineCheck.findings": MAX_FINDINGS,
    "ClaimFinding.links": MAX_LINKS,
}
# Lists as long as a list argument: counted from the argument's value (MAX_LINES when unknown)
ARGUMENT_LISTS = {"Query.checkClaimLines": ("lines", MAX_LINES)}
# Lists paged by their own `first` (a code cursor `after`), counted as a connection is
FIRST_LISTS = {"OppsStatusIndicator.codes", "AscPaymentIndicator.codes"}
# Fields that compute more than they return, and the objects each counts as besides: a
# release diff reads and compares two whole releases (~16,000 records, ~0.3 s of CPU).
COMPUTED = {"releaseDiff": 1_000, "paymentChanges": 200}  # the latter: two ~7,000-row reads
CAP = 2**53 - 1  # costs saturate here: still an exact integer in any JSON client
DEFAULT_LIST_BOUND = 120  # the largest code table (BETOS, 107 codes), releases, notes lists
HISTORY_FIELDS = {"history", "releases", "changes"}
MAX_FRAGMENT_NESTING = 50  # fragments spread inside fragments, this deep at most


# graphql-core's budget for comparing fields that share a response name (its only rule
# whose work grows with the square of a document): 500,000 by default, 1.3 s of CPU on
# 400 repeats of one field. Real documents spend nothing of it; 25,000 is about 0.1 s.
FIELD_MERGING_BUDGET = 25_000


class QueryRejected(UserInputError):
    pass


def bound_field_merging(budget: int = FIELD_MERGING_BUDGET) -> bool:
    """Set graphql-core's documented knob (a module attribute, read as validation
    starts); False, and a warning, when this graphql-core has none."""
    from graphql.validation.rules import overlapping_fields_can_be_merged as rule

    if not isinstance(getattr(rule, "MAX_COMPLEXITY_BUDGET", None), int):
        log.warning("graphql-core has no MAX_COMPLEXITY_BUDGET: field merging is unbounded")
        return False
    rule.MAX_COMPLEXITY_BUDGET = budget
    return True


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
    """Depth, cost and aliases of a document's operations, in time linear in its size.

    A fragment spread twice (or 2^20 times, through fragments spreading fragments) is
    measured once per type and page: its cost for one parent, its levels and its aliases
    are kept and multiplied where it is spread, which is what walking it again would
    give (cost grows linearly with the number of parents).
    """

    def __init__(
        self,
        schema: Any,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        max_depth: int,
        releases: int,
    ) -> None:
        self.schema = schema
        self.max_depth = max_depth
        self.fragments = fragments
        self.variables = variables or {}
        self.releases = releases
        self.defaults: dict[str, Any] = {}  # the operation's variables' default values
        # (fragment, type, page) -> (levels below, cost for one parent, aliases)
        self.measured: dict[tuple[str, str | None, int], tuple[int, int, int]] = {}
        self.open: list[str] = []  # fragments being measured, outermost first

    def _first(self, node: FieldNode) -> int:
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            value = argument.value
            if isinstance(value, IntValueNode):
                return max(0, int(value.value))
            if isinstance(value, VariableNode):
                return self._variable_first(value.name.value)
        return DEFAULT_FIRST

    def _variable_first(self, name: str) -> int:
        """`first` from a variable as execution will see it: the value given (graphql-core
        takes 500.0 for 500), else the operation's default; anything coercion would refuse
        counts as the most a page may hold."""
        if name in self.variables:
            given = self.variables[name]
        else:
            default = self.defaults.get(name)
            given = int(default.value) if isinstance(default, IntValueNode) else None
        if given is None:
            return DEFAULT_FIRST
        if isinstance(given, float) and given.is_integer():
            given = int(given)
        if isinstance(given, int) and not isinstance(given, bool):
            return max(0, given)
        return MAX_FIRST

    def _list_length(self, node: FieldNode, argument: str, most: int) -> int:
        """The length of a list argument as given (a literal list, or a variable's value);
        `most` when it is anything else (coercion then refuses it, or the field does)."""
        for given in node.arguments or ():
            if given.name.value != argument:
                continue
            value = given.value
            if isinstance(value, ListValueNode):
                return self._items(len(value.values), most)
            if isinstance(value, VariableNode) and isinstance(
                self.variables.get(value.name.value), list
            ):
                return self._items(len(self.variables[value.name.value]), most)
        return most

    @staticmethod
    def _items(given: int, most: int) -> int:
        # more than the field takes: it refuses them (BAD_USER_INPUT, naming the argument)
        # before any work, so the cost limit need not
        return given if given <= most else 1

    def walk(
        self,
        selections: SelectionSetNode | None,
        parent: GraphQLNamedType | None,
        depth: int,
        page: int = 0,
    ) -> tuple[int, int, int]:
        """(levels, objects for one parent, aliases) of a selection set at `depth`.

        `page` is the `first` of the connection the selection set is inside of.
        """
        if selections is None:
            return 0, 0, 0
        if depth >= self.max_depth:
            raise self._too_deep()
        levels, total, aliases = 1, 0, 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                aliases += selection.alias is not None
                d, n, a = self._field(selection, parent, depth + 1, page)
                d += 1
            elif isinstance(selection, InlineFragmentNode):
                target = self._type(selection.type_condition, parent)
                d, n, a = self.walk(selection.selection_set, target, depth, page)
            elif isinstance(selection, FragmentSpreadNode):
                d, n, a = self._spread(selection.name.value, parent, depth, page)
            else:
                continue
            levels = max(levels, d)
            total = min(CAP, total + n)
            aliases = min(CAP, aliases + a)
        return levels, total, aliases

    def _too_deep(self) -> QueryRejected:
        return QueryRejected(
            f"the query is more than {self.max_depth} levels deep; at most {self.max_depth}",
            code="QUERY_TOO_DEEP",
        )

    def _spread(
        self, name: str, parent: GraphQLNamedType | None, depth: int, page: int
    ) -> tuple[int, int, int]:
        fragment = self.fragments.get(name)
        if fragment is None or name in self.open:
            return 0, 0, 0  # unknown or cyclic: validation reports it
        target = self._type(fragment.type_condition, parent)
        type_name = target.name if target is not None else None
        if type_name is None or not type_name.endswith("Connection"):
            page = 0  # only a connection's own fields (edges, nodes) read it
        key = (name, type_name, page)
        found = self.measured.get(key)
        if found is None:
            if len(self.open) >= MAX_FRAGMENT_NESTING:
                raise QueryRejected(
                    f"fragments are spread inside fragments more than {MAX_FRAGMENT_NESTING} "
                    f"deep; at most {MAX_FRAGMENT_NESTING}",
                    code="QUERY_TOO_DEEP",
                )
            self.open.append(name)
            try:
                found = self.walk(fragment.selection_set, target, depth, page)
            finally:
                self.open.pop()
            self.measured[key] = found
        elif depth + found[0] > self.max_depth:
            raise self._too_deep()
        return found

    def _type(self, condition: Any, parent: GraphQLNamedType | None) -> GraphQLNamedType | None:
        if condition is None:
            return parent
        found: GraphQLNamedType | None = self.schema.get_type(condition.name.value)
        return found

    def _field(
        self, node: FieldNode, parent: GraphQLNamedType | None, depth: int, page: int
    ) -> tuple[int, int, int]:
        """(levels below, objects for one parent, aliases below) of one field."""
        name = node.name.value
        if name.startswith("__"):
            # introspection: bounded by the schema itself, deep by nature; aliases count
            _, _, a = self.walk(node.selection_set, None, -CAP, page)
            return 0, 0, a
        definition = (getattr(parent, "fields", None) or {}).get(name)
        if definition is None:  # unknown: validation reports it; still measure the depth
            d, _, a = self.walk(node.selection_set, None, depth, page)
            return d, 0, a
        target, is_list = _unwrap(definition.type)
        if not hasattr(target, "fields") and not isinstance(target, GraphQLUnionType):
            return 0, 0, 0  # a scalar or an enum
        if target.name.endswith("Connection"):
            page = self._first(node)
        items = 1
        if is_list:
            qualified_name = f"{getattr(parent, 'name', '')}.{name}"
            qualified = LIST_BOUNDS.get(qualified_name)
            if qualified_name in FIRST_LISTS:
                items = self._first(node)
            elif qualified_name in ARGUMENT_LISTS:
                items = self._list_length(node, *ARGUMENT_LISTS[qualified_name])
            elif qualified is not None:
                items = qualified
            elif parent is not None and parent.name.endswith(("Connection",)):
                items = page  # edges and nodes
            elif name in HISTORY_FIELDS:
                items = self.releases
            elif parent is not None and parent.name == "Query":
                items = DEFAULT_LIST_BOUND  # a whole code table
            else:
                items = LIST_BOUNDS.get(name, DEFAULT_LIST_BOUND)
        d, n, a = self.walk(node.selection_set, target, depth, page)
        own = (0 if _is_wrapper(target) else items) + COMPUTED.get(name, 0)
        return d, min(CAP, items * n + own), a


# (query, int variables, releases, limits) -> (cost, the refusal if any); one per schema
_MeasureKey = tuple[str, tuple[tuple[str, Any], ...], int, Limits]
Measurements = BoundedCache[_MeasureKey, tuple[int, QueryRejected | None]]
MEASUREMENTS_BYTES = 4 * 2**20


def _measured(
    document: Any,
    key: _MeasureKey,
    limits: Limits,
    schema: Any,
    variables: dict[str, Any],
    releases: int,
    measured: Measurements,
) -> tuple[int, QueryRejected | None]:
    """(cost, the refusal if any); the same query text with the same `first` values is
    measured once while it stays in `measured`."""
    found = measured.get(key)
    if found is None:
        checker = _Check(limits, schema, variables, releases)
        try:
            checker.run(document)
            found = (checker.cost, None)
        except QueryRejected as rejected:
            # a new exception, never raised: no traceback keeping the walk's frames (the
            # document, the variables) alive in the cache
            found = (checker.cost, QueryRejected(str(rejected), code=rejected.code))
        measured.put(key, found, 2 * len(key[0]) + 40 * len(key[1]))
    return found


def measure(
    query: str,
    document: Any,
    variables: dict[str, Any],
    catalog: Any,
    limits: Limits,
    schema: Any,
    measured: Measurements,
) -> tuple[int, QueryRejected | None]:
    """(cost, the refusal if any) of a document with these variables, over a catalog;
    `measured` keeps the answers (the schema's)."""
    releases = len(catalog.releases) if catalog is not None else MAX_RELEASES_BOUND
    # what `first` may be read from: numbers and nulls given (absent ones take defaults
    # from the query text, which is in the key); other values all count as MAX_FIRST
    numbers: tuple[tuple[str, Any], ...] = tuple(
        sorted((k, v) for k, v in variables.items() if v is None or isinstance(v, int | float))
    )
    # and the lengths of lists (a claim's lines: schema/limits.py's ARGUMENT_LISTS)
    numbers += tuple(
        sorted((k, ("len", len(v))) for k, v in variables.items() if isinstance(v, list))
    )
    key = (query, numbers, releases, limits)
    return _measured(document, key, limits, schema, variables, releases, measured)


class QueryLimits(SchemaExtension):
    def __init__(self, limits: Limits, measured: Measurements) -> None:
        self.limits = limits
        self.measured = measured
        self.cost = 0

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.query is not None:
            catalog = getattr(getattr(context.context, "snapshot", None), "catalog", None)
            self.cost, rejected = measure(
                context.query, context.graphql_document, context.variables or {}, catalog,
                self.limits, graphql_schema(context.schema), self.measured,
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
    def __init__(
        self, limits: Limits, schema: Any, variables: dict[str, Any], releases: int
    ) -> None:
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
        for operation in document.definitions:
            if not isinstance(operation, OperationDefinitionNode):
                continue
            # a walk per operation: fragments measured under one operation's variable
            # defaults may not hold under another's
            measure = _Measure(schema, fragments, self.variables, limits.max_depth, self.releases)
            measure.defaults = {
                d.variable.name.value: d.default_value for d in operation.variable_definitions or ()
            }
            root = schema.get_root_type(operation.operation)
            _, cost, aliases = measure.walk(operation.selection_set, root, 0)
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
