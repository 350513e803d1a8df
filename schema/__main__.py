"""`python -m hcpcs_graph.schema` rewrites schema/schema.graphql, the committed SDL of the public contract."""

from pathlib import Path

from hcpcs_graph.schema import build_schema

SDL = Path(__file__).with_name("schema.graphql")

SDL.write_text(build_schema().as_str() + "\n")
print(f"wrote {SDL}")
