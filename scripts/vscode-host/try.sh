#!/usr/bin/env bash
# Try Scenario Lab in a real VS Code from your browser: builds the extension, starts code-server with
# it loaded in development mode on a temp copy of ../shared/samples/workspace-small, and prints the
# URL to open. Ctrl-C stops the server and deletes the copy.
#   bash scripts/vscode-host/try.sh [--port 8080]        (or: npm run try)
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/vscode-host/install.sh   # quick no-op once installed; needs root/apt the first time
node esbuild.mjs
exec node scripts/vscode-host/server.mjs "$@"
