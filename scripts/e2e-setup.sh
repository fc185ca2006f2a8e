#!/usr/bin/env bash
# Installs what the browser end-to-end test needs (see /work/shared/E2E.md):
# Node 24 + code-server 4.139.1 cached OUTSIDE the repo, in $SCHEMABRANCH_E2E_CACHE
# (default ~/.cache/schemabranch-e2e; reused when the version matches), Chromium and libkrb5-dev from apt. Idempotent: a second run with a
# warm cache takes a second. Prints the cache folder on the last line.
set -euo pipefail

# Started through `npm run test:e2e`, this script inherits the outer npm's
# npm_config_* variables; npm_config_user_agent names the outer Node (20), and
# code-server's postinstall reads the Node version from it and refuses. The
# inner installs must see only their own Node, so drop everything npm set.
while IFS= read -r var; do unset "$var"; done < <(env | sed -nE 's/^(npm_[A-Za-z0-9_]*)=.*/\1/p')

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
CACHE="${SCHEMABRANCH_E2E_CACHE:-$HOME/.cache/schemabranch-e2e}"
TOOLS="$CACHE/node24"
PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
mkdir -p "$CACHE"

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "e2e-setup: apt-get install ${need_apt[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$TOOLS/node_modules/node/bin/node" ]; then
  echo "e2e-setup: installing node@24 into $TOOLS" >&2
  mkdir -p "$TOOLS"
  (cd "$TOOLS" && [ -f package.json ] || echo '{"private":true}' > "$TOOLS/package.json")
  npm install --prefix "$TOOLS" --no-audit --no-fund node@24 >&2
fi
NODE24_BIN="$TOOLS/node_modules/node/bin"

# A finished install leaves a stamp; a half-finished one (killed mid-build) is redone.
if [ ! -f "$PREFIX/.complete" ]; then
  echo "e2e-setup: installing code-server@$CODE_SERVER_VERSION into $PREFIX (about 4 minutes)" >&2
  rm -rf "$PREFIX"
  # code-server's postinstall builds native modules with node-gyp, which would download Node's headers from
  # nodejs.org (unreachable from CI): the node@24 package ships them, so point node-gyp there.
  NODE24_DIR="$(dirname "$(dirname "$(dirname "$(find "$TOOLS/node_modules" -path '*/include/node/node.h' -print -quit)")")")"
  [ -d "$NODE24_DIR/include/node" ] || { echo "e2e-setup: node@24 in $TOOLS has no include/node headers; delete $TOOLS and retry" >&2; exit 1; }
  PATH="$NODE24_BIN:$PATH" npm_config_nodedir="$NODE24_DIR" npm install -g --prefix "$PREFIX" --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >&2
  touch "$PREFIX/.complete"
fi
"$PREFIX/bin/code-server" --version >/dev/null 2>&1 || PATH="$NODE24_BIN:$PATH" "$PREFIX/bin/code-server" --version >&2
echo "$CACHE"
