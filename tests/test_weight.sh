#!/bin/sh
# Page weight: builds the example site and loads each language's news list
# in headless Chromium at phone width (tests/a11y/weight.mjs); the page
# with all its photos must stay under 500 KB. Prints `N passed, N failed`.
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
folio=${FOLIO_BIN:-$repo/build/folio}
if [ ! -x "$folio" ] || ! command -v node >/dev/null 2>&1 || [ ! -d "$here/a11y/node_modules/playwright-core" ]; then
    echo "test_weight: missing folio, node or tests/a11y/node_modules; run scripts/install-deps"
    echo "0 passed, 1 failed"
    exit 1
fi
out=$(mktemp -d /tmp/folio-weight-XXXXXX)
trap 'rm -rf "$out"' EXIT
if ! "$folio" build "$repo/site" -o "$out/site" >"$out/build.log" 2>&1; then
    cat "$out/build.log"
    echo "0 passed, 1 failed"
    exit 1
fi
node "$here/a11y/weight.mjs" "$out/site"
