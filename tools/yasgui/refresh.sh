#!/usr/bin/env bash
# Re-vendor YASGUI into ccbc_graph/server/static/yasgui from the version pinned in
# package.json / package-lock.json (see the README there). Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")"
out=../../ccbc_graph/server/static/yasgui
npm ci --ignore-scripts --no-audit --no-fund
cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css "$out/"
node notices.mjs >"$out/THIRD-PARTY-NOTICES.txt"
rm -rf node_modules
