"""What a browser gets: GraphiQL at /graphql, the lookup page at /, their files at /static.

Everything is served from this origin: GraphiQL and React are vendored in
server/static/vendor (pinned versions, with their licences), and each page's
Content-Security-Policy lets the browser load nothing and call nothing elsewhere.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Scope

from hcpcs_graph.db.database import Database, DatabaseUnavailable
from hcpcs_graph.server.graphql_view import GraphQLView

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"

# The seed record's query: the README's first example, shown when GraphiQL opens.
SEED_QUERY = """\
{
  hcpcsCode(code: "G6002") {
    code
    longDescription
    shortDescription
    pricingIndicators { code description feeSchedule }
    multiplePricingIndicator { code description }
    coverage { code description }
    betos { code description family { description } }
    typesOfService { code description }
    anesthesiaBaseUnits
    addedDate
    actionEffectiveDate
    terminationDate
    action { code description }
    release { name }
  }
}
"""

# Same origin only. Styles may be inline: GraphiQL's editors set style attributes.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


@functools.lru_cache(maxsize=8)
def _render(template: str, **values: str) -> str:
    """The template with each {{name}} replaced by its value, HTML-escaped (read once)."""
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", html.escape(value, quote=True))
    return text


def graphiql_page() -> HTMLResponse:
    return HTMLResponse(_render("graphiql.html", query=SEED_QUERY), headers=PAGE_HEADERS)


async def lookup_page(request: Request) -> HTMLResponse:
    graphiql = request.app.state.settings.graphiql
    page = _render("lookup.html", graphiql="" if graphiql else "hidden")
    options = await _release_options(request.app.state.database)
    return HTMLResponse(page.replace("{{releases}}", options), headers=PAGE_HEADERS)


async def _release_options(database: Database) -> str:
    """The release picker's options, newest first, worded as lookup.js words them: the
    picker arrives filled, so the top bar does not change width (and move) when the
    script lists the releases. Empty when the database cannot be read: the script says why."""
    try:
        snapshot = await database.snapshot()
    except (DatabaseUnavailable, OSError):
        return ""
    options = []
    for i, release in enumerate(reversed(snapshot.catalog.releases)):
        text = (
            release.id
            + (" (newest)" if i == 0 else "")
            + (" (sample)" if release.is_sample else "")
        )
        options.append(
            f'<option value="{html.escape(release.id, quote=True)}">{html.escape(text)}</option>'
        )
    return "".join(options)


class GraphQLWithOfflineGraphiQL(GraphQLView):
    """The GraphQL endpoint, answering browsers with our GraphiQL page instead of
    Strawberry's, which loads GraphiQL and React from a CDN."""

    async def render_graphql_ide(self, request: Any) -> Response:
        return graphiql_page()


class Static(StaticFiles):
    """server/static: the vendored files, named by version, may be kept for a year;
    our own are revalidated (ETag) on every use."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        vendored = Path(path).parts[:1] == ("vendor",)
        response.headers["Cache-Control"] = (
            "public, max-age=31536000, immutable" if vendored else "no-cache"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def static_files() -> ASGIApp:
    """server/static; compressed with every other answer (server/compression.py): GraphiQL
    and React, 1.5 MB, are about 630 KB on the wire."""
    return Static(directory=STATIC)
