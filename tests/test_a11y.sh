#!/bin/sh
# Accessibility of the built-in theme in a real browser: builds the example
# site, serves it on a loopback port with the production
# Content-Security-Policy, and runs axe-core in headless Chromium on the
# news list, posts (one with a gallery), home and 404 pages of every
# language, and a page of wide embeds, at phone and desktop widths; no
# page may be wider than the screen. Prints `N passed, N failed`.
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
# The example site, and a page of things wider than a phone that editors
# paste into pages (a map's <iframe>, a video, a wide table, a long
# address), of Grav's formatting shortcodes and notices, and of a video
# with captions and a poster and a sound file, as image syntax makes them;
# a page under it.
cp -R "$repo/site" "$out/src"
mkdir -p "$out/src/pages/90.embeds"
cat >"$out/src/pages/90.embeds/default.en.md" <<'PAGE'
---
title: Embeds
---
Our branch on the map:

<iframe src="/en/" width="900" height="300" title="Map of the branch"></iframe>

<video width="1200" height="600" controls></video>

| Branch | Address | Phone | Hours | E-mail | Doctor on duty |
| --- | --- | --- | --- | --- | --- |
| Almaty | Basenov street, 2 | +7 727 000 00 00 | 8:00 to 17:00 | almaty@hematology.example | Dr. Example Exampleson |

https://hematology.example/kk/news/a-very-long-address-that-goes-on-and-on-without-any-space-to-break-at/

[notice=warning]Blood tests are taken from 8:00 to 12:00.[/notice]

[notice=tip]Bring your previous results.[/notice]

[notice=note]The branch is closed on holidays.[/notice]

[notice]Appointments by phone.[/notice]

[details summary="How to make an appointment?"]Call the registry.[/details]

[columns count=3]
- Almaty
- Astana
- Karaganda
[/columns]

[center]Centred text with [mark]a highlight[/mark] and [u]an underline[/u].[/center]

! Blood tests are taken on an empty stomach.

!! The registry does not answer on Sundays.

!!! Results are ready in three days.

!!!! Parking is free for patients.

![A tour of the branch](tour.mp4?poster=hall.jpg)

![A lecture for patients](lecture.mp3)
PAGE
# The video and sound files need not play; the captions and the poster
# are real.
printf 'not really a video' >"$out/src/pages/90.embeds/tour.mp4"
printf 'not really a sound' >"$out/src/pages/90.embeds/lecture.mp3"
printf 'WEBVTT\n\n00:00.000 --> 00:02.000\nThe registry of the branch.\n' >"$out/src/pages/90.embeds/tour.vtt"
cp "$repo/site/pages/02.news/03.2023-01-09-practical-conference/2023-01-09-1.jpg" "$out/src/pages/90.embeds/hall.jpg"
# A page under it: the embeds page lists it, and it has its way back up.
mkdir -p "$out/src/pages/90.embeds/01.almaty"
printf -- '---\ntitle: Almaty branch\nmenu: Almaty\n---\nBasenov street, 2.\n' >"$out/src/pages/90.embeds/01.almaty/default.en.md"
if ! "$folio" build "$out/src" -o "$out/site" >"$out/build.log" 2>&1; then
    cat "$out/build.log"
    echo "0 passed, 1 failed"
    exit 1
fi
node "$here/a11y/check.mjs" "$out/site"
