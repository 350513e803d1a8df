"""Every private part of Strawberry and graphql-core the server relies on, in one place,
and the check that each still behaves as relied on.

Compiled plans (schema/compiled.py) answer a learned document without graphql-core's
per-field machinery or Strawberry's per-request pipeline. To give resolvers exactly what
the full path gives them, and to skip what it would do for nothing, they need parts that
neither library documents. The rest of the code reaches them only through this module
(tests/schema/test_private_api.py looks for them elsewhere):

- `ResolveInfo`: strawberry.schema.schema._OperationContextAwareGraphQLResolveInfo, the
  info Strawberry's execution (StrawberryGraphQLCoreExecutionContext) passes resolvers:
  graphql-core's fields plus the operation's extensions. Plans build it by field name
  (`ResolveInfos`), never by position.
- Strawberry's `Info(_raw_info=..., _field=...)`, built as its resolver wrapper builds it
  (`strawberry_info`, for schema/direct.py), and `Info._raw_info` read back (`raw_info`,
  for schema/columns.py, which picks the columns a page reads from the field nodes).
- The resolver wrapper's behaviour, which schema/direct.py reproduces to call a resolver
  without it: built-in scalars reach the function unchanged (PASSED_AS_IS), null reaches
  an argument typed StrawberryOptional (not its subclass Maybe) as None (`passes_null`),
  the parent comes as `self`, and `GraphQLCoreConverter._get_field_exception_handlers`
  says whether the wrapper would catch the function's exceptions
  (`field_exception_handlers`).
- `_get_basic_result`, the resolver Strawberry gives a field without one, found by its
  `__name__`: getattr on the source (`is_basic_resolver`); plans read the attribute named
  by the StrawberryField the graphql-core field keeps under
  GraphQLCoreConverter.DEFINITION_BACKREF (`strawberry_field`).
- Strawberry's generated is_type_of, found by its `__qualname__` (STRAWBERRYS_IS_TYPE_OF):
  for an object not cast with strawberry.cast its answer depends on the class alone, so
  plans ask it once per class (`answers_by_class`; `type_cast` reads the cast with
  strawberry.types.cast.get_strawberry_type_cast).
- `Schema._schema`, the graphql-core schema behind Strawberry's (`graphql_schema`).
- strawberry.execution's `optimized_is_awaitable`, what its execution tells awaitables by
  (`is_awaitable`).
- graphql-core's `get_variable_signature` and `VariableValueSource`, what
  `get_variable_values` builds each variable's source from; schema/coerce.py builds the
  same for the variables it coerces (`variable_signature`, checked against
  get_variable_values on the probe's input type).
- graphql.execution.collect_fields ("for internal use only"): `collect_fields`,
  `collect_subfields`, `FragmentDetails` and the `FieldDetails` they return, the grouping
  graphql-core executes, @skip and @include applied (`root_fields`, `subfields`,
  `field_nodes`, `fragment_details`); called by keyword.

`check(schema)` runs when a schema is built (schema/compiled.py). It exercises each part on
a small probe schema, once per process, and on the schema built: the info the full path
gives a resolver against the one a plan builds, the wrapper called with each kind of
argument, is_type_of asked, fields collected under @skip. A mismatch is logged once, as a
WARNING naming the checks, and the schema's plans are off: every request takes the full
path, correct and slower. A name missing from a library makes its check fail, never an
import error. `raw_info` is the one part the full path reads too: without it a page of
codes reads whole rows.
"""
# No `from __future__ import annotations`: the probe's types are declared inside a
# function, and Strawberry reads their annotations as objects.

import enum
import functools
import importlib
import logging
import re
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import graphql
import strawberry
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    get_variable_values,
    parse,
)
from strawberry import Info
from strawberry.extensions import SchemaExtension
from strawberry.types.field import StrawberryField

log = logging.getLogger("hcpcs.private_api")


