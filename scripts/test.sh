#!/usr/bin/env bash
# `npm test`: build, type-check + compile tests, no import cycles (madge), unit tests (mocha in Node), tests inside a real VS Code
# extension host, the e2e UI scenarios, and one scenario on the packaged .vsix installed into VS Code.
# Every part runs even when an earlier one failed (except that nothing needing dist/ runs after a failed
# build). Ends with a summary whose last line is
# "N passed, N failed" summed over all parts; a failed build or type-check counts as one failure.
# Exit code 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."

LOGS=$(mktemp -d)
PG_DIR=
cleanup() {
  rm -rf "$LOGS"
  [ -n "$PG_DIR" ] && bash scripts/postgres/stop.sh "$PG_DIR"
}
trap cleanup EXIT

# A throwaway PostgreSQL cluster for the shared-engine half of the tests (stopped and deleted on
# exit). An explicit SCENARIO_LAB_TEST_PG_URL is used as given; CI (CI set) must have one.
if [ -z "${SCENARIO_LAB_TEST_PG_URL:-}" ]; then
  if pg_env=$(bash scripts/postgres/start.sh); then
    eval "$pg_env"
    PG_DIR=$SCENARIO_LAB_PG_DIR
    echo "PostgreSQL for the tests: $SCENARIO_LAB_TEST_PG_URL"
  elif [ -n "${CI:-}" ]; then
    echo 'could not start PostgreSQL (scripts/postgres/start.sh), which CI requires' >&2
    exit 1
  else
    echo '*** PostgreSQL could not be started: its tests will be SKIPPED ***' >&2
  fi
fi
total_passed=0
total_failed=0
summary=()

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }
record() { # record <part> <passed> <failed> <note>
  total_passed=$((total_passed + $2))
  total_failed=$((total_failed + $3))
  summary+=("$(printf '%-10s %3d passed, %3d failed  %s' "$1" "$2" "$3" "$4")")
}
banner() { printf '\n===== %s =====\n' "$1"; }

# A build step: no test count, one failure when it fails.
run_step() { # run_step <part> <command...>
  local part=$1 start rc
  shift
  banner "$part: $*"
  start=$(now)
  "$@"
  rc=$?
  if [ $rc -eq 0 ]; then record "$part" 0 0 "ok ($(elapsed "$start"))"; else record "$part" 0 1 "exit code $rc ($(elapsed "$start"))"; fi
  return $rc
}

# A harness that ends its output with "N passed, N failed" (scripts/vscode-host/*.mjs).
run_harness() { # run_harness <part> <command...>
  local part=$1 start rc log counts passed failed note
  shift
  banner "$part: $*"
  start=$(now)
  log=$LOGS/$part.log
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
  passed=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"${counts:-0 passed, 0 failed}")
  failed=$(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"${counts:-0 passed, 0 failed}")
  note="($(elapsed "$start"))"
  if [ $rc -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; note="exit code $rc without a failed test $note"; fi
  record "$part" "$passed" "$failed" "$note"
}

# Unit tests: mocha with .mocharc.json (spec reporter); counts come from its "N passing"/"N failing" lines.
run_unit() {
  local start rc log passed failed note
  banner 'unit: npx mocha'
  if [ -z "$(find out/test/unit -name '*.test.js' 2>/dev/null | head -n 1)" ]; then
    echo 'no compiled unit tests (out/test/unit/**/*.test.js)'
    record unit 0 0 'no test files'
    return
  fi
  start=$(now)
  log=$LOGS/unit.log
  npx mocha 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  passed=$(sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ *[0-9]+ passing' | tail -n 1 | grep -oE '[0-9]+' | head -n 1)
  failed=$(sed -E 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ *[0-9]+ failing' | tail -n 1 | grep -oE '[0-9]+' | head -n 1)
  passed=${passed:-0}
  failed=${failed:-0}
  note="($(elapsed "$start"))"
  if [ $rc -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; note="mocha exit code $rc without a failing test $note"; fi
  record unit "$passed" "$failed" "$note"
}

overall_start=$(now)
built=yes
run_step build node esbuild.mjs || built=no
rm -rf out # compiled tests of deleted files must not run
run_step typecheck npx tsc -p . # emits out/ even with type errors, so the tests below still run
run_step cycles npx madge --circular --extensions ts src webview # no import cycles (exit code 1 lists them)
run_unit
if [ $built = yes ]; then
  run_harness host node scripts/vscode-host/run-tests.mjs
  run_harness e2e node scripts/vscode-host/e2e.mjs
  # The packaged extension, installed into the real VS Code as a user installs it, runs the Runs-view
  # and walkthrough scenarios (about 40 s plus 10 s of packaging).
  # Last, because packaging rebuilds dist/ minified (vscode:prepublish).
  if run_step package npm run package --silent; then
    run_harness installed node scripts/vscode-host/e2e.mjs --vsix scenario-lab.vsix runsTree walkthrough
  else
    record installed 0 1 'skipped: npm run package failed'
  fi
else
  echo 'build failed: skipping the extension-host tests and e2e scenarios'
  record host 0 1 'skipped: build failed'
  record e2e 0 1 'skipped: build failed'
  record installed 0 1 'skipped: build failed'
fi

banner "summary ($(elapsed "$overall_start"))"
printf '%s\n' "${summary[@]}"
[ -d test-output/screenshots ] && echo "screenshots: test-output/screenshots/"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
