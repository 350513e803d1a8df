"""HTTP for /fhir: the routes, content negotiation (`_format`, Accept), ETags on GET,
admission and the time limit (those of /graphql: the same Admission), errors as
OperationOutcome. The data comes from the GraphQL executor, one document at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, Router
from starlette.types import Receive, Scope, Send

from hcpcs_graph.db.database import Database, Snapshot
from hcpcs_graph.schema.cache import cache_of
from hcpcs_graph.schema.context import Context
from hcpcs_graph.schema.executor import Executor, GraphQLRequest
from hcpcs_graph.server import http_cache
from hcpcs_graph.server.admission import Admission
from hcpcs_graph.server.fhir import expand, operations, translate
from hcpcs_graph.server.fhir.outcomes import FhirError, not_supported, of_error, of_graphql
from hcpcs_graph.server.fhir.params import Params, of_body, of_query
from hcpcs_graph.server.request_state import Outcome, request_state
from hcpcs_graph.server.settings import Settings

FHIR_JSON = "application/fhir+json"
JSON = "application/json"
MB = 2**20
Json = dict[str, Any]
Operation = Callable[["Graph", Params], Awaitable[Json]]
# _format values meaning JSON (the FHIR spec's short forms, and the media types)
JSON_FORMATS = {
    "json": FHIR_JSON,
    FHIR_JSON: FHIR_JSON,
    JSON: JSON,
    "application/json+fhir": FHIR_JSON,
}


class Graph:
    """The GraphQL executor, for the documents of one FHIR request, on its snapshot."""

    def __init__(
        self, executor: Executor, snapshot: Snapshot, settings: Settings, request_id: str
    ) -> None:
        self.executor = executor
        self.snapshot = snapshot
        self.settings = settings
        self.request_id = request_id
        self.cacheable = True
        self.cost = 0
        self.operations: list[str] = []

    async def run(self, document: str, variables: dict[str, Any]) -> Json:
        context = Context(
            snapshot=self.snapshot,
            request_id=self.request_id,
            time_limit=self.settings.time_limit,
            diff_cache_bytes=self.settings.diff_cache_mb * MB,
            claim_cache_bytes=self.settings.claim_cache_mb * MB,
        )
        request = GraphQLRequest.of(document, variables, None, None)
        answer = await self.executor.execute(request, context, queries_only=True)
        self.cacheable = self.cacheable and answer.cacheable
        self.cost += context.cost or 0
        payload = orjson.loads(answer.body)
        errors = payload.get("errors")
        if errors:
            first = errors[0]
            raise of_graphql(first.get("extensions", {}).get("code"), first.get("message", ""))
        data: Json = payload["data"]
        return data


def negotiate(request: Request) -> str:
    """The media type to answer in: `_format` first, else Accept; JSON only."""
    given = request.query_params.get("_format")
    if given is not None:
        media = JSON_FORMATS.get(given.strip().lower())
        if media is None:
            raise not_supported(
                f"_format {given!r}: this server answers JSON only ({FHIR_JSON})", 406, "_format"
            )
        return media
    accept = request.headers.get("accept", "").lower()
    ranges = {part.split(";")[0].strip() for part in accept.split(",")} - {""}
    if not ranges or FHIR_JSON in ranges or ranges & {"*/*", "application/*"}:
        return FHIR_JSON
    if ranges & {JSON, "application/json+fhir"}:
        return JSON if JSON in ranges else FHIR_JSON
    raise not_supported(f"Accept {accept!r}: this server answers {FHIR_JSON} only", 406)


class Fhir:
    """The /fhir routes. `admission` is the GraphQL view's: FHIR requests take their turn
    with GraphQL's, within the same limit of operations at once."""

    def __init__(
        self, executor: Executor, settings: Settings, admission: Admission, database: Database
    ) -> None:
        self.executor = executor
        self.settings = settings
        self.admission = admission
        self.database = database
        self.cache_control = f"public, max-age={settings.cache_max_age}"

    def routes(self) -> list[BaseRoute]:
        both = ["GET", "POST"]
        cs_validate = self._endpoint(
            "CodeSystem/$validate-code",
            lambda g, p: operations.validate_code(g, p, value_set=False),
        )
        vs_validate = self._endpoint("ValueSet/$validate-code",
                                     lambda g, p: operations.validate_code(g, p, value_set=True))  # fmt: skip
        return [
            Route("/metadata", self._endpoint("metadata", operations.metadata), methods=["GET"]),
            Route("/CodeSystem/$lookup", self._endpoint("CodeSystem/$lookup", operations.lookup), methods=both),
            Route("/CodeSystem/$validate-code", cs_validate, methods=both),
            Route("/ValueSet/$validate-code", vs_validate, methods=both),
            Route("/ValueSet/$expand", self._endpoint("ValueSet/$expand", expand.expand), methods=both),
            Route("/ConceptMap/$translate", self._endpoint("ConceptMap/$translate", translate.translate), methods=both),
            Route("/CodeSystem", self._endpoint("CodeSystem?", self._search), methods=["GET"]),
            Route("/CodeSystem/{id}", self._endpoint("CodeSystem/{id}", self._read), methods=["GET"]),
        ]  # fmt: skip

    def app(self) -> Router:
        return Router(self.routes(), default=self._unknown)

    @staticmethod
    async def _search(graph: Graph, params: Params) -> Json:
        return await operations.code_systems(graph, params, params.base)

    @staticmethod
    async def _read(graph: Graph, params: Params) -> Json:
        return await operations.code_system(graph, params.path_id)

    async def _unknown(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        error = not_supported(
            f"{request.method} {request.url.path} is not an operation of this terminology server; see /fhir/metadata",
            404,
        )
        await _outcome(error, FHIR_JSON)(scope, receive, send)

    def _endpoint(
        self, name: str, operation: Operation
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            return await self.answer(request, name, operation)

        return endpoint

    async def answer(self, request: Request, name: str, operation: Operation) -> Response:
        state = request_state(request.scope)
        outcome = state.graphql = Outcome(operation=f"fhir {name}")
        try:
            media = negotiate(request)
        except FhirError as e:
            outcome.errors = [e.code]
            return _outcome(e, FHIR_JSON)
        get = request.method == "GET"
        async with self.database.borrowed() as snapshot:
            state.snapshot = snapshot
            tag = None
            if get:
                cached = cache_of(snapshot)
                releases = cached.etag
                if releases is None:
                    releases = cached.etag = http_cache.releases_digest(snapshot.catalog)
                key = (
                    "fhir",
                    request.url.path,
                    tuple(sorted(request.query_params.multi_items())),
                    media,
                )
                tag = http_cache.etag(releases, key)
                if http_cache.matches(request.headers.get("if-none-match"), tag):
                    return Response(
                        status_code=304, headers={"ETag": tag, "Cache-Control": self.cache_control}
                    )
            graph = Graph(self.executor, snapshot, self.settings, state.request_id)
            try:
                params = of_query(request) if get else await of_body(request)
                params.base = str(request.base_url).rstrip("/") + "/fhir"
                params.path_id = request.path_params.get("id", "")
                resource = await self._run(operation, graph, params)
            except FhirError as e:
                outcome.errors = [e.code]
                outcome.cost = graph.cost
                outcome.described = True
                response = _outcome(e, media)
                if e.status == 503 and e.code == "throttled":
                    response.headers["Retry-After"] = "1"
                if get:
                    response.headers["Cache-Control"] = "no-store"
                return response
        outcome.cost = graph.cost
        outcome.described = True
        response = Response(orjson.dumps(resource), media_type=media)
        if get and tag is not None and graph.cacheable:
            response.headers["ETag"] = tag
            response.headers["Cache-Control"] = self.cache_control
        elif get:
            response.headers["Cache-Control"] = "no-store"
        return response

    async def _run(self, operation: Operation, graph: Graph, params: Params) -> Json:
        """The operation, once admitted, within the time limit of /graphql."""
        if not await self.admission.enter():
            raise FhirError(503, "throttled", "The server is busy; try again shortly")
        try:
            async with asyncio.timeout(self.settings.time_limit or None):
                return await operation(graph, params)
        except TimeoutError:
            raise FhirError(503, "timeout", "the request ran past its time limit") from None
        finally:
            self.admission.leave()


def _outcome(error: FhirError, media: str) -> Response:
    return Response(orjson.dumps(of_error(error)), status_code=error.status, media_type=media)
