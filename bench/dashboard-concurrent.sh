#!/usr/bin/env bash
# The dashboard page under concurrent clients: 20 clients fetching GET / (the server-side render) back to back on
# loopback, first idle, then while two `retail load`s of 1M lines each run into the dashboard's own warehouse (two
# other years, so every line is new and 730 batches get published under the dashboard's feet), then idle again.
# Prints p50/p95/p99 per phase, and the p95 ratio against the idle phase of the same run.
#   bench/dashboard-concurrent.sh      (ROWS=1000000 CLIENTS=20 IDLE_SECONDS=20 MAX_SECONDS=300 to change)
BENCH_WORK="${BENCH_WORK:-/tmp/retail-bench-concurrent}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows="${ROWS:-1000000}"; clients="${CLIENTS:-20}"; idle="${IDLE_SECONDS:-20}"; max="${MAX_SECONDS:-300}"
dotnet build "$root/bench/Retail.Bench/Retail.Bench.csproj" -c Release -o "$work/bench-bin" --nologo -v quiet -clp:ErrorsOnly >/dev/null
bench=(dotnet "$work/bench-bin/Retail.Bench.dll")

gen() {
  [[ -f "$2/manifest.json" ]] || "${retail[@]}" generate --rows "$rows" --seed "$3" --from "$1-01-01" --to "$1-12-31" --out "$2" >/dev/null
}
gen 2025 "$work/shown-$rows" 42
gen 2023 "$work/load1-$rows" 7
gen 2024 "$work/load2-$rows" 8

# A fresh warehouse per run, holding the year the dashboard shows.
export DB_NAME="bench_concurrent_$$"
"${retail[@]}" load "$work/shown-$rows" >/dev/null
port=$((19500 + RANDOM % 1000))
"${retail[@]}" dashboard --urls "http://127.0.0.1:$port" > "$work/dash.log" 2>&1 &
dash=$!
cleanup() {
  kill "$dash" 2>/dev/null || true; wait "$dash" 2>/dev/null || true
  "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" "$(DB_NAME=postgres "${retail[@]}" db url)" \
    -qc "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null 2>&1 || true
}
trap cleanup EXIT
for i in $(seq 120); do grep -q "dashboard serving" "$work/dash.log" && break; sleep 1; done
url="http://127.0.0.1:$port/"
curl -sf -o /dev/null "$url"   # the cube's first fill, untimed

rm -f "$work"/stop "$work"/phase-*.txt
"${bench[@]}" page "$url" "$clients" "$idle" "$work/never" "$work/phase-idle.txt"

# Two loads at once, into the warehouse the dashboard serves; the clients run until both have finished.
rm -f "$work"/load?.done
start=$(date +%s.%N)
loader() {
  local rc=0
  "${retail[@]}" load "$work/load$1-$rows" > "$work/load$1.log" 2>&1 || rc=$?
  echo "$rc $(date +%s.%N)" > "$work/load$1.done"
}
loader 1 &
load1=$!
loader 2 &
load2=$!
( while [[ ! -f "$work/load1.done" || ! -f "$work/load2.done" ]]; do sleep 0.2; done; touch "$work/stop" ) &
"${bench[@]}" page "$url" "$clients" "$max" "$work/stop" "$work/phase-loads.txt"
wait "$load1" "$load2"
"${bench[@]}" page "$url" "$clients" "$idle" "$work/never" "$work/phase-after.txt"

echo "### GET / with $clients concurrent clients, 1 dashboard, ${rows} lines shown — machine: $(machine)"
echo
"${bench[@]}" report "idle=$work/phase-idle.txt" "during two ${rows}-line loads=$work/phase-loads.txt" "idle again=$work/phase-after.txt"
echo
for n in 1 2; do
  read -r code end < "$work/load$n.done"
  echo "load $n: exit $code, $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}') s — $(tail -1 "$work/load$n.log")"
done