def _private(module: str, name: str) -> Any:
    """`module.name`, or None when this version has none (its check then fails)."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


ResolveInfo = _private("strawberry.schema.schema", "_OperationContextAwareGraphQLResolveInfo")
_ExecutionContext = _private("strawberry.schema.schema", "StrawberryGraphQLCoreExecutionContext")
is_awaitable = _private("strawberry.execution", "optimized_is_awaitable")
type_cast = _private("strawberry.types.cast", "get_strawberry_type_cast")
_FragmentDetails = _private("graphql.execution.collect_fields", "FragmentDetails")
_collect_fields = _private("graphql.execution.collect_fields", "collect_fields")
_collect_subfields = _private("graphql.execution.collect_fields", "collect_subfields")
_StrawberryOptional = _private("strawberry.types.base", "StrawberryOptional")
_StrawberryList = _private("strawberry.types.base", "StrawberryList")
_InputContext = _private("strawberry.types.arguments", "InputContext")
# what graphql-core's get_variable_values builds a variable's source from (schema/coerce.py)
variable_signature = _private("graphql.execution.get_variable_signature", "get_variable_signature")
VariableValueSource = _private("graphql.execution.values", "VariableValueSource")
# where a graphql-core type or field keeps the Strawberry definition it was built from
_DEFINITION: str | None = getattr(
    _private("strawberry.schema.schema_converter", "GraphQLCoreConverter"),
    "DEFINITION_BACKREF",
    None,
)

# The fields of ResolveInfo: the first five vary per field, the next three per request, the
# rest per operation.
RESOLVE_INFO_FIELDS = (
    "field_name", "field_nodes", "return_type", "parent_type", "path",
    "variable_values", "context", "operation_extensions",
    "schema", "fragments", "root_value", "operation", "is_awaitable", "abort_signal",
    "async_helpers",
)  # fmt: skip
_PER_FIELD = RESOLVE_INFO_FIELDS[:5]
_PER_REQUEST = RESOLVE_INFO_FIELDS[5:8]
# the is_type_of Strawberry makes for an object type with interfaces (schema_converter.py)
STRAWBERRYS_IS_TYPE_OF = re.compile(r".*\._get_is_type_of\.<locals>\.is_type_of")
PASSED_AS_IS = (str, int, bool, float)  # argument types the wrapper passes on unconverted
_WARNED: set[str] = set()  # checks already named in a warning by this process


class ResolveInfos:
    """The infos Strawberry's execution gives the resolvers of one operation, each value
    put where its field's name says (the check makes sure the names are these)."""

    def __init__(
        self,
        *,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        root_value: Any,
        operation: OperationDefinitionNode,
        is_awaitable: Callable[[Any], bool],
        abort_signal: Any,
        async_helpers: Any,
    ) -> None:
        given = {
            "schema": schema, "fragments": fragments, "root_value": root_value,
            "operation": operation, "is_awaitable": is_awaitable,
            "abort_signal": abort_signal, "async_helpers": async_helpers,
            **dict.fromkeys(_PER_FIELD + _PER_REQUEST),
        }  # fmt: skip
        self.cls = ResolveInfo
        fields = self.cls._fields
        self.template = [given[name] for name in fields]
        self.request = tuple(fields.index(name) for name in _PER_REQUEST)
        self.field = tuple(fields.index(name) for name in _PER_FIELD)

    def for_request(
        self,
        *,
        variable_values: dict[str, Any],
        context: Any,
        operation_extensions: dict[str, Any] | None,
    ) -> Callable[[str, list[FieldNode], Any, GraphQLObjectType, Any], Any]:
        """(field_name, field_nodes, return_type, parent_type, path) -> the info of that
        field's resolver in this request."""
        template = self.template.copy()
        r0, r1, r2 = self.request
        template[r0], template[r1], template[r2] = variable_values, context, operation_extensions
        a, b, c, d, e = self.field
        new, cls = tuple.__new__, self.cls  # what namedtuple's _make does, unchecked

        def info(
            field_name: str, field_nodes: list[FieldNode], return_type: Any,
            parent_type: GraphQLObjectType, path: Any,
        ) -> Any:  # fmt: skip
            values = template.copy()
            values[a], values[b], values[c] = field_name, field_nodes, return_type
            values[d], values[e] = parent_type, path
            return new(cls, values)

        return info


