#!/usr/bin/env bash
# Loader benchmark, same server and same data in one run: (a) psql \copy of the CSV into one flat table with a
# primary key, (b) the reference loader (psycopg2 copy_expert, bench/reference/load_data.py), (c) retail load of
# the daily staging files with full validation, star schema and rollups. Prints a markdown table of medians.
#   bench/load.sh                (REPEAT=3 ROWS="1000000 10000000" to change)
# STREAM=1 feeds (a) from the daily files through a pipe instead of one concatenated CSV (at 100M lines the
# concatenated copy would need another ~19 GB of disk) and leaves (b) out: it reads only the concatenated file.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_debian python3-psycopg2
repeat="${REPEAT:-3}"; rows_list="${ROWS:-1000000 10000000}"
"${retail[@]}" db start >/dev/null
url="$("${retail[@]}" db url)"
dsn="host=127.0.0.1 port=$(sed -E 's#.*:([0-9]+)/.*#\1#' <<<"$url") dbname=retail user=postgres"
export PGOPTIONS="-c client_min_messages=warning"
psqlx() { psql "$url" -qX -v ON_ERROR_STOP=1 "$@"; }
flat_ddl="DROP TABLE IF EXISTS public.flat_sales, public.reference_sales;
CREATE TABLE public.flat_sales (transaction_id bigint, line_no int, sold_at timestamptz, store_code text, store_name text,
  store_town text, sku text, product_name text, category text, subcategory text, brand text, quantity int,
  unit_price numeric(12,2), discount numeric(12,2), line_total numeric(12,2), payment_method text, channel text,
  customer_id text, customer_name text, return_of bigint, PRIMARY KEY (transaction_id, line_no));"

declare -a lines
for n in $rows_list; do
  dir="$work/load-$n"
  if [[ ! -f "$dir/manifest.json" ]]; then
    "${retail[@]}" generate --rows "$n" --seed 42 --from 2025-01-01 --to 2025-12-31 --out "$dir" >/dev/null
  fi
  csv="$work/load-$n.csv"
  if [[ "${STREAM:-0}" == 1 ]]; then
    csv=""
  elif [[ ! -f "$csv" ]]; then
    { head -1 "$dir/sales_2025-01-02.csv"; for f in "$dir"/sales_*.csv; do tail -n +2 "$f"; done; } > "$csv"
  fi
  a=(); b=(); c=(); crss=()
  for i in $(seq "$repeat"); do
    psqlx -c "$flat_ddl"
    if [[ -n "$csv" ]]; then
      read -r s _ < <(measure psql "$url" -qX -v ON_ERROR_STOP=1 \
        -c "\\copy public.flat_sales FROM '$csv' WITH (FORMAT csv, HEADER true)"); a+=("$s")
    else
      # tail strips each file's header; it only copies bytes, so psql and the server still do the work measured.
      read -r s _ < <(measure psql "$url" -qX -v ON_ERROR_STOP=1 \
        -c "\\copy public.flat_sales FROM PROGRAM 'tail -q -n +2 $dir/sales_*.csv' WITH (FORMAT csv)"); a+=("$s")
    fi
    echo "rows $n run $i: (a) ${a[-1]} s" >&2
    psqlx -c "DROP TABLE IF EXISTS public.flat_sales, public.reference_sales"
    if [[ -n "$csv" ]]; then
      read -r s _ < <(measure /usr/bin/python3 "$root/bench/reference/load_data.py" "$dsn" "$csv"); b+=("$s")
    else
      b+=("0")
    fi
    psqlx -c "DROP TABLE IF EXISTS public.reference_sales; DROP SCHEMA IF EXISTS marts CASCADE; DROP SCHEMA IF EXISTS ops CASCADE;"
    psqlx -c "CHECKPOINT"
    read -r s m < <(MEASURE_OUT="$work/load-$n.timings" measure "${retail[@]}" load "$dir" --timings); c+=("$s"); crss+=("$m")
    echo "rows $n run $i: (c) $s s, peak RSS $((m / 1024)) MiB" >&2
  done
  ma=$(printf '%s\n' "${a[@]}" | median); mb=$(printf '%s\n' "${b[@]}" | median); mc=$(printf '%s\n' "${c[@]}" | median)
  mr=$(printf '%s\n' "${crss[@]}" | median)
  [[ "$mb" == 0 ]] && mb="—"
  rate=$(awk -v n="$n" -v s="$mc" 'BEGIN{printf "%.0f", n/s}')
  vs_copy=$(awk -v x="$mc" -v y="$ma" 'BEGIN{printf "%.2f", x/y}')
  vs_reference=$(awk -v x="$mc" -v y="$mb" 'BEGIN{if (y + 0 > 0) printf "%.2f×", x/y; else printf "—"}')
  lines+=("| $n | $ma | $mb | $mc | $rate | $vs_copy× | $vs_reference | $((mr / 1024)) |")
done

echo "machine: $(machine); median of $repeat runs; client and server share the machine"
echo
echo "| rows | (a) psql \\copy, flat table + PK, s | (b) reference loader, s | (c) retail load, s | (c) rows/s | (c)/(a) |" \
  "(c)/(b) | (c) peak RSS MiB |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${lines[@]}"
for n in $rows_list; do
  echo
  echo "retail load of $n rows, last run, \`--timings\`:"
  echo '```'
  sed -n '/^where the time went/,/ANALYZE/p' "$work/load-$n.timings"
  echo '```'
done
