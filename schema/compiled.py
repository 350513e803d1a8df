"""Compiled execution: a query document the server has already answered runs again as a
plan, without graphql-core's per-field machinery or Strawberry's per-request pipeline.

Clients send the same few documents with different variables. The first time a document
is asked, the full path (Strawberry: parse, validate, limits, graphql-core execution)
answers it. When that answer has no errors, the document is learned: later requests
coerce their variables, check the cost for them, and walk a plan compiled once per
document: for each field its key, how to get the value (an attribute, or the field's
resolver with a real info object), and how to complete it (serialize a leaf, check an
object's type, walk a list).

The plan only handles what it can answer exactly as graphql-core would. Anything else
makes it give up, and the request goes the full path, which also produces any errors:
a resolver raising, a null where the schema says non-null, a value a scalar refuses,
coercion or cost errors. Documents using introspection (`__schema`, `__type`),
interfaces or unions, or directives other than @skip and @include are never compiled.
Each time a plan leaves a request to the full path it says why (`GiveUp.reason`, counted
in `Compiled.fallbacks` and passed to `Compiled.report`: /metrics counts them by reason).
The walk is breadth first, as graphql-core's is: the async fields of one level run
together, so DataLoader batches stay batches.

The plans rely on private parts of Strawberry and graphql-core, all reached through
schema/private_api.py. Its check runs when a schema is built; when any of it fails, the
plans are off (`Compiled.failed_checks`) and every request takes the full path.
"""

from __future__ import annotations

import asyncio
import enum
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    Node,
    OperationDefinitionNode,
    OperationType,
    Undefined,
    VariableNode,
    VariableValues,
    get_argument_values,
    get_variable_values,
    is_leaf_type,
    is_object_type,
    parse,
)
from graphql.pyutils import Path

from hcpcs_graph.schema import private_api
from hcpcs_graph.schema.bounded import BoundedCache
from hcpcs_graph.schema.coerce import Variables
from hcpcs_graph.schema.direct import direct_resolver
from hcpcs_graph.schema.documents import document_bytes
from hcpcs_graph.schema.fill import (
    MAX_INT,
    MIN_INT,
    STEP_LEAF,
    STEP_NESTED,
    STEP_NESTED_PATH,
    STEP_OBJECT,
    STEP_RESOLVED,
    STEP_TYPENAME,
    fill_function,
)
from hcpcs_graph.schema.private_api import (
    ResolveInfos,
    answers_by_class,
    field_nodes,
    fragment_details,
    graphql_schema,
    is_awaitable,
    is_basic_resolver,
    root_fields,
    strawberry_field,
    subfields,
    type_cast,
)

LEAF, OBJECT, LIST = 0, 1, 2
PLANS_PER_DOCUMENT = 8  # plans kept per document, one per values of its @skip/@include variables
# serialize(x) is x
_PLAIN: dict[GraphQLNamedType, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}


class NotCompilable(Exception):
    """The document uses something only the full path handles (`reason`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class GiveUp(Exception):
    """This request met something only the full path handles (`reason`, a label of the
    fallbacks counted in /metrics)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Type:
    """How to complete a value of one output type."""

    __slots__ = (
        "fields",
        "fill",
        "int",
        "is_type_of",
        "kind",
        "names",
        "nonnull",
        "of",
        "passing",
        "paths",
        "plain",
        "serialize",
        "steps",
    )  # fmt: skip

    def __init__(self, kind: int, nonnull: bool) -> None:
        self.kind = kind
        self.nonnull = nonnull
        self.serialize: Callable[[Any], Any]  # of a LEAF, set by Compiled._type
        self.plain: type | None = None
        self.int = False  # Int: an int in its range serializes to itself
        # of an enum: (member, name) by the member's id, each name learned from the type's
        # own serialize (Strawberry's compares the member with every value in turn; an
        # enum member's own hash is a Python call). Kept, a member's id is never reused.
        self.names: dict[int, tuple[enum.Enum, Any]] | None = None
        # whether a resolver is called below: only resolvers read the path (their info)
        self.paths = False
        self.of: _Type  # of a LIST, set by Compiled._type
        self.is_type_of: Callable[[Any, Any], Any] | None = None
        # classes whose uncast objects Strawberry's own is_type_of has accepted: its answer
        # for them depends on the class alone (isinstance), so it is not asked again
        self.passing: set[type] | None = None
        self.fields: list[_Field] = []
        self.steps: Steps = ()  # of an OBJECT: its fields as `steps` lays them out
        # of an OBJECT whose fields are all attributes: its completion written out
        self.fill: Callable[[Any, Any, Any], dict[str, Any]] | None = None


