"""The GraphQL schema: `schema` is what the server executes and `schema.graphql` records."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from schema.errors import classify
from schema.limits import Limits, QueryLimits
from schema.query import Query
from schema.scalars import SCALARS
from schema.types import tables

DOCUMENT_CACHE_SIZE = 1024


class HcpcsSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        context = getattr(execution_context, "context", None)
        classify(errors, getattr(context, "request_id", None))
        if hasattr(context, "error_codes"):
            context.error_codes.extend(e.extensions["code"] for e in errors)


class OperationName(SchemaExtension):
    """Note the operation's name in the context, for the access log and metrics."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        with contextlib.suppress(Exception):  # several anonymous operations: validation says
            if hasattr(context.context, "operation_name"):
                context.context.operation_name = context.operation_name
        yield


def build_schema(limits: Limits | None = None, *, introspection: bool = True) -> HcpcsSchema:
    limits = limits or Limits()
    # factories: each request gets its own extension instances. The caches are keyed by
    # the query text: a client sending the same document again skips parse and validation.
    extensions: list[Any] = [
        functools.partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
        functools.partial(ParserCache, maxsize=DOCUMENT_CACHE_SIZE),
        functools.partial(QueryLimits, limits),
        functools.partial(ValidationCache, maxsize=DOCUMENT_CACHE_SIZE),
        OperationName,
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return HcpcsSchema(
        query=Query,
        types=[*tables.TABLE_TYPES.values(), tables.ProcessingNote],
        extensions=extensions,
        config=StrawberryConfig(scalar_map=SCALARS),
    )


schema = build_schema()
