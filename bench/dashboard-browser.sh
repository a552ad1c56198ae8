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
  dir="$work/load-$n"
  [[ -f "$dir/manifest.json" ]] || "${retail[@]}" generate --rows "$n" --seed 42 --from 2025-01-01 --to 2025-12-31 --out "$dir" >/dev/null
  "${retail[@]}" load "$dir" >/dev/null
  port=$((18500 + RANDOM % 1000))
  "${retail[@]}" dashboard --urls "http://127.0.0.1:$port" > "$work/dash.log" 2>&1 &
  pid=$!
  for i in $(seq 60); do grep -q "dashboard serving" "$work/dash.log" && break; sleep 1; done
  echo "### $n lines — machine: $(machine)"
  echo
  dotnet "$work/bench-bin/Retail.Bench.dll" browser "http://127.0.0.1:$port" "$samples"
  echo
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
