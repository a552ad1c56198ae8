#!/usr/bin/env bash
# Dashboard in the browser at 1M lines (ROWS to change): click → every widget redrawn, p50/p95 over SAMPLES filter
# changes in headless Chromium (date presets and store drill-downs).
#   bench/dashboard-browser.sh      (ROWS=10000000 SAMPLES=100 to change)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_debian chromium
rows_list="${ROWS:-1000000}"; samples="${SAMPLES:-60}"
dotnet build "$root/bench/Retail.Bench/Retail.Bench.csproj" -c Release -o "$work/bench-bin" --nologo -v quiet -clp:ErrorsOnly >/dev/null
for n in $rows_list; do
  export DB_NAME="bench_dash_$n"
  year_loaded "$n"
  start_dashboard
  echo "### $n lines — machine: $(machine)"
  echo
  dotnet "$work/bench-bin/Retail.Bench.dll" browser "http://127.0.0.1:$dash_port" "$samples"
  echo
  stop_dashboard
done
