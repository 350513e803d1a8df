// graphql-http's audit of a GraphQL-over-HTTP server: one JSON line of results.
// node audit.mjs URL
import { auditServer } from "graphql-http";

const results = await auditServer({ url: process.argv[2] });
const plain = results.map((r) => ({ id: r.id, name: r.name, status: r.status, reason: r.reason }));
console.log(JSON.stringify(plain));
