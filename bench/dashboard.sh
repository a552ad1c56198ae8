#!/usr/bin/env bash
# Dashboard benchmark at 1M and 10M lines: p50/p95 server-side time from a filter change to all widgets' data
# over 200 random filter combinations (layered rollups vs the fine rollups alone, same run), first page load to
# interactive in headless Chromium right after the dashboard starts, and the dashboard's RSS.
#   bench/dashboard.sh           (ROWS="1000000 10000000" SAMPLES=200 to change; BENCH_DB=name measures a warehouse
#                                 already loaded in BENCH_WORK's cluster instead of generating and loading ROWS)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_debian chromium postgresql-15-hll
rows_list="${ROWS:-1000000 10000000}"; samples="${SAMPLES:-200}"
dotnet build "$root/bench/Retail.Bench/Retail.Bench.csproj" -c Release -o "$work/bench-bin" --nologo -v quiet -clp:ErrorsOnly >/dev/null
for n in $rows_list; do
  if [[ -n "${BENCH_DB:-}" ]]; then
    # A warehouse loaded beforehand (e.g. the 100M-line one of bench/load.sh STREAM=1 in the same BENCH_WORK).
    export DB_NAME="$BENCH_DB"
  else
    export DB_NAME="bench_dash_$n"
    year_loaded "$n"
  fi
  start_dashboard
  echo "### $n lines — machine: $(machine)"
  echo
  dotnet "$work/bench-bin/Retail.Bench.dll" "http://127.0.0.1:$dash_port" "$samples" "$dash_pid"
  echo
  stop_dashboard
done