def strawberry_info(info_class: type, raw: Any, field: StrawberryField) -> Any:
    """The Info Strawberry's resolver wrapper gives a resolver asking for one."""
    return info_class(_raw_info=raw, _field=field)


def raw_info(info: Any) -> Any:
    """graphql-core's info behind Strawberry's `info`; None when Strawberry keeps none."""
    return getattr(info, "_raw_info", None)


def built_items(annotation: object) -> tuple[type, Callable[..., Any]] | None:
    """For an argument typed `list[T]`, T an input type that builds its own values (a
    `from_input` hook on its definition, Strawberry's hook for integrations): T and the
    hook, which Strawberry's conversion calls for each item. None for any other type."""
    if type(annotation) is not _StrawberryList:
        return None
    item = annotation.of_type  # type: ignore[attr-defined]  # a StrawberryList has of_type
    definition = getattr(item, "__strawberry_definition__", None)
    hook = getattr(definition, "from_input", None)
    if not isinstance(item, type) or not getattr(definition, "is_input", False) or hook is None:
        return None
    return item, hook


def input_contexts(info: Any, schema: Any) -> Callable[[tuple[str | int, ...]], Any]:
    """The context Strawberry's conversion gives a `from_input` hook, by the item's path."""
    config, registry = schema.config, schema.schema_converter.scalar_registry
    return lambda path: _InputContext(info=info, config=config, scalar_registry=registry, path=path)


def passes_null(annotation: object) -> bool:
    """Whether the wrapper passes null on as None to an argument of this type: `T | None`,
    not its subclass Maybe, which wraps every value."""
    return type(annotation) is _StrawberryOptional


def field_exception_handlers(schema: Any, field: StrawberryField) -> Any:
    """The exception handlers Strawberry's wrapper applies to `field`'s resolver (empty:
    none); None when this Strawberry cannot say."""
    handlers = getattr(schema.schema_converter, "_get_field_exception_handlers", None)
    return None if handlers is None else handlers(field)


def is_basic_resolver(resolve: Any) -> bool:
    """Whether `resolve` is Strawberry's resolver for a field without one (getattr)."""
    return getattr(resolve, "__name__", "") == "_get_basic_result"


def strawberry_field(definition: GraphQLField) -> Any:
    """The StrawberryField a graphql-core field was built from, if any."""
    if _DEFINITION is None:
        return None
    return (definition.extensions or {}).get(_DEFINITION)


def answers_by_class(is_type_of: Any) -> bool:
    """Whether `is_type_of` is Strawberry's own, whose answer for an object not cast
    depends on the object's class alone."""
    return bool(STRAWBERRYS_IS_TYPE_OF.match(getattr(is_type_of, "__qualname__", "")))


def graphql_schema(schema: Any) -> GraphQLSchema:
    """The graphql-core schema a Strawberry schema executes."""
    found: GraphQLSchema = schema._schema
    return found


def fragment_details(fragments: dict[str, FragmentDefinitionNode]) -> dict[str, Any]:
    return {name: _FragmentDetails(definition=d) for name, d in fragments.items()}


def root_fields(
    schema: GraphQLSchema,
    fragments: dict[str, Any],
    variables: Any,
    operation: OperationDefinitionNode,
) -> dict[str, list[Any]] | None:
    """The query's fields by response key, each a list of field details (`field_nodes`);
    None when some are deferred or take fragment variables."""
    collected = _collect_fields(
        schema=schema, fragments=fragments, variable_values=variables,
        runtime_type=schema.query_type, operation=operation,
    )  # fmt: skip
    return _undeferred(collected)


def subfields(
    schema: GraphQLSchema,
    fragments: dict[str, Any],
    variables: Any,
    operation: OperationDefinitionNode,
    type_: GraphQLObjectType,
    details: list[Any],
) -> dict[str, list[Any]] | None:
    """The fields selected on an object of `type_` by the fields of `details`."""
    collected = _collect_subfields(
        schema=schema, fragments=fragments, variable_values=variables, operation=operation,
        return_type=type_, field_details_list=details,
    )  # fmt: skip
    return _undeferred(collected)