class _Field:
    """One response key of a selection set on an object type."""

    __slots__ = (
        "args",
        "attr",
        "definition",
        "key",
        "nodes",
        "parent",
        "resolve",
        "type",
        "typename",
        "variable_args",
    )  # fmt: skip

    def __init__(self, key: str, nodes: list[FieldNode], parent: GraphQLObjectType) -> None:
        self.key = key
        self.nodes = nodes
        self.parent = parent
        self.attr: str | None = None  # a plain attribute of the source
        self.resolve: Callable[..., Any]  # else the field's resolver
        self.args: dict[str, Any] = {}  # coerced once: literals (and defaults)
        self.variable_args: list[tuple[str, str, bool]] | None = None  # per request
        self.typename: str | None = None  # __typename
        # every field but __typename's, set by Compiled._fields:
        self.definition: GraphQLField
        self.type: _Type


# (how, key, attribute or the typename, the leaf's plain class, non-null, type, field); how
# is one of schema/fill.py's STEP_ numbers, attributes first (most fields are one)
Step = tuple[int, str, Any, type | None, bool, Any, Any]
Steps = tuple[Step, ...]


def steps(fields: list[_Field]) -> Steps:
    """The fields of a selection, each as one tuple: unpacked in one go, read by position."""
    out: list[Step] = []
    for field in fields:
        if field.typename is not None:
            out.append((STEP_TYPENAME, field.key, field.typename, None, False, None, field))
            continue
        type_ = field.type
        if field.attr is None:
            how = STEP_RESOLVED
        elif type_.kind == LEAF:
            how = STEP_LEAF
        elif type_.paths:
            how = STEP_NESTED_PATH
        else:
            how = STEP_OBJECT if type_.kind == OBJECT else STEP_NESTED
        out.append((how, field.key, field.attr, type_.plain, type_.nonnull, type_, field))
    return tuple(out)


class _Prepared:
    """One learned document and operation, with a plan per value of the variables its
    @skip and @include directives read."""

    __slots__ = (
        "details",
        "directive_variables",
        "document",
        "fragments",
        "infos",
        "operation",
        "plans",
        "variables",
    )  # fmt: skip

    def __init__(
        self, graphql: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode
    ) -> None:
        self.document = document
        self.operation = operation
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.details = fragment_details(self.fragments)
        # the parts of its resolvers' infos that are the same for every request
        self.infos = ResolveInfos(
            schema=graphql, fragments=self.fragments, root_value=None, operation=operation,
            is_awaitable=is_awaitable, abort_signal=None, async_helpers=None,
        )  # fmt: skip
        self.directive_variables = tuple(sorted(set(_directive_variables(document))))
        self.variables = Variables(graphql, operation.variable_definitions or ())
        # per values of those variables: the plan, or why the document has none
        self.plans: dict[tuple[object, ...], Steps | str] = {}


def _children(node: Node) -> Iterator[Node]:
    for key in node.keys:
        value = getattr(node, key, None)
        for child in value if isinstance(value, tuple | list) else (value,):
            if isinstance(child, Node):
                yield child


def _directive_variables(node: Node) -> Iterator[str]:
    """The variables read by any directive in the document."""
    if isinstance(node, DirectiveNode):
        for argument in node.arguments or ():
            if isinstance(argument.value, VariableNode):
                yield argument.value.name.value
        return
    for child in _children(node):
        yield from _directive_variables(child)


def _uses_variables(node: Node) -> bool:
    return isinstance(node, VariableNode) or any(_uses_variables(c) for c in _children(node))


def _variable_args(definition: GraphQLField, node: FieldNode) -> list[tuple[str, str, bool]] | None:
    """(argument, variable, non-null) for each argument given as a variable; None when
    none is; empty when some variable sits inside a list or input object (graphql-core
    coerces those each time)."""
    found = []
    for argument in node.arguments or ():
        value = argument.value
        if isinstance(value, VariableNode):
            arg = definition.args[argument.name.value]
            out_name = arg.out_name or argument.name.value
            found.append((out_name, value.name.value, isinstance(arg.type, GraphQLNonNull)))
        elif _uses_variables(value):
            return []
    return found or None


