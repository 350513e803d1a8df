"""Call a field's Python resolver the way Strawberry's wrapper would, without the wrapper.

Strawberry wraps every resolver: it builds its Info, converts each argument by its
annotation, runs field extensions and exception handlers, and puts the parent and info
where the function asks for them. For a field with none of those to do (no extensions, no
handlers, and the arguments given all built-in scalars, which need only their Python
names, or null), that comes down to a rename and one call; `direct_resolver` returns that
call, used by compiled plans (schema/compiled.py). A request giving a value of another type
(an input object, an ID, a date) goes through Strawberry's wrapper, as does any other field.

What the wrapper does is Strawberry's own business: the parts of it relied on here are
named in schema/private_api.py, whose check calls the wrapper and compares.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLField
from strawberry.types.field import StrawberryField

from hcpcs_graph.schema.private_api import (
    PASSED_AS_IS,
    built_items,
    field_exception_handlers,
    input_contexts,
    passes_null,
    strawberry_field,
    strawberry_info,
)


def _plain(annotation: object) -> bool:
    if passes_null(annotation):
        annotation = annotation.of_type  # type: ignore[attr-defined]  # an optional (passes_null), which has of_type
    return annotation in PASSED_AS_IS


def direct_resolver(
    definition: GraphQLField, schema: Any, wrapper: Callable[..., Any]
) -> Callable[..., Any] | None:
    """(source, graphql-core info, **arguments) -> what Strawberry's `wrapper` returns for
    this field, or None when only the wrapper can say."""
    field = strawberry_field(definition)
    if not isinstance(field, StrawberryField) or field.extensions:
        return None
    if type(field).get_result is not StrawberryField.get_result:
        return None
    resolver = field.base_resolver
    if resolver is None:
        return None
    handlers = field_exception_handlers(schema, field)
    if handlers is None or handlers:  # unknown, or some: the wrapper applies them
        return None
    names = []
    # arguments Strawberry converts: given a value, they take the wrapper; given null (a
    # default of null counts), an optional one is passed on as None, as the wrapper would
    converted: list[tuple[str, bool]] = []
    # lists of inputs that build their own values (a `from_input` hook): each item is
    # given to its hook, as Strawberry's conversion does (its dispatch per item, not the
    # hook, was most of what a 500-line claim's arguments cost)
    built: list[tuple[str, str, type, Callable[..., Any]]] = []
    for argument in field.arguments:
        name = schema.config.name_converter.from_argument(argument)
        graphql_argument = definition.args.get(name)
        if graphql_argument is None or graphql_argument.out_name:
            return None
        if _plain(argument.type):
            names.append((name, argument.python_name))
        elif (items := built_items(argument.type)) is not None:
            built.append((name, argument.python_name, *items))
        else:
            optional = passes_null(argument.type)
            converted.append((name, optional))
            if optional:
                names.append((name, argument.python_name))
    pass_self = resolver.self_parameter is not None
    as_source = [p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p]
    info_name = resolver.info_parameter.name if resolver.info_parameter else None
    info_class = schema.config.info_class
    function = resolver.wrapped_func
    if not callable(function):
        return None

    def call(source: Any, info: Any, **arguments: Any) -> Any:
        for name, optional in converted:
            if name in arguments and (arguments[name] is not None or not optional):
                return wrapper(source, info, **arguments)
        kwargs = {python: arguments[name] for name, python in names if name in arguments}
        for name in as_source:
            kwargs[name] = source
        given = strawberry_info(info_class, info, field) if built or info_name else None
        for name, python, cls, hook in built:
            if name in arguments:
                value = arguments[name]
                if value.__class__ is not list:
                    return wrapper(source, info, **arguments)
                context = input_contexts(given, schema)
                kwargs[python] = [
                    None if item is None else hook(cls, item, context((name, n)))
                    for n, item in enumerate(value)
                ]
        if info_name is not None:
            kwargs[info_name] = given
        return function(source, **kwargs) if pass_self else function(**kwargs)

    return call
