#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for tests and local trials, and prints its URL.
#   eval "$(bash scripts/postgres/start.sh)"   # exports SCENARIO_LAB_TEST_PG_URL and SCENARIO_LAB_PG_DIR
#   ...
#   bash scripts/postgres/stop.sh "$SCENARIO_LAB_PG_DIR"
# The cluster lives in a fresh temporary directory (owned by an unprivileged user when run as root,
# because PostgreSQL refuses to run as root), listens only on 127.0.0.1 on a free port, trusts local
# connections, and is gone after stop.sh. Needs Debian's `postgresql` package (or initdb on PATH).
set -euo pipefail
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$bin/initdb" ] || bin=$(dirname "$(command -v initdb)")
dir=$(mktemp -d /tmp/scenario-lab-pg.XXXXXX)
as=()
if [ "$(id -u)" = 0 ]; then
  user=${PG_RUN_AS:-postgres}
  id "$user" >/dev/null 2>&1 || user=nobody
  chown "$user" "$dir"
  as=(runuser -u "$user" --)
fi
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
"${as[@]}" "$bin/initdb" -D "$dir/data" -U scenario_lab -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }
"$bin/createdb" -h 127.0.0.1 -p "$port" -U scenario_lab scenario_lab
echo "$bin" >"$dir/bin"
echo "export SCENARIO_LAB_TEST_PG_URL=postgresql://scenario_lab@127.0.0.1:$port/scenario_lab"
echo "export SCENARIO_LAB_PG_DIR=$dir"
