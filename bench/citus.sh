#!/usr/bin/env bash
# Citus overhead benchmark, same data and same run: `retail load` of the daily files into the embedded single node
# vs a local Citus cluster (coordinator + 2 workers on this machine, from ../shared/citus), then the dashboard's
# p50/p95 on both (all widgets: the in-memory cube the dashboard uses, and SQL over the rollups). Prints tables.
# Needs root (the cluster's servers run as the postgres user) and Citus installed (../shared/citus/build-citus.sh).
#   bench/citus.sh               (ROWS="1000000 10000000" REPEAT=3 SAMPLES=200 to change; 10M+ runs once)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_debian chromium
rows_list="${ROWS:-1000000 10000000}"; repeat="${REPEAT:-3}"; samples="${SAMPLES:-200}"
citus_sh="${CITUS_SCRIPTS:-$root/../shared/citus}/citus-cluster.sh"
[[ -f "$citus_sh" ]] || { echo "error: $citus_sh not found (the Citus scripts live in ../shared/citus)" >&2; exit 1; }
export CLUSTER_DIR="$work/citus"
trap 'bash "$citus_sh" stop >/dev/null 2>&1 || true' EXIT
# No tuning here: shard count and connection caching are the product's own choices (DistributedLayout).
cport="$(bash "$citus_sh" start 2>"$work/citus-start.log")"
"${retail[@]}" db start >/dev/null
sport="$(sed -E 's#.*:([0-9]+)/.*#\1#' <<<"$("${retail[@]}" db url)")"
dotnet build "$root/bench/Retail.Bench/Retail.Bench.csproj" -c Release -o "$work/bench-bin" --nologo -v quiet -clp:ErrorsOnly >/dev/null
export PGOPTIONS="-c client_min_messages=warning"

# on single|citus CMD...: a retail command against one side (its own database on the embedded node, DB_NAME on Citus).
on() {
  local side="$1"; shift
  if [[ "$side" == single ]]; then env DB_NAME=bench_citus_single "$@"; else env DB_HOST=127.0.0.1 DB_PORT="$cport" DB_NAME=retail "$@"; fi
}
psql_on() {
  local side="$1"; shift
  local port="$sport" db=bench_citus_single
  [[ "$side" == citus ]] && { port="$cport"; db=retail; }
  (cd / && runuser -u postgres -- psql -qX -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -d "$db" "$@")
}
on single "${retail[@]}" db start >/dev/null   # creates its database

declare -a loads dash
for n in $rows_list; do
  dir="$work/load-$n"
  [[ -f "$dir/manifest.json" ]] || "${retail[@]}" generate --rows "$n" --seed 42 --from 2025-01-01 --to 2025-12-31 --out "$dir" >/dev/null
  reps="$repeat"; (( n >= 10000000 )) && reps=1
  s=(); c=()
  for i in $(seq "$reps"); do
    for side in single citus; do
      psql_on "$side" -c "DROP SCHEMA IF EXISTS marts CASCADE; DROP SCHEMA IF EXISTS ops CASCADE;"
      psql_on "$side" -c "CHECKPOINT"
      # The schema step (and on Citus the distribution) is part of the timed load, as for a user's first load.
      if [[ "$side" == single ]]; then read -r t _ < <(measure env DB_NAME=bench_citus_single "${retail[@]}" load "$dir")
      else read -r t _ < <(measure env DB_HOST=127.0.0.1 DB_PORT="$cport" DB_NAME=retail "${retail[@]}" load "$dir"); fi
      if [[ "$side" == single ]]; then s+=("$t"); else c+=("$t"); fi
    done
  done
  ms=$(printf '%s\n' "${s[@]}" | median); mc=$(printf '%s\n' "${c[@]}" | median)
  echo "load $n: single ${s[*]} s, citus ${c[*]} s" >&2
  rate_single=$(awk -v n="$n" -v x="$ms" 'BEGIN{printf "%.0f", n/x}'); rate_citus=$(awk -v n="$n" -v x="$mc" 'BEGIN{printf "%.0f", n/x}')
  loads+=("| $n | $reps | $ms | $mc | $rate_single | $rate_citus | $(awk -v x="$mc" -v y="$ms" 'BEGIN{printf "%.2f", x/y}')× |")
  for side in single citus; do
    port=$((18500 + RANDOM % 1000))
    # Started directly (env execs dotnet), so $! is the dashboard itself and the kill below stops it.
    if [[ "$side" == single ]]; then
      env DB_NAME=bench_citus_single "${retail[@]}" dashboard --urls "http://127.0.0.1:$port" > "$work/dash-$side.log" 2>&1 &
    else
      env DB_HOST=127.0.0.1 DB_PORT="$cport" DB_NAME=retail "${retail[@]}" dashboard --urls "http://127.0.0.1:$port" \
        > "$work/dash-$side.log" 2>&1 &
    fi
    pid=$!
    for _ in $(seq 90); do grep -q "dashboard serving" "$work/dash-$side.log" && break; sleep 1; done
    dash+=("#### $n lines, $side" "" "$(on "$side" dotnet "$work/bench-bin/Retail.Bench.dll" "http://127.0.0.1:$port" "$samples")" "")
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done

shards="$(psql_on citus -tAc "SELECT shard_count FROM citus_tables WHERE table_name = 'marts.fct_sales'::regclass")"
cached="$(psql_on citus -tAc "SHOW citus.max_cached_conns_per_worker")"
# What the connection cache is worth: the smallest size again on Citus with Citus's default of one cached
# connection per worker (set on the database, which the product then leaves alone), against the run above.
n="${rows_list%% *}"
psql_on citus -c "DROP SCHEMA IF EXISTS marts CASCADE; DROP SCHEMA IF EXISTS ops CASCADE;
  ALTER DATABASE retail SET citus.max_cached_conns_per_worker = 1;"
read -r t1 _ < <(measure env DB_HOST=127.0.0.1 DB_PORT="$cport" DB_NAME=retail "${retail[@]}" load "$work/load-$n")
psql_on citus -c "ALTER DATABASE retail RESET citus.max_cached_conns_per_worker"
echo "load $n: citus with max_cached_conns_per_worker = 1: $t1 s" >&2

citus_version="$(psql_on citus -tAc "SELECT split_part(citus_version(), ' ', 2)")"
echo "machine: $(machine); Citus $citus_version: coordinator + 2 workers on this machine;"
echo "$shards shards per distributed table, citus.max_cached_conns_per_worker = $cached (both chosen by the product)"
echo
echo "| rows | runs | single node, s | Citus, s | single rows/s | Citus rows/s | Citus / single |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${loads[@]}"
echo
echo "Citus with citus.max_cached_conns_per_worker = 1 (Citus's default) instead of the product's choice, $n rows, 1 run: $t1 s"
echo
printf '%s\n' "${dash[@]}"
