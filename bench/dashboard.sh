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
    dir="$work/load-$n"
    [[ -f "$dir/manifest.json" ]] || "${retail[@]}" generate --rows "$n" --seed 42 --from 2025-01-01 --to 2025-12-31 --out "$dir" >/dev/null
    "${retail[@]}" load "$dir" >/dev/null
  fi
  port=$((18500 + RANDOM % 1000))
  "${retail[@]}" dashboard --urls "http://127.0.0.1:$port" > "$work/dash.log" 2>&1 &
  pid=$!
  for i in $(seq 60); do grep -q "dashboard serving" "$work/dash.log" && break; sleep 1; done
  echo "### $n lines — machine: $(machine)"
  echo
  dotnet "$work/bench-bin/Retail.Bench.dll" "http://127.0.0.1:$port" "$samples" "$pid"
  echo
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
