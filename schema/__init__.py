"""The GraphQL schema: `schema` is what the server executes and `schema.graphql` records."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig

from schema.errors import classify
from schema.query import Query
from schema.scalars import SCALARS
from schema.types import tables


class HcpcsSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        context = getattr(execution_context, "context", None)
        classify(errors, getattr(context, "request_id", None))


schema = HcpcsSchema(
    query=Query,
    types=[*tables.TABLE_TYPES.values(), tables.ProcessingNote],
    config=StrawberryConfig(scalar_map=SCALARS),
)
