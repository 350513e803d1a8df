"""Parsed and validated documents, kept by query text in a cache bounded in bytes.

Clients send the same few documents again and again: kept, a document skips parse and
validation. It replaces Strawberry's ParserCache and ValidationCache, which keep 1,024
entries whatever their size: a 3,000-token document parses to ~2 MB of nodes and tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, GraphQLError
from strawberry.extensions import SchemaExtension

from hcpcs_graph.schema.bounded import BoundedCache

# Bytes a document keeps alive per token (its node, name, location and token objects) and
# per validation error; measured with tracemalloc on many shapes, rounded up
# (tests/schema/test_bounded.py checks the estimate against a new measurement).
TOKEN_BYTES = 1000
ERROR_BYTES = 4096


def document_bytes(query: str, document: DocumentNode, errors: int = 0) -> int:
    """What a parsed document (and `errors` validation errors) keeps alive, estimated."""
    tokens = 0
    token = document.loc.start_token if document.loc is not None else None
    while token is not None:
        tokens += 1
        token = token.next
    if document.loc is None:
        tokens = len(query)  # no token list to count: one per character at most
    # the text, and token values sliced from it
    return 2 * len(query) + TOKEN_BYTES * tokens + ERROR_BYTES * errors


class Documents:
    """query text -> (document, its validation errors), bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.cache: BoundedCache[str, tuple[DocumentNode, list[GraphQLError]]] = BoundedCache(
            max_bytes
        )

    def get(self, query: str) -> tuple[DocumentNode, list[GraphQLError]] | None:
        return self.cache.get(query) if self.cache.enabled else None

    def put(self, query: str, document: DocumentNode, errors: list[GraphQLError]) -> None:
        if self.cache.enabled:
            self.cache.put(query, (document, errors), document_bytes(query, document, len(errors)))


class DocumentCache(SchemaExtension):
    """Parse and validate a query text once while it stays in `documents`."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents
        self.found: tuple[DocumentNode, list[GraphQLError]] | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None:
            self.found = self.documents.get(context.query)
            if self.found is not None:
                context.graphql_document = self.found[0]
        yield  # Strawberry parses when no document was found

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if self.found is not None:
            context.pre_execution_errors = list(self.found[1])  # Strawberry skips validating
        yield
        document: Any = context.graphql_document
        if self.found is None and context.query is not None and document is not None:
            self.documents.put(context.query, document, list(context.pre_execution_errors or []))
