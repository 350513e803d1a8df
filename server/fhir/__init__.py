"""A FHIR R4 terminology front door on the graph, under /fhir.

Every answer's data comes through the GraphQL executor (schema/executor.py), as the
answer to one of a few fixed documents (documents.py) with variables; nothing here
reads the database. In the order a request meets them: routes.py (HTTP: format, ETag,
admission, time limit), params.py (a GET's query or a POST's Parameters),
operations.py (what operations share, $lookup, $validate-code, CodeSystem read and
search, metadata), expand.py ($expand), translate.py ($translate), resources.py
(GraphQL answers mapped to FHIR resources), systems.py (the code system's URIs) and
outcomes.py (OperationOutcome errors).
"""
