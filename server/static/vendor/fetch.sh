#!/usr/bin/env bash
# Re-download the vendored browser files from the npm registry, at exactly these versions,
# and check them against SHA256SUMS. For the record: the server and the tests never
# download anything. Needs npm, tar and sha256sum. Run from anywhere:
#   bash server/static/vendor/fetch.sh            # download and check
#   bash server/static/vendor/fetch.sh --update   # after changing PACKAGES: rewrite SHA256SUMS
set -euo pipefail
cd "$(dirname "$0")"

# package@version, then the files taken from its tarball (paths inside package/).
PACKAGES=(
    "graphiql@3.9.0 graphiql.min.js graphiql.min.css LICENSE"
    "react@18.3.1 umd/react.production.min.js LICENSE"
    "react-dom@18.3.1 umd/react-dom.production.min.js LICENSE"
)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for entry in "${PACKAGES[@]}"; do
    read -r spec files <<<"$entry"
    name=${spec%@*}
    version=${spec##*@}
    dest="$name-$version"
    tarball=$(cd "$work" && npm pack --silent "$spec")
    mkdir -p "$work/$dest"
    tar -xzf "$work/$tarball" -C "$work/$dest"
    rm -rf "$dest"
    mkdir -p "$dest"
    for file in $files; do
        cp "$work/$dest/package/$file" "$dest/$(basename "$file")"
    done
    echo "$dest: $files"
done

if [[ "${1:-}" == "--update" ]]; then
    for entry in "${PACKAGES[@]}"; do
        read -r spec files <<<"$entry"
        for file in $files; do
            sha256sum "${spec%@*}-${spec##*@}/$(basename "$file")"
        done
    done >SHA256SUMS
    echo "wrote SHA256SUMS"
else
    sha256sum --check --quiet SHA256SUMS
    echo "all files match SHA256SUMS"
fi