def _undeferred(collected: Any) -> dict[str, list[Any]] | None:
    if collected.new_defer_usages:
        return None
    grouped: dict[str, list[Any]] = collected.grouped_field_set
    for details in grouped.values():
        if any(d.defer_usage or d.fragment_variable_values for d in details):
            return None
    return grouped


def field_nodes(details: list[Any]) -> list[FieldNode]:
    return [d.node for d in details]


# The check.


class Mismatch(Exception):
    """A private part does not behave as relied on."""


def _expect(ok: object, what: str) -> None:
    if not ok:
        raise Mismatch(what)


PROBE_QUERY = """query Probe($skip: Boolean!, $s: String!) {
  first: thing { ...Named name @skip(if: $skip) echo(s: $s, i: 1, f: 1.5, b: true) }
  thing { ... on ProbeThing { id } }
}
fragment Named on ProbeThing { id }"""
PROBE_VARIABLES = {"skip": True, "s": "x"}
PROBE_INPUT_QUERY = "query Given($lines: [ProbeInput!]!, $n: Int) { given(lines: $lines, n: $n) }"
PROBE_EXTENSIONS = {"probe": True}


class _Probe:
    """A small Strawberry schema with one of each thing the plans rely on, and the infos
    its full path gave a resolver."""

    def __init__(self) -> None:
        class Refused(Exception):
            pass

        @strawberry.interface(name="ProbeNode")
        class Node:
            id: strawberry.ID

        @strawberry.type(name="ProbeThing")
        class Thing(Node):
            name: str

            @strawberry.field
            def echo(
                self, info: strawberry.Info, s: str, i: int, f: float, b: bool,
                o: int | None = None,
            ) -> str:  # fmt: skip
                info.context["calls"].append((self, info, (s, i, f, b, o)))
                return s

            @strawberry.field
            async def later(self, s: str) -> str:
                return s

        @strawberry.enum(name="ProbeColour")
        class Colour(enum.Enum):
            RED = "red"
            BLUE = "blue"

        @strawberry.input(name="ProbeInput")
        class Given:
            s: str
            many: list[int] = strawberry.field(default_factory=list)
            colour: Colour = Colour.RED
            maybe: float | None = None

        @strawberry.input(name="ProbeBuilt")
        class Built:
            s: str

        def build(cls: type, value: Any, context: Any) -> Any:
            return ("built", cls, value, context)

        Built.__strawberry_definition__.from_input = build  # type: ignore[attr-defined]  # the hook @strawberry.input leaves None

        @strawberry.type(name="ProbeError")
        class Error:
            message: str

        class Handler(strawberry.ExceptionHandler[Refused, Error]):
            def handle(self, exception: Refused, *, field: Any, info: Any) -> Error:
                return Error(message=str(exception))

        @strawberry.type(name="ProbeQuery")
        class Query:
            @strawberry.field
            def thing(self, info: strawberry.Info) -> Thing:
                info.context["infos"].append(info)
                return Thing(id=strawberry.ID("1"), name="probe")

            @strawberry.field
            def given(self, lines: list[Given], n: int | None = None) -> int:
                return len(lines)

            @strawberry.field
            def built(self, info: strawberry.Info, items: list[Built]) -> int:
                info.context["calls"].append((self, info, items))
                return len(items)

            @strawberry.field
            def risky(self) -> Thing | Error:
                raise Refused("refused")

        self.Thing, self.Error, self.Built = Thing, Error, Built
        self.schema = strawberry.Schema(query=Query, exception_handlers=[Handler()])
        self.graphql = graphql_schema(self.schema)
        self.context: dict[str, list[Any]] = {"infos": [], "calls": []}
        self.result = self.schema.execute_sync(
            PROBE_QUERY, variable_values=PROBE_VARIABLES, context_value=self.context,
            operation_extensions=PROBE_EXTENSIONS,
        )  # fmt: skip

    def field(self, type_name: str, name: str) -> GraphQLField:
        type_ = self.graphql.type_map[type_name]
        assert isinstance(type_, GraphQLObjectType)
        field: GraphQLField = type_.fields[name]
        return field


