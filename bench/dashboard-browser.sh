#!/usr/bin/env bash
# Dashboard in the browser at 1M lines (ROWS to change): click → every widget redrawn, p50/p95 over SAMPLES filter
# changes in headless Chromium (date presets and store drill-downs), after WARMUP changes not counted (default 40: a
# dashboard just started spends its first minute recompiling its hot code, optimised).
#   bench/dashboard-browser.sh      (ROWS=10000000 SAMPLES=100 to change; BENCH_DB=name measures a warehouse already
#                                    loaded in BENCH_WORK's cluster instead of generating and loading ROWS)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_debian chromium
rows_list="${ROWS:-1000000}"; samples="${SAMPLES:-60}"; warmup="${WARMUP:-40}"
dotnet build "$root/bench/Retail.Bench/Retail.Bench.csproj" -c Release -o "$work/bench-bin" --nologo -v quiet -clp:ErrorsOnly >/dev/null
for n in $rows_list; do
  if [[ -n "${BENCH_DB:-}" ]]; then
    export DB_NAME="$BENCH_DB"
  else
    export DB_NAME="bench_dash_$n"
    year_loaded "$n"
  fi
  start_dashboard
  echo "### $n lines — machine: $(machine)"
  echo
  dotnet "$work/bench-bin/Retail.Bench.dll" browser "http://127.0.0.1:$dash_port" "$samples" "$warmup"
  echo
  stop_dashboard
done
