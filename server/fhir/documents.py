"""The GraphQL documents the FHIR operations run: fixed texts, values as variables, so
each is compiled once per worker (schema/compiled.py) and every limit of /graphql holds.
"""

from __future__ import annotations

# Every field of a record that a FHIR property reports (resources.PROPERTIES)
RECORD = """
code shortDescription longDescription
pricingIndicators { code description }
multiplePricingIndicator { code description }
cimReferences mcmReferences statute
labCertifications { code description }
crossReferences { code }
coverage { code description }
ascPaymentGroup { code description } ascEffectiveDate
mogPaymentGroup { code description }
mogPaymentPolicyIndicator { code description } mogEffectiveDate
processingNote { number text }
betos { code description }
typesOfService { code description }
anesthesiaBaseUnits addedDate actionEffectiveDate terminationDate
action { code description }
status statusDate
release { name effectiveDate }
"""

RELEASES = """query FhirReleases {
  releases { name effectiveDate loadedAt codeCount modifierCount isSample }
}"""

# A code (five characters) or a modifier (two), as of a date
LOOKUP = f"""query FhirLookup($code: String!, $release: String, $asOf: Date) {{
  hcpcsCode(code: $code, release: $release, asOf: $asOf) {{ {RECORD} }}
}}"""
LOOKUP_MODIFIER = f"""query FhirLookupModifier($code: String!, $release: String, $asOf: Date) {{
  modifier(code: $code, release: $release, asOf: $asOf) {{ {RECORD} }}
}}"""

_BRIEF = "code shortDescription longDescription addedDate terminationDate"
_PAGE_ARGS = "search: $search, filter: $filter, release: $release, first: $first, after: $after"
_VARIABLES = (
    "$search: String, $filter: HcpcsCodeFilter, $release: String!, $first: Int!, $after: String"
)

# A page of the implicit value set: codes, then modifiers; `nodes` with the brief
# fields, or every property's (the lists cost more: the cost limit admits fewer)
EXPAND_CODES = f"""query FhirExpandCodes({_VARIABLES}) {{
  hcpcsCodes({_PAGE_ARGS}) {{ totalCount pageInfo {{ endCursor }} nodes {{ {_BRIEF} }} }}
}}"""
EXPAND_MODIFIERS = f"""query FhirExpandModifiers({_VARIABLES}) {{
  modifiers({_PAGE_ARGS}) {{ totalCount pageInfo {{ endCursor }} nodes {{ {_BRIEF} }} }}
}}"""
EXPAND_CODES_PROPERTIES = f"""query FhirExpandCodesProperties({_VARIABLES}) {{
  hcpcsCodes({_PAGE_ARGS}) {{ totalCount pageInfo {{ endCursor }} nodes {{ {RECORD} }} }}
}}"""
EXPAND_MODIFIERS_PROPERTIES = f"""query FhirExpandModifiersProperties({_VARIABLES}) {{
  modifiers({_PAGE_ARGS}) {{ totalCount pageInfo {{ endCursor }} nodes {{ {RECORD} }} }}
}}"""
# Skipping to an offset: the cursor after `first` items, nothing else read
SKIP_CODES = f"""query FhirSkipCodes({_VARIABLES}) {{
  hcpcsCodes({_PAGE_ARGS}) {{ totalCount pageInfo {{ endCursor hasNextPage }} }}
}}"""
SKIP_MODIFIERS = f"""query FhirSkipModifiers({_VARIABLES}) {{
  modifiers({_PAGE_ARGS}) {{ totalCount pageInfo {{ endCursor hasNextPage }} }}
}}"""

# $translate: a code's cross references (or the codes pointing to it), and NDCs
CROSS_REFERENCES = """query FhirCrossReferences($code: String!, $release: String) {
  hcpcsCode(code: $code, release: $release) {
    code shortDescription
    crossReferences { code target { code shortDescription } }
    referencedBy { code shortDescription }
  }
}"""
CODE_NDCS = """query FhirCodeNdcs($code: String!, $release: String) {
  hcpcsCode(code: $code, release: $release) { code ndcs { ndc ndc11 drugName } }
}"""
NDC_CODES = """query FhirNdcCodes($ndc: String!) {
  ndc(code: $ndc) { ndc ndc11 drugName hcpcsCode shortDescription }
}"""
