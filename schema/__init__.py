"""The GraphQL schema: `schema` is what the server executes and `schema.graphql` records."""

from __future__ import annotations

import functools
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, MaxTokensLimiter
from strawberry.schema.config import StrawberryConfig

from schema.errors import classify
from schema.limits import Limits, QueryLimits
from schema.query import Query
from schema.scalars import SCALARS
from schema.types import tables


class HcpcsSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        context = getattr(execution_context, "context", None)
        classify(errors, getattr(context, "request_id", None))


def build_schema(limits: Limits | None = None, *, introspection: bool = True) -> HcpcsSchema:
    limits = limits or Limits()
    # factories: each request gets its own extension instances
    extensions: list[Any] = [
        functools.partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
        functools.partial(QueryLimits, limits),
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
