"""Variable values coerced by functions built once per learned document (schema/compiled.py).

graphql-core coerces a variable by walking its type afresh for every value, after a walk
checking that the value is not nested too deeply: for a 500-line claim, 5,000 values and
two walks, a fifth of what the whole claim cost. A coercer here is the same rules, closed
over the types once: what graphql-core's `coerce_input_value` does for a valid value,
found the same way (each leaf by its type's own `coerce_input_value`, input objects by
their fields in order, out names and `out_type`, defaults as graphql-core uses them).

Only the plain case is built: anything else (a value that is invalid, a list given as one
item, a tuple, a variable not given or with a default, a @oneOf input, an external default,
a type nested deeper than `MAX_DEPTH`) returns None, and graphql-core's
`get_variable_values` coerces the request instead, with its errors.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    Undefined,
    VariableDefinitionNode,
    VariableValues,
)

from hcpcs_graph.schema.private_api import VariableValueSource, variable_signature

MAX_DEPTH = 16  # types nested deeper (or recursive) are left to graphql-core


class Invalid(Exception):
    """The value is not the plain valid case: graphql-core decides."""


Coercer = Callable[[Any], Any]


def coercer(type_: GraphQLInputType, depth: int = 0) -> Coercer | None:
    """A function coercing a valid value of `type_` as graphql-core would, raising Invalid
    otherwise; None when the type is not one this module builds."""
    if depth > MAX_DEPTH:
        return None
    if type_ is GraphQLString or (
        isinstance(type_, GraphQLNonNull) and type_.of_type is GraphQLString
    ):
        return _string if type_ is GraphQLString else _required_string
    named = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):  # null checked with the value
        return _leaf(named, named is not type_)
    if isinstance(type_, GraphQLNonNull):
        present = _nullable(type_.of_type, depth)
        if present is None:
            return None

        def non_null(value: Any) -> Any:
            if value is None:
                raise Invalid
            return present(value)

        return non_null
    inner = _nullable(type_, depth)
    if inner is None:
        return None

    def nullable(value: Any) -> Any:
        return None if value is None else inner(value)

    return nullable


# String, the commonest leaf, without the call to its coerce_input_value: graphql-core's
# takes a str as it is and refuses anything else
def _string(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    raise Invalid


def _required_string(value: Any) -> Any:
    if isinstance(value, str):
        return value
    raise Invalid


def _nullable(type_: GraphQLInputType, depth: int) -> Coercer | None:
    """The coercer of a value that is not null."""
    if isinstance(type_, GraphQLList):
        item = coercer(type_.of_type, depth + 1)
        if item is None:
            return None

        def list_of(value: Any) -> Any:
            if value.__class__ is not list:  # a single item, a tuple: graphql-core's rules
                raise Invalid
            return [item(v) for v in value]

        return list_of
    if isinstance(type_, GraphQLInputObjectType):
        return _input_object(type_, depth)
    return None


def _leaf(type_: GraphQLScalarType | GraphQLEnumType, required: bool) -> Coercer:
    """A scalar's or enum's coercer, null handled in the same call."""
    if isinstance(type_, GraphQLEnumType):
        values = _enum_values(type_)
        if values is not None:

            def enum_value(value: Any) -> Any:
                found = values.get(value) if value.__class__ is str else None
                if found is None:
                    if value is None and not required:
                        return None
                    raise Invalid
                return found

            return enum_value
    coerce = type_.coerce_input_value

    def leaf(value: Any) -> Any:
        if value is None:
            if required:
                raise Invalid
            return None
        try:
            found = coerce(value)
        except Exception:  # graphql-core's rule: any error means invalid
            raise Invalid from None
        if found is Undefined:
            raise Invalid
        return found

    return leaf


def _enum_values(type_: GraphQLEnumType) -> dict[str, Any] | None:
    """An enum's values by name, each coerced once by the type itself (Strawberry's makes
    a Python enum member of each value it is given); None when some name does not coerce
    to a value."""
    values = {}
    for name in type_.values:
        try:
            value = type_.coerce_input_value(name)
        except Exception:  # the type's business: graphql-core's path coerces it
            return None
        if value is None or value is Undefined:
            return None
        values[name] = value
    return values


def _input_object(type_: GraphQLInputObjectType, depth: int) -> Coercer | None:
    if type_.is_one_of:
        return None
    fields = []
    for name, field in type_.fields.items():
        if field.default is not None:  # an external default: graphql-core coerces it
            return None
        coerce = coercer(field.type, depth + 1)
        if coerce is None:
            return None
        required = isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        fields.append((name, field.out_name or name, coerce, required, field.default_value))
    names = frozenset(type_.fields)
    out_type = type_.out_type

    def input_object(value: Any) -> Any:
        if value.__class__ is not dict or not names.issuperset(value):
            raise Invalid
        coerced = {}
        for name, out_name, coerce, required, default in fields:
            given = value.get(name, Undefined)
            if given is Undefined:
                if required:
                    raise Invalid
                if default is not Undefined:  # the internal default, used as is
                    coerced[out_name] = default
            else:
                coerced[out_name] = coerce(given)
        return out_type(coerced)

    return input_object


class Variables:
    """The coercers of an operation's variables; `coerce` answers what graphql-core's
    `get_variable_values` answers for plain valid values, else None."""

    def __init__(self, schema: GraphQLSchema, definitions: Collection[VariableDefinitionNode]):
        self.compiled: list[tuple[str, Any, Coercer]] | None = []
        if variable_signature is None or VariableValueSource is None:
            self.compiled = None  # the check names them; graphql-core coerces
            return
        for definition in definitions:
            signature = variable_signature(schema, definition)
            if isinstance(signature, GraphQLError) or definition.default_value is not None:
                self.compiled = None
                return
            coerce = coercer(signature.type)
            if coerce is None:
                self.compiled = None
                return
            self.compiled.append((signature.name, signature, coerce))

    def coerce(self, inputs: dict[str, Any]) -> VariableValues | None:
        if self.compiled is None:
            return None
        sources: dict[str, Any] = {}  # VariableValueSource by name
        coerced: dict[str, Any] = {}
        try:
            for name, signature, coerce in self.compiled:
                value = inputs.get(name, Undefined)
                if value is Undefined:
                    return None  # absent: graphql-core's rules for nullable and required
                sources[name] = VariableValueSource(signature, value)
                coerced[name] = coerce(value)
        except Invalid:
            return None
        return VariableValues(sources, coerced)
