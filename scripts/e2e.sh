#!/usr/bin/env bash
# `npm run test:e2e`: the user's day in real VS Code (code-server 4.139.1 =
# Code 1.139.1) in headless Chromium. Installs its tools (cached in
# $SCHEMABRANCH_E2E_CACHE, default $HOME/.cache/schemabranch-e2e), packages the
# .vsix, then runs the steps. Screenshots: test-artifacts/e2e/.
# Last line: "e2e: N passed, N failed, N skipped".
# Time limits, so a hang fails in minutes: the install 25 min (a cold one takes
# about 4), the walk SCHEMABRANCH_E2E_LIMIT_SECONDS (default 900 s; the walk
# enforces it step by step and cleans up), with a hard stop 2 minutes later.
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
export CODE_SERVER_VERSION
CACHE="$(timeout 1500 bash scripts/e2e-setup.sh | tail -n 1)"
npm run --silent package
VSIX="$(node -p "const p=require('./package.json'); p.name + '-' + p.version + '.vsix'")"
LIMIT="${SCHEMABRANCH_E2E_LIMIT_SECONDS:-900}"
exec timeout --kill-after=30 "$((LIMIT + 120))" node --import tsx test/e2e/day.ts --cache "$CACHE" --vsix "$PWD/$VSIX" --code-server-version "$CODE_SERVER_VERSION"