def _check_resolve_info(probe: _Probe) -> None:
    _expect(ResolveInfo is not None, "no _OperationContextAwareGraphQLResolveInfo")
    fields = getattr(ResolveInfo, "_fields", ())
    _expect(set(fields) == set(RESOLVE_INFO_FIELDS), f"its fields are {fields}")
    values: dict[str, Any] = {name: object() for name in RESOLVE_INFO_FIELDS}
    operation = {k: v for k, v in values.items() if k not in _PER_FIELD + _PER_REQUEST}
    request = {name: values[name] for name in _PER_REQUEST}
    make = ResolveInfos(**operation).for_request(**request)
    info = make(*(values[name] for name in _PER_FIELD))
    _expect(type(info) is ResolveInfo, "built, it is not one")
    for name, value in values.items():
        _expect(getattr(info, name) is value, f"{name} does not read back")


def _check_full_path_info(probe: _Probe) -> None:
    """What Strawberry's execution gives a resolver is what a plan gives it."""
    _expect(probe.result.errors is None, f"the probe query failed: {probe.result.errors}")
    _expect(
        probe.result.data == {"first": {"id": "1", "echo": "x"}, "thing": {"id": "1"}},
        f"the probe query answered {probe.result.data}",
    )
    raw = raw_info(probe.context["infos"][0])
    _expect(type(raw) is ResolveInfo, f"resolvers get a {type(raw).__name__}")
    query = probe.graphql.query_type
    assert query is not None
    _expect(raw.field_name == "thing" and raw.parent_type is query, "field_name, parent_type")
    _expect(raw.return_type is query.fields["thing"].type, "return_type")
    _expect(raw.path.as_list() == ["first"], "path")
    _expect(all(isinstance(n, FieldNode) for n in raw.field_nodes), "field_nodes")
    _expect(raw.schema is probe.graphql, "schema")
    _expect(
        isinstance(raw.fragments, dict)
        and isinstance(raw.fragments.get("Named"), FragmentDefinitionNode),
        "fragments",
    )
    _expect(raw.root_value is None, "root_value")
    _expect(isinstance(raw.operation, OperationDefinitionNode), "operation")
    # the coerced values as a plain dict (graphql-core's own info holds VariableValues)
    _expect(type(raw.variable_values) is dict, "variable_values is no dict")
    _expect(raw.variable_values == PROBE_VARIABLES, "variable_values")
    _expect(raw.context is probe.context, "context")
    _expect(raw.operation_extensions == PROBE_EXTENSIONS, "operation_extensions")
    _expect(raw.is_awaitable is is_awaitable, "is_awaitable is not optimized_is_awaitable")

    async def coroutine() -> None:
        pass

    awaitable = coroutine()
    _expect(is_awaitable(awaitable), "is_awaitable misses a coroutine")
    awaitable.close()
    _expect(not any(map(is_awaitable, (1, "x", None, [], {}))), "is_awaitable: plain values")


def _check_raw_info(probe: _Probe) -> None:
    info = probe.context["infos"][0]
    _expect(isinstance(info, Info), f"resolvers get a {type(info).__name__}")
    raw = raw_info(info)
    _expect(raw is not None and raw.field_nodes, "Info has no _raw_info")
    field = strawberry_field(probe.field("ProbeQuery", "thing"))
    built = strawberry_info(Info, raw, field)
    _expect(raw_info(built) is raw, "Info(_raw_info=) does not read back")
    _expect(built.field_name == "thing" and built.context is probe.context, "Info reads it")


