#!/usr/bin/env bash
# Installs the official Twilio helper libraries the interoperability tests compare against:
#   <dest>/venv          a Python venv with twilio==9.13.0
#   <dest>/node          node_modules with twilio@6.2.0
# Idempotent; called by .ci/run and, when missing, by the tests themselves (under flock).
set -euo pipefail
dest=${1:-target/interop}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

PY_VERSION=9.13.0
NODE_VERSION=6.2.0

if ! "$dest/venv/bin/python" -c "import twilio, sys; sys.exit(twilio.__version__ != '$PY_VERSION')" 2>/dev/null; then
  rm -rf "$dest/venv.tmp" "$dest/venv"
  python3 -m venv "$dest/venv.tmp"
  "$dest/venv.tmp/bin/python" -m pip install --quiet --disable-pip-version-check "twilio==$PY_VERSION"
  # venvs can be moved: bin/python finds pyvenv.cfg beside it.
  mv "$dest/venv.tmp" "$dest/venv"
fi

if ! node -e "process.exit(require('$dest/node/node_modules/twilio/package.json').version === '$NODE_VERSION' ? 0 : 1)" 2>/dev/null; then
  rm -rf "$dest/node"
  mkdir -p "$dest/node"
  npm install --silent --no-audit --no-fund --prefix "$dest/node" "twilio@$NODE_VERSION" >/dev/null
fi
echo "interop: python twilio $("$dest/venv/bin/python" -c 'import twilio; print(twilio.__version__)'), node twilio $(node -p "require('$dest/node/node_modules/twilio/package.json').version")"
