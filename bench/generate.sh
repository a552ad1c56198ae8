#!/usr/bin/env bash
# Generator benchmark: retail generate at 1M and 10M rows beside the reference approach (Faker per row →
# pandas → CSV, bench/reference/generate_data.py) measured in the same run. Prints a markdown table of medians.
#   bench/generate.sh            (REPEAT=3 ROWS="1000000 10000000" REF_ROWS=100000 to change)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_debian python3-fake-factory python3-pandas
repeat="${REPEAT:-3}"; rows_list="${ROWS:-1000000 10000000}"; ref_rows="${REF_ROWS:-100000}"

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
lines+=("| reference (Faker per row → pandas → CSV) | $ref_rows | $rs | $ref_rate | $ref_mbs | $((rm / 1024)) | 1.0× |")

for n in $rows_list; do
  secs=(); rss=()
  for i in $(seq "$repeat"); do
    rm -rf "$work/gen-$n"
    read -r s m < <(measure "${retail[@]}" generate --rows "$n" --seed 42 --from 2025-01-01 --to 2025-12-31 --out "$work/gen-$n")
    secs+=("$s"); rss+=("$m")
  done
  ms=$(printf '%s\n' "${secs[@]}" | median); mm=$(printf '%s\n' "${rss[@]}" | median)
  mb=$(du -sm "$work/gen-$n" | cut -f1)
  rate=$(awk -v n="$n" -v s="$ms" 'BEGIN{printf "%.0f", n/s}')
  mbs=$(awk -v b="$mb" -v s="$ms" 'BEGIN{printf "%.0f", b/s}')
  vs_reference=$(awk -v a="$rate" -v b="$ref_rate" 'BEGIN{printf "%.0f", a/b}')
  lines+=("| retail generate | $n | $ms | $rate | $mbs | $((mm / 1024)) | $vs_reference× |")
done

echo "machine: $(machine); median of $repeat runs; wall time includes process start-up"
echo
echo "| generator | rows | median s | rows/s | MB/s | peak RSS MiB | rows/s vs reference |"
echo "|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${lines[@]}"
