// Apollo Client's normalized cache against hcpcs serve: the same code-table object reached
// through two releases, each answer read back from the cache afterwards.
// node apollo_cache.mjs URL
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";

const client = new ApolloClient({
  link: new HttpLink({ uri: process.argv[2] }),
  cache: new InMemoryCache(),
});
const BETOS = gql`
  query Betos($release: String) {
    hcpcsCode(code: "E0100", release: $release) {
      id
      code
      betos { id code codes { totalCount } }
    }
  }
`;
const fetched = {};
for (const release of ["2020-01", "2025-10"]) {
  const { data } = await client.query({ query: BETOS, variables: { release } });
  fetched[release] = data;
}
const cached = {};
for (const release of ["2020-01", "2025-10"]) {
  cached[release] = client.readQuery({ query: BETOS, variables: { release } });
}
console.log(JSON.stringify({ fetched, cached }));
