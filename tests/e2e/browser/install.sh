#!/usr/bin/env bash
# Installs the npm packages of the browser tests (playwright-core, pinned by package-lock.json)
# into tests/e2e/browser/node_modules. Called by scripts/install-deps.sh --tests after Debian's
# chromium is installed. Idempotent: `npm ci` runs only when node_modules is missing or was made
# from another package-lock.json. Node.js and npm come from Debian when the machine has none.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  echo "install-deps: installing nodejs npm (Debian)"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi

stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "install-deps: browser test packages present"
  exit 0
fi
echo "install-deps: npm ci in tests/e2e/browser"
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
