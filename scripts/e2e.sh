#!/usr/bin/env bash
# `npm run test:e2e`: the user's day in real VS Code (code-server 4.139.1 =
# Code 1.139.1) in headless Chromium. Installs its tools (cached in
# $HOME/.cache/schemabranch-e2e), packages the .vsix, then runs the steps.
# Screenshots: test-artifacts/e2e/. Last line: "e2e: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
export CODE_SERVER_VERSION
CACHE="$(bash scripts/e2e-setup.sh | tail -n 1)"
npm run --silent package
VSIX="$(node -p "const p=require('./package.json'); p.name + '-' + p.version + '.vsix'")"
exec node --import tsx test/e2e/day.ts --cache "$CACHE" --vsix "$PWD/$VSIX" --code-server-version "$CODE_SERVER_VERSION"
