// Uses the generated types as a front end would; `tsc --strict --noEmit` must accept it.
import type { CodeLookupQuery, SearchQuery, SearchQueryVariables, BetosCodesQuery } from "./generated/types";

export function title(data: CodeLookupQuery): string {
  const code = data.hcpcsCode;
  if (!code) return "not found";
  const added: string | null = code.addedDate; // Date is a string (RFC 3339 full-date)
  const ended: string | null = code.terminationDate;
  const betos: string = code.betos?.description ?? "";
  return `${code.code} ${code.shortDescription} (${added ?? "?"}${ended ? ` to ${ended}` : ""}) ${betos}`;
}

export function nextPage(data: SearchQuery, text: string): SearchQueryVariables | null {
  const page = data.hcpcsCodes;
  return page.pageInfo.hasNextPage ? { text, after: page.pageInfo.endCursor, first: 20 } : null;
}

export function siblings(data: BetosCodesQuery): string[] {
  return data.hcpcsCode?.betos?.codes.nodes.map((c) => c.code) ?? [];
}