def _check_resolver_wrapper(probe: _Probe) -> None:
    """Strawberry's wrapper calls a resolver as schema/direct.py does without it."""
    definition = probe.field("ProbeThing", "echo")
    field = strawberry_field(definition)
    _expect(isinstance(field, StrawberryField), "no StrawberryField behind the field")
    resolver = field.base_resolver
    _expect(callable(resolver.wrapped_func), "wrapped_func")
    _expect(resolver.self_parameter is not None, "self_parameter")
    _expect(resolver.info_parameter is not None, "info_parameter")
    _expect(resolver.info_parameter.name == "info", "info_parameter")
    _expect(resolver.root_parameter is None and resolver.parent_parameter is None, "parent")
    names = [a.python_name for a in field.arguments]
    _expect(names == ["s", "i", "f", "b", "o"], f"arguments {names}")
    _expect([a.type for a in field.arguments[:4]] == [str, int, float, bool], "argument types")
    _expect(passes_null(field.arguments[4].type), "`int | None` is no StrawberryOptional")
    source = probe.Thing(id=strawberry.ID("1"), name="probe")
    raw = raw_info(probe.context["infos"][0])
    given = ("".join(("pro", "be")), 10**20, 2.5, True, None)  # new objects: kept as such?
    calls = probe.context["calls"]
    calls.clear()
    arguments = dict(zip(("s", "i", "f", "b", "o"), given, strict=True))
    resolve = definition.resolve
    assert resolve is not None
    answer = resolve(source, raw, **arguments)
    _expect(answer is given[0] and len(calls) == 1, "the wrapper's answer")
    parent, info, received = calls[0]
    _expect(parent is source, "the parent is not `self`")
    _expect(type(info) is Info and raw_info(info) is raw and info._field is field, "its Info")
    _expect(all(r is g for r, g in zip(received, given, strict=True)), "arguments converted")
    resolve_later = probe.field("ProbeThing", "later").resolve
    assert resolve_later is not None
    later = resolve_later(source, raw, s=given[0])
    _expect(is_awaitable(later), "an async resolver's wrapper gives no awaitable")
    try:
        later.send(None)
    except StopIteration as done:
        _expect(done.value is given[0], "an async resolver's answer")
    else:
        later.close()
        raise Mismatch("an async resolver's wrapper waits")


def _check_built_items(probe: _Probe) -> None:
    """Strawberry's wrapper converts a list of inputs with a `from_input` hook (`built_items`)
    by calling the hook for each item, with the context `input_contexts` makes (the way
    schema/direct.py calls it; tests/schema/test_plan_paths.py runs both)."""
    definition = probe.field("ProbeQuery", "built")
    field = strawberry_field(definition)
    _expect(_InputContext is not None, "no InputContext")
    found = built_items(field.arguments[0].type)
    _expect(found == (probe.Built, _build_hook(probe)), f"T and its hook: {found}")
    assert found is not None
    cls, hook = found
    raw = raw_info(probe.context["infos"][0])
    items = [{"s": "a"}, {"s": "b"}]
    wrapper = definition.resolve
    assert wrapper is not None
    probe.context["calls"].clear()
    _expect(wrapper(None, raw, items=items) == 2, "the answer")
    [(_, info, wrapped)] = probe.context["calls"]
    _expect(type(info) is Info and raw_info(info) is raw, "its Info")
    context = input_contexts(strawberry_info(Info, raw, field), probe.schema)
    built = [hook(cls, item, context(("items", n))) for n, item in enumerate(items)]
    _expect(len(wrapped) == len(built) == 2, "items")
    for n, (w, d) in enumerate(zip(wrapped, built, strict=True)):
        _expect(w[:3] == d[:3] == ("built", probe.Built, items[n]), "the hook's arguments")
        wc, dc = w[3], d[3]
        _expect(type(wc) is type(dc) is _InputContext, "the context's class")
        _expect(wc.path == dc.path == ("items", n), f"paths {wc.path}, {dc.path}")
        _expect(wc.config is dc.config and wc.scalar_registry is dc.scalar_registry, "config")
        _expect(raw_info(wc.info) is raw_info(dc.info) is raw, "the context's info")


def _build_hook(probe: _Probe) -> Any:
    return probe.Built.__strawberry_definition__.from_input  # type: ignore[attr-defined]  # set by the probe


def _check_basic_resolver(probe: _Probe) -> None:
    definition = probe.field("ProbeThing", "name")
    resolve = definition.resolve
    _expect(is_basic_resolver(resolve), "no _get_basic_result")
    assert resolve is not None
    _expect(strawberry_field(definition).python_name == "name", "python_name")
    source = probe.Thing(id=strawberry.ID("1"), name="".join(("pro", "be")))
    _expect(resolve(source, None) is source.name, "it is not getattr")


