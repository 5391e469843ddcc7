#!/usr/bin/env bash
# The main job on a workspace of Scenario Lab runs (default: the bundled sample workspace):
# build, index it into a SQLite file, then print the runs, a comparison of three runs and a metric
# aggregate. Usage: npm run demo [-- <workspace folder> [<metric>]]
set -euo pipefail
cd "$(dirname "$0")/.."
WORKSPACE=${1:-test/fixtures/workspace-small}
METRIC=${2:-cooperation_level}
DB=${DB:-$(mktemp -d)/scenario-lab-index.db}

node esbuild.mjs --production >/dev/null
cli() { node dist/cli.js "$@"; }

echo "== Indexing $WORKSPACE into $DB"
cli index "$WORKSPACE" --db "$DB"
echo
echo "== Runs"
cli runs --db "$DB"
echo
# The three newest runs that Scenario Lab's own database would hold (V1 runs have invented ids).
mapfile -t RUNS < <(cli runs --db "$DB" --json | node -e '
  const runs = JSON.parse(require("fs").readFileSync(0, "utf8")).filter((r) => r.id.startsWith("run-"));
  for (const r of runs.slice(0, 3)) console.log(r.id);')
echo "== Comparison of ${RUNS[*]}"
cli compare "${RUNS[@]}" --db "$DB"
echo
echo "== Aggregate of $METRIC"
cli aggregate "$METRIC" --db "$DB"
echo
echo "The index stays in $DB: try  node dist/cli.js --help  or  sqlite3 $DB .tables"
