"""The GraphQL schema: `build_schema()` makes what the server executes (server/app.py's
`create_app` builds one per app) and what `schema.graphql` records."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import strawberry
from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import DisableIntrospection, MaxTokensLimiter, SchemaExtension
from strawberry.schema.config import StrawberryConfig

from hcpcs_graph.schema.compiled import Compiled
from hcpcs_graph.schema.documents import DocumentCache, Documents
from hcpcs_graph.schema.errors import classify
from hcpcs_graph.schema.limits import (
    MEASUREMENTS_BYTES,
    Limits,
    Measurements,
    QueryLimits,
    bound_field_merging,
    cost_extension,
    measure,
)
from hcpcs_graph.schema.query import Query
from hcpcs_graph.schema.scalars import SCALARS
from hcpcs_graph.schema.types import tables

_NAMED: ContextVar[bool] = ContextVar("operation_named", default=True)
DOCUMENT_CACHE_BYTES = 16 * 2**20
PLAN_CACHE_BYTES = 16 * 2**20


class HcpcsSchema(strawberry.Schema):
    def __init__(
        self,
        *args: Any,
        limits: Limits,
        documents: Documents,
        measured: Measurements,
        plan_bytes: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self.documents = documents
        self.measured = measured  # documents' costs (schema/limits.py)
        self.compiled = Compiled(self, plan_bytes)

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        # Strawberry's execution context names the first operation when none is given;
        # OperationName must know whether the client named one
        named = _NAMED.set(kwargs.get("operation_name") is not None)
        try:
            return await super().execute(*args, **kwargs)
        finally:
            _NAMED.reset(named)

    def learn(self, query: str, operation_name: str | None) -> None:
        """`execute` has just answered this document without errors: compile it."""
        self.compiled.learn(query, operation_name)

    async def execute_known(
        self,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Any,
        extensions: dict[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """The answer (`data` and `extensions`) to a learned document, by its compiled
        plan (schema/compiled.py); None when `execute` must answer it instead (the plan
        counts why)."""
        prepared = self.compiled.knows(query, operation_name)
        if prepared is None:
            return None
        catalog = getattr(getattr(context, "snapshot", None), "catalog", None)
        cost, rejected = measure(
            query, prepared.document, variables or {}, catalog, self.limits,
            self.compiled.graphql, self.measured,
        )  # fmt: skip
        if rejected is not None:
            self.compiled.gave_up("cost")
            return None
        context.cost = cost
        name = prepared.operation.name
        context.operation_name = name.value if name is not None else None
        data = await self.compiled.answer(prepared, variables, context, extensions)
        if data is None:
            return None
        return {"data": data, "extensions": cost_extension(cost, self.limits)}

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        context: Any = getattr(execution_context, "context", None)
        classify(errors, getattr(context, "request_id", None))
        if hasattr(context, "error_codes"):  # classify gave every error its code
            context.error_codes.extend(e.extensions["code"] for e in errors if e.extensions)


class OperationName(SchemaExtension):
    """Which operation runs: one must be named when a document holds several (Strawberry
    would run the first); its name goes to the context, for the access log and metrics."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if not _NAMED.get() and document is not None:
            operations = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
            if operations > 1:
                raise GraphQLError(
                    f"the document holds {operations} operations: name the one to run in "
                    "operationName"
                )
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        with contextlib.suppress(Exception):  # several anonymous operations: validation says
            if hasattr(context.context, "operation_name"):
                context.context.operation_name = context.operation_name
        yield


def build_schema(
    limits: Limits | None = None,
    *,
    introspection: bool = True,
    document_bytes: int = DOCUMENT_CACHE_BYTES,
    plan_bytes: int = PLAN_CACHE_BYTES,
) -> HcpcsSchema:
    """`document_bytes`: memory for parsed and validated documents, `plan_bytes` for the
    plans compiled from them (schema/compiled.py); 0 turns either off."""
    limits = limits or Limits()
    bound_field_merging()
    documents = Documents(document_bytes)
    measured = Measurements(MEASUREMENTS_BYTES)
    # factories: each request gets its own extension instances. Documents are kept by
    # query text: a client sending the same document again skips parse and validation.
    extensions: list[Any] = [
        functools.partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
        functools.partial(DocumentCache, documents),
        functools.partial(QueryLimits, limits, measured),
        OperationName,
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return HcpcsSchema(
        query=Query,
        types=[*tables.TABLE_TYPES.values(), tables.ProcessingNote],
        extensions=extensions,
        config=StrawberryConfig(scalar_map=SCALARS),
        limits=limits,
        documents=documents,
        measured=measured,
        plan_bytes=plan_bytes,
    )
