#!/usr/bin/env bash
# Stops the cluster scripts/postgres/start.sh started in DIR and deletes DIR. Only a directory
# start.sh made (named scenario-lab-pg.*) is touched.
set -uo pipefail
dir=${1:-${SCENARIO_LAB_PG_DIR:-}}
case "$dir" in /tmp/scenario-lab-pg.*) ;; *) echo "stop.sh: not a start.sh cluster: '$dir'" >&2; exit 2 ;; esac
[ -d "$dir" ] || exit 0
bin=$(cat "$dir/bin" 2>/dev/null)
owner=$(stat -c %U "$dir")
as=()
[ "$(id -u)" = 0 ] && [ "$owner" != root ] && as=(runuser -u "$owner" --)
[ -n "$bin" ] && "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
rm -rf "$dir"
