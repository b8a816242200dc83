#!/bin/sh
# Accessibility of the built-in theme in a real browser: builds the example
# site, serves it on a loopback port with the production
# Content-Security-Policy, and runs axe-core in headless Chromium on the
# news list, posts (one with a gallery), home and 404 pages of every
# language at phone and desktop widths. Prints `N passed, N failed`.
# Needs chromium, node and tests/a11y/node_modules (scripts/install-deps).
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
folio=${FOLIO_BIN:-$repo/build/folio}
missing=""
[ -x "$folio" ] || missing="$missing folio binary ($folio)"
command -v node >/dev/null 2>&1 || missing="$missing node"
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing="$missing chromium"
[ -d "$here/a11y/node_modules/axe-core" ] || missing="$missing tests/a11y/node_modules (npm ci)"
if [ -n "$missing" ]; then
    echo "test_a11y: missing:$missing; run scripts/install-deps"
    echo "0 passed, 1 failed"
    exit 1
fi
out=$(mktemp -d /tmp/folio-a11y-XXXXXX)
trap 'rm -rf "$out"' EXIT
if ! "$folio" build "$repo/site" -o "$out/site" >"$out/build.log" 2>&1; then
    cat "$out/build.log"
    echo "0 passed, 1 failed"
    exit 1
fi
node "$here/a11y/check.mjs" "$out/site"