class Compiled:
    """The learned documents of one Strawberry schema, and the plans to answer them."""

    def __init__(self, schema: Any, max_bytes: int) -> None:
        self.graphql: GraphQLSchema = graphql_schema(schema)
        self.strawberry = schema
        # the private parts the plans rely on, checked (a failure is logged): any failing
        # turns the plans off, and the full path answers everything
        self.failed_checks = private_api.check(schema)
        self.enabled = not self.failed_checks
        # (query, operation name) -> its plans, or why the document is never compiled
        self.prepared: BoundedCache[tuple[str, str | None], _Prepared | str] = BoundedCache(
            max_bytes
        )
        self.runs = 0  # requests a plan answered
        self.fallbacks: Counter[str] = Counter()  # requests left to the full path, by reason
        self.report: Callable[[str], None] | None = None  # told each fallback's reason

    def gave_up(self, reason: str) -> None:
        """A request for a learned document goes the full path, for `reason`."""
        self.fallbacks[reason] += 1
        if self.report is not None:
            self.report(reason)

    def learn(self, query: str, operation_name: str | None) -> None:
        """Note a document the full path has just answered without errors."""
        key = (query, operation_name)
        if not self.enabled or not self.prepared.enabled or key in self.prepared:
            return
        document = parse(query)
        operations = [
            d
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
            and (operation_name is None or (d.name and d.name.value == operation_name))
        ]
        if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
            self.prepared.put(key, "not_a_query", 2 * len(query))
            return
        prepared = _Prepared(self.graphql, document, operations[0])
        # the document, and its plans: one (charged as much again), or one per values of
        # its @skip/@include variables, up to PLANS_PER_DOCUMENT (charged twice again: a
        # plan holds ~20 KB where its document is charged ~360 KB)
        times = 3 if prepared.directive_variables else 2
        if not self.prepared.put(key, prepared, times * document_bytes(query, document)):
            self.gave_up("too_large")  # more than the plan cache keeps in one entry

    def knows(self, query: str, operation_name: str | None) -> _Prepared | None:
        """The learned document, if it is one (a document never compiled is counted)."""
        found = self.prepared.get((query, operation_name))
        if isinstance(found, str):
            self.gave_up(found)
            return None
        return found

    async def answer(
        self,
        prepared: _Prepared,
        given: dict[str, Any] | None,
        context: Any,
        extensions: dict[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """The operation's `data` by its plan; None, the reason counted, when the full
        path must answer instead."""
        try:
            variables = self.variables(prepared, given)
            return await self.execute(prepared, variables, context, extensions)
        except GiveUp as e:
            self.gave_up(e.reason)
            return None

    def variables(self, prepared: _Prepared, given: dict[str, Any] | None) -> VariableValues:
        """The request's variables, coerced; GiveUp when they are wrong (the full path
        says how)."""
        fast = prepared.variables.coerce(given or {})
        if fast is not None:
            return fast
        coerced = get_variable_values(
            self.graphql, prepared.operation.variable_definitions or (), given or {}
        )
        if isinstance(coerced, list):
            raise GiveUp("variables")
        return coerced

    def plan(self, prepared: _Prepared, variables: VariableValues) -> Steps:
        values = variables.coerced
        key = tuple(values.get(name) for name in prepared.directive_variables)
        if key not in prepared.plans:
            if len(prepared.plans) >= PLANS_PER_DOCUMENT:
                # k @skip/@include variables make 2^k plans: the rest go full path
                raise GiveUp("too_many_plans")
            found: Steps | str
            try:
                root = self.graphql.query_type
                assert root is not None
                grouped = root_fields(self.graphql, prepared.details, variables, prepared.operation)
                if grouped is None:
                    raise NotCompilable("defer")
                found = steps(self._fields(prepared, variables, root, grouped))
            except NotCompilable as e:
                found = e.reason
            except Exception as e:  # this request's arguments: the full path reports them
                raise GiveUp("arguments") from e
            prepared.plans[key] = found
        found = prepared.plans[key]
        if isinstance(found, str):
            raise GiveUp(found)
        return found

    def _fields(
        self,
        prepared: _Prepared,
        variables: VariableValues,
        parent: GraphQLObjectType,
        grouped: dict[str, list[Any]],
    ) -> list[_Field]:
        fields = []
        for key, details in grouped.items():
            nodes = field_nodes(details)
            field = _Field(key, nodes, parent)
            name = nodes[0].name.value
            if name == "__typename":
                field.typename = parent.name
                fields.append(field)
                continue
            definition = parent.fields.get(name)
            if definition is None:  # __schema, __type
                raise NotCompilable("introspection")
            field.definition = definition
            resolve = definition.resolve
            if is_basic_resolver(resolve):
                # Strawberry's resolver for a field without one: getattr(source, name).
                field.attr = strawberry_field(definition).python_name
            elif resolve is None:
                raise NotCompilable("no_resolver")
            else:
                # the Python function itself where Strawberry's wrapper has nothing to do
                field.resolve = direct_resolver(definition, self.strawberry, resolve) or resolve
                if definition.args:
                    field.args = get_argument_values(definition, nodes[0], variables)
                    field.variable_args = _variable_args(definition, nodes[0])
            field.type = self._type(prepared, variables, definition.type, details)
            fields.append(field)
        return fields

    def _type(
        self,
        prepared: _Prepared,
        variables: VariableValues,
        type_: GraphQLOutputType,
        details: list[Any],
    ) -> _Type:
        nonnull = False
        if isinstance(type_, GraphQLNonNull):
            nonnull, type_ = True, type_.of_type
        if isinstance(type_, GraphQLList):
            found = _Type(LIST, nonnull)
            found.of = self._type(prepared, variables, type_.of_type, details)
            found.paths = found.of.paths
            return found
        if is_leaf_type(type_):
            found = _Type(LEAF, nonnull)
            found.serialize = type_.serialize
            found.plain = _PLAIN.get(type_)
            if isinstance(type_, GraphQLEnumType):
                found.names = {}
            found.int = type_ is GraphQLInt
            return found
        if not is_object_type(type_):  # interfaces and unions
            raise NotCompilable("abstract_type")
        found = _Type(OBJECT, nonnull)
        found.is_type_of = type_.is_type_of
        if answers_by_class(type_.is_type_of):
            found.passing = set()
        grouped = subfields(
            self.graphql, prepared.details, variables, prepared.operation, type_, details
        )
        if grouped is None:
            raise NotCompilable("defer")
        found.fields = self._fields(prepared, variables, type_, grouped)
        found.paths = any(
            f.typename is None and (f.attr is None or f.type.paths) for f in found.fields
        )
        found.steps = steps(found.fields)
        found.fill = fill_function(found.steps, _FILL_HELPERS)
        return found

    async def execute(
        self,
        prepared: _Prepared,
        variables: VariableValues,
        context: Any,
        extensions: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The operation's `data`; GiveUp when the full path must answer instead."""
        run = _Run(self, prepared, variables, context, extensions)
        data = await run.run(self.plan(prepared, variables))
        self.runs += 1
        return data


class _Run:
    """One execution of a plan."""

    def __init__(
        self,
        compiled: Compiled,
        prepared: _Prepared,
        variables: VariableValues,
        context: Any,
        extensions: dict[str, Any] | None,
    ) -> None:
        self.compiled = compiled
        self.prepared = prepared
        self.variables = variables
        self.context = context
        self.extensions = extensions
        self.pending: list[tuple[Awaitable[Any], _Field, dict[str, Any], Path]] = []
        self.make_info: Callable[..., Any] | None = None  # made when a resolver asks

    async def run(self, root: Steps) -> dict[str, Any]:
        try:
            data = self.object(root, None, None)
            while self.pending:
                batch, self.pending = self.pending, []
                if len(batch) == 1:
                    values: list[Any] = [await batch[0][0]]
                else:
                    values = await asyncio.gather(*(p[0] for p in batch), return_exceptions=True)
                    if any(isinstance(v, BaseException) for v in values):
                        raise GiveUp("error")
                for (_, field, out, path), value in zip(batch, values, strict=True):
                    out[field.key] = self.complete(field.type, value, path)
            return data
        except GiveUp:
            raise
        except Exception as e:  # a resolver or a scalar raised
            raise GiveUp("error") from e
        finally:
            self.abandon()  # nothing is left when the plan answered

    def abandon(self) -> None:
        """Close the resolvers that were started but will not be awaited."""
        for awaitable, *_ in self.pending:
            close = getattr(awaitable, "close", None)
            if close is not None:
                close()
        self.pending = []

    def info(self, field: _Field, path: Path) -> Any:
        """The info the full path would give the field's resolver."""
        assert field.definition is not None
        make = self.make_info
        if make is None:
            make = self.make_info = self.prepared.infos.for_request(
                variable_values=self.variables.coerced, context=self.context,
                operation_extensions=self.extensions,
            )  # fmt: skip
        return make(
            field.nodes[0].name.value, field.nodes, field.definition.type, field.parent, path
        )

    def object(self, steps: Steps, source: Any, path: Path | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for how, key, attr, plain, nonnull, type_, field in steps:
            if how <= STEP_NESTED_PATH:  # an attribute of the source
                value = getattr(source, attr)
                if value is None:
                    if nonnull:
                        raise GiveUp("null")
                    out[key] = None
                elif how == STEP_LEAF:
                    out[key] = value if value.__class__ is plain else self.leaf(type_, value)
                elif how == STEP_OBJECT:
                    out[key] = self.object_value(type_, value, None)
                elif how == STEP_NESTED:
                    out[key] = self.complete(type_, value, None)
                else:
                    out[key] = self.complete(type_, value, Path(path, key, field.parent.name))
            elif how == STEP_TYPENAME:
                out[key] = attr
            else:
                field_path = Path(path, key, field.parent.name)
                args = field.args
                if field.variable_args is not None:
                    args = self.arguments(field)
                value = field.resolve(source, self.info(field, field_path), **args)
                if is_awaitable(value):
                    out[key] = None
                    self.pending.append((value, field, out, field_path))
                    continue
                out[key] = self.complete(type_, value, field_path)
        return out

    def arguments(self, field: _Field) -> dict[str, Any]:
        """The field's arguments with this request's variables."""
        if not field.variable_args:  # variables inside lists or input objects
            return get_argument_values(field.definition, field.nodes[0], self.variables)
        args = dict(field.args)
        coerced = self.variables.coerced
        for out_name, variable, nonnull in field.variable_args:
            if variable not in coerced:  # the argument's default, if any
                return get_argument_values(field.definition, field.nodes[0], self.variables)
            value = coerced[variable]
            if value is None and nonnull:
                raise GiveUp("variables")
            args[out_name] = value
        return args

    @staticmethod
    def leaf(type_: _Type, value: Any) -> Any:
        names = type_.names
        if names is not None:
            found = names.get(id(value))
            if found is not None and found[0] is value:
                return found[1]
        elif type_.int and value.__class__ is int and MIN_INT <= value <= MAX_INT:
            return value
        serialized = type_.serialize(value)
        if serialized is None or serialized is Undefined:
            raise GiveUp("leaf")
        if names is not None and isinstance(value, enum.Enum):
            names[id(value)] = (value, serialized)  # bounded: the members of the enums
        return serialized

    def complete(self, type_: _Type, value: Any, path: Path | None) -> Any:
        if value is None:
            if type_.nonnull:
                raise GiveUp("null")
            return None
        kind = type_.kind
        if kind == LEAF:
            return value if type(value) is type_.plain else self.leaf(type_, value)
        if kind == OBJECT:
            return self.object_value(type_, value, path)
        if not isinstance(value, list | tuple):
            raise GiveUp("not_a_list")
        item = type_.of
        assert item is not None
        if item.kind == LEAF:
            plain = item.plain
            return [v if v.__class__ is plain else self.complete(item, v, None) for v in value]
        if not item.paths:
            if item.kind == OBJECT:
                return [
                    self.complete(item, v, None) if v is None else self.object_value(item, v, None)
                    for v in value
                ]  # fmt: skip
            return [self.complete(item, v, None) for v in value]
        return [self.complete(item, v, Path(path, i, None)) for i, v in enumerate(value)]

    def object_value(self, type_: _Type, value: Any, path: Path | None) -> dict[str, Any]:
        """An object's answer, once its type accepts it."""
        fill = type_.fill
        is_type_of = type_.is_type_of
        if is_type_of is not None:
            passing = type_.passing
            if passing is None or type(value) not in passing or type_cast(value) is not None:
                if not is_type_of(value, None):
                    raise GiveUp("type")
                if passing is not None and type_cast(value) is None:
                    passing.add(type(value))
        if fill is not None:
            return fill(self, value, path)
        return self.object(type_.steps, value, path)


# what schema/fill.py's functions call
_FILL_HELPERS: dict[str, Any] = {
    "GiveUp": GiveUp, "Path": Path, "leaf": _Run.leaf,
    "object_value": _Run.object_value, "complete": _Run.complete, "type_cast": type_cast,
}  # fmt: skip
