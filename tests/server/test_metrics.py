"""Metrics on their own: bounded operation names and the exposition."""

from __future__ import annotations

from hcpcs_graph.server.metrics import MAX_OPERATIONS, Metrics


def test_metrics_bound_operation_names() -> None:
    metrics = Metrics()
    assert metrics.operation(None) == "anonymous"
    assert metrics.operation("bad name!") == "invalid"
    for i in range(MAX_OPERATIONS):
        assert metrics.operation(f"Op{i}") == f"Op{i}"
    assert metrics.operation("OneMore") == "other"
    metrics = Metrics()
    metrics.observe("Seed", 200, 0.01, 16, [])
    metrics.observe("Seed", 200, 0.02, 20_001, ["QUERY_TOO_COSTLY"])
    metrics.observe(None, 413, 0.001, None, [])
    text = metrics.exposition().decode()
    assert 'hcpcs_requests_total{operation="Seed",outcome="ok"} 1.0' in text
    assert 'hcpcs_requests_total{operation="Seed",outcome="error"} 1.0' in text
    assert 'hcpcs_requests_total{operation="anonymous",outcome="http_4xx"} 1.0' in text
    assert 'hcpcs_graphql_errors_total{code="QUERY_TOO_COSTLY"} 1.0' in text
    assert "hcpcs_query_cost_bucket" in text