def _check_is_type_of(probe: _Probe) -> None:
    thing = probe.graphql.type_map["ProbeThing"]
    assert isinstance(thing, GraphQLObjectType)
    # called without an info, as plans call it (Strawberry's reads none)
    is_type_of: Callable[[Any, Any], Any] | None = thing.is_type_of
    _expect(answers_by_class(is_type_of), f"its is_type_of is {is_type_of!r}")
    assert is_type_of is not None
    _expect(is_type_of(probe.Thing(id=strawberry.ID("1"), name="x"), None), "refuses its own")
    _expect(not is_type_of(probe.Error(message="x"), None), "accepts another class")

    class Alike:
        pass

    cast = strawberry.cast(probe.Thing, Alike())
    _expect(type_cast is not None and type_cast(cast) is probe.Thing, "get_strawberry_type_cast")
    _expect(is_type_of(cast, None), "refuses an object cast to it")
    _expect(not is_type_of(strawberry.cast(probe.Error, Alike()), None), "accepts a cast away")


def _check_exception_handlers(probe: _Probe) -> None:
    plain = field_exception_handlers(
        probe.schema, strawberry_field(probe.field("ProbeQuery", "thing"))
    )
    _expect(plain == (), f"a field without handlers has {plain!r}")
    risky = strawberry_field(probe.field("ProbeQuery", "risky"))
    _expect(field_exception_handlers(probe.schema, risky), "a field with a handler has none")


def _sources(sources: dict[str, Any]) -> list[tuple[object, ...]]:
    """Variable sources as comparable values (each has its own wrapping types)."""
    return [
        (name, s.signature.name, str(s.signature.type), s.signature.default,
         s.signature.default_value, id(s.value))
        for name, s in sources.items()
    ]  # fmt: skip


def _check_variables(probe: _Probe) -> None:
    """A variable's source, as schema/coerce.py builds it from `variable_signature` and
    `VariableValueSource`, is the one get_variable_values builds (its coercion is checked
    against graphql-core's by tests/schema/test_coerce.py)."""
    _expect(variable_signature is not None, "no get_variable_signature")
    _expect(VariableValueSource is not None, "no VariableValueSource")
    operation = parse(PROBE_INPUT_QUERY).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    definitions = operation.variable_definitions or ()
    lines = [{"s": "a"}, {"s": "b", "many": [1, 2], "colour": "BLUE", "maybe": 1.5}]
    given: dict[str, Any] = {"lines": lines, "n": 3}
    full = get_variable_values(probe.graphql, definitions, given)
    _expect(not isinstance(full, list), f"{given} refused: {full}")
    assert not isinstance(full, list)
    built = {
        d.variable.name.value: VariableValueSource(
            variable_signature(probe.graphql, d), given[d.variable.name.value]
        )
        for d in definitions
    }
    _expect(_sources(built) == _sources(full.sources), "the sources")


def _check_collect_fields(probe: _Probe) -> None:
    document = parse(PROBE_QUERY)
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    details = fragment_details(fragments)
    thing = probe.graphql.type_map["ProbeThing"]
    assert isinstance(thing, GraphQLObjectType)
    for skip, expected in ((True, ["id", "echo"]), (False, ["id", "name", "echo"])):
        variables = get_variable_values(
            probe.graphql, operation.variable_definitions or (), {**PROBE_VARIABLES, "skip": skip}
        )
        if isinstance(variables, list):
            raise Mismatch(f"variables refused: {variables}")
        _expect(variables.coerced["skip"] is skip, "VariableValues.coerced")
        grouped = root_fields(probe.graphql, details, variables, operation)
        _expect(grouped is not None and list(grouped) == ["first", "thing"], f"root {grouped}")
        assert grouped is not None
        nodes = field_nodes(grouped["first"])
        _expect(len(nodes) == 1 and nodes[0].name.value == "thing", "field_nodes")
        first = subfields(probe.graphql, details, variables, operation, thing, grouped["first"])
        _expect(first is not None and list(first) == expected, f"@skip({skip}): {first}")
        other = subfields(probe.graphql, details, variables, operation, thing, grouped["thing"])
        _expect(other is not None and list(other) == ["id"], f"inline fragment: {other}")


