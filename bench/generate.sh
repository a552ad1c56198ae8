#!/usr/bin/env bash
# Generator benchmark: retail generate at 1M and 10M rows beside the reference approach (Faker per row →
# pandas → CSV, bench/reference/generate_data.py) measured in the same run. Prints a markdown table of medians.
#   bench/generate.sh            (REPEAT=3 ROWS="1000000 10000000" REF_ROWS=100000 to change)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_debian python3-fake-factory python3-pandas
repeat="${REPEAT:-3}"; rows_list="${ROWS:-1000000 10000000}"; ref_rows="${REF_ROWS:-100000}"

# Like lib.sh's measure, plus CPU seconds (user + system): on a shared 2-core machine the wall time moves with the
# neighbours' load, the CPU a row costs much less.
measure_cpu() {
  local out; out="$(mktemp)"
  /usr/bin/time -f "%e %M %U %S" -o "$out" "$@" >/dev/null 2>"$work/last.err" \
    || { cat "$work/last.err" >&2; rm -f "$out"; return 1; }
  tail -1 "$out" | awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}'; rm -f "$out"
}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

declare -a lines
ref_secs=(); ref_rss=()
for i in $(seq "$repeat"); do
  read -r s m < <(measure /usr/bin/python3 "$root/bench/reference/generate_data.py" "$ref_rows" "$work/reference.csv")
  ref_secs+=("$s"); ref_rss+=("$m")
done
rs=$(printf '%s\n' "${ref_secs[@]}" | median); rm=$(printf '%s\n' "${ref_rss[@]}" | median)
ref_rate=$(awk -v n="$ref_rows" -v s="$rs" 'BEGIN{printf "%.0f", n/s}')
ref_mb=$(du -m "$work/reference.csv" | cut -f1)
ref_mbs=$(awk -v b="$ref_mb" -v s="$rs" 'BEGIN{printf "%.1f", b/s}')
lines+=("| reference (Faker per row → pandas → CSV) | $ref_rows | $rs | $ref_rate | $ref_mbs | $((rm / 1024)) | | | 1.0× |")

for n in $rows_list; do
  secs=(); rss=(); cpus=()
  for i in $(seq "$repeat"); do
    rm -rf "$work/gen-$n"
    read -r s m c < <(measure_cpu "${retail[@]}" generate --rows "$n" --seed 42 --from 2025-01-01 --to 2025-12-31 --out "$work/gen-$n")
    secs+=("$s"); rss+=("$m"); cpus+=("$c")
  done
  ms=$(printf '%s\n' "${secs[@]}" | median); mm=$(printf '%s\n' "${rss[@]}" | median)
  mc=$(printf '%s\n' "${cpus[@]}" | median)
  us_row=$(awk -v c="$mc" -v n="$n" 'BEGIN{printf "%.2f", c * 1e6 / n}')
  mb=$(du -sm "$work/gen-$n" | cut -f1)
  rate=$(awk -v n="$n" -v s="$ms" 'BEGIN{printf "%.0f", n/s}')
  mbs=$(awk -v b="$mb" -v s="$ms" 'BEGIN{printf "%.0f", b/s}')
  vs_reference=$(awk -v a="$rate" -v b="$ref_rate" 'BEGIN{printf "%.0f", a/b}')
  lines+=("| retail generate | $n | $ms | $rate | $mbs | $((mm / 1024)) | $mc | $us_row | $vs_reference× |")
done

echo "machine: $(machine); median of $repeat runs; wall time includes process start-up;" \
  "load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after"
echo
echo "| generator | rows | median s | rows/s | MB/s | peak RSS MiB | CPU s | CPU µs/row | rows/s vs reference |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${lines[@]}"
