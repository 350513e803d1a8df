import dataclasses

from graphql import Visitor, parse, print_ast, visit

from hcpcs_graph.schema import build_schema
from tests.conftest import ROOT

schema = build_schema()  # the package builds none at import

SDL = ROOT / "schema" / "schema.graphql"


def test_committed_sdl_is_up_to_date() -> None:
    assert SDL.read_text() == schema.as_str() + "\n", (
        "schema/schema.graphql is out of date: run `python -m hcpcs_graph.schema` and commit it"
    )


class _NoDescriptions(Visitor):
    def enter(self, node, *_):
        if getattr(node, "description", None) is not None:
            return dataclasses.replace(node, description=None)
        return None


def test_public_contract_names() -> None:
    # the signatures alone: described arguments print one to a line
    sdl = print_ast(visit(parse(SDL.read_text()), _NoDescriptions()))
    for line in (
        "hcpcsCode(code: String!, release: String = null, asOf: Date = null): HcpcsCode",
        "hcpcsCodes(filter: HcpcsCodeFilter = null, search: String = null, release: String = null, first: Int = null, after: String = null): HcpcsCodeConnection!",
        "modifier(code: String!, release: String = null, asOf: Date = null): Modifier",
        "releaseDiff(from: String!, to: String!, filter: ReleaseDiffFilter = null, first: Int = null, after: String = null): CodeChangeConnection!",
        "changes: [CodeChange!]!",
        "referencedBy: [HcpcsCode!]!",
        "releases: [Release!]!",
        "node(id: ID!): Node",
        "processingNote(number: Int!, release: String = null): ProcessingNote",
        "history: [HcpcsCode!]!",
        "crossReferences: [CrossReference!]!",
        "totalCount: Int!",
    ):
        assert line in sdl
    for table_field in (
        "pricingIndicators", "pricingIndicator(", "multiplePricingIndicators",
        "multiplePricingIndicator(", "coverageCodes", "coverageCode(", "betosCodes", "betosCode(",
        "typesOfService", "typeOfService(", "actionCodes", "actionCode(", "labCertifications",
        "labCertification(",
    ):  # fmt: skip
        assert f"  {table_field}" in sdl