_LIBRARY_CHECKS: dict[str, Callable[[_Probe], None]] = {
    "resolve_info": _check_resolve_info,
    "full_path_info": _check_full_path_info,
    "raw_info": _check_raw_info,
    "resolver_wrapper": _check_resolver_wrapper,
    "built_items": _check_built_items,
    "basic_resolver": _check_basic_resolver,
    "is_type_of": _check_is_type_of,
    "exception_handlers": _check_exception_handlers,
    "collect_fields": _check_collect_fields,
    "variables": _check_variables,
}


def _check_schema_is_type_of(schema: Any) -> None:
    """Strawberry's is_type_of is recognised on every type it made one for."""
    for name, type_ in graphql_schema(schema).type_map.items():
        definition = (getattr(type_, "extensions", None) or {}).get(_DEFINITION)
        if not isinstance(type_, GraphQLObjectType) or definition is None:
            continue
        if getattr(definition, "interfaces", None) and not definition.is_type_of:
            is_type_of: Callable[[Any, Any], Any] | None = type_.is_type_of  # asked without info
            _expect(answers_by_class(is_type_of), f"{name}'s is_type_of")
            assert is_type_of is not None
            _expect(not is_type_of(object(), None), f"{name}'s is_type_of")


def _resolves_fields(schema: Any) -> bool:
    """Whether any schema extension wraps every resolver (a `resolve` hook)."""
    for factory in schema.extensions:
        cls = getattr(factory, "func", factory)
        if isinstance(cls, type) and cls.resolve is not SchemaExtension.resolve:  # type: ignore[attr-defined]  # an extension class: its hooks are SchemaExtension's
            return True
    return False


_SCHEMA_CHECKS: dict[str, Callable[[Any], None]] = {
    "graphql_schema": lambda s: _expect(isinstance(graphql_schema(s), GraphQLSchema), "_schema"),
    # its full path gives resolvers what the probe's did
    "execution_context": lambda s: _expect(
        _ExecutionContext is not None
        and s.execution_context_class.build_resolve_info is _ExecutionContext.build_resolve_info,
        f"it runs {s.execution_context_class.__name__}",
    ),
    "info_class": lambda s: _expect(issubclass(s.config.info_class, Info), "not Strawberry's"),
    "default_resolver": lambda s: _expect(s.config.default_resolver is getattr, "not getattr"),
    "resolve_hooks": lambda s: _expect(not _resolves_fields(s), "an extension wraps resolvers"),
    "is_type_of": _check_schema_is_type_of,
}


def _describe(error: Exception) -> str:
    return str(error) if isinstance(error, Mismatch) else f"{type(error).__name__}: {error}"


@functools.cache
def library_failures() -> tuple[tuple[str, str], ...]:
    """(check, what failed) for each library check that fails; run once per process."""
    try:
        probe = _Probe()
    except Exception as e:
        return tuple((name, f"the probe schema: {_describe(e)}") for name in _LIBRARY_CHECKS)
    failures = []
    for name, check_one in _LIBRARY_CHECKS.items():
        try:
            check_one(probe)
        except Exception as e:
            failures.append((name, _describe(e)))
    return tuple(failures)


def check(schema: Any) -> list[str]:
    """The names of the checks that fail for this Strawberry schema (none: the plans may
    answer). A failure not yet named by this process is logged, as one WARNING."""
    failures = dict(library_failures())
    for name, check_one in _SCHEMA_CHECKS.items():
        try:
            check_one(schema)
        except Exception as e:
            failures.setdefault(name, _describe(e))
    new = {name: what for name, what in failures.items() if name not in _WARNED}
    if new:
        _WARNED.update(new)
        log.warning(
            "strawberry-graphql %s, graphql-core %s: private parts not as "
            "schema/private_api.py expects (%s); compiled plans are off, every request "
            "takes the full path",
            version("strawberry-graphql"),
            graphql.version,
            "; ".join(f"{name}: {what}" for name, what in new.items()),
        )
    return list(failures)
