#!/usr/bin/env bash
# What a change costs the loader, in CPU seconds rather than wall time (the machine is shared): `retail load --timings`
# of the same 1M-line year with the reference build (BASE, a git ref; default: main) and with this checkout, REPEAT
# times each, alternating, each into a fresh embedded cluster. Client CPU is the load process's user+sys (GNU time);
# server CPU is the cluster's postmaster with its finished backends (their times are added to it when reaped).
#   bench/load-cpu.sh            (BASE=edeaa61 REPEAT=5 ROWS=1000000 to change)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_debian bc
base="${BASE:-main}"; repeat="${REPEAT:-3}"; rows="${ROWS:-1000000}"
unset RETAIL_HOME
src="$work/cpu-base-src"
rm -rf "$src" && mkdir -p "$src"
git -C "$root" archive "$base" | tar -x -C "$src"
dotnet build "$src/src/Retail.Cli" -c Release -o "$work/cpu-base" -v q -nologo >/dev/null
declare -A cli=([base]="$work/cpu-base/retail.dll" [this]="$root/.retail/build/retail.dll")
data="$work/cpu-$rows"
[[ -f "$data/manifest.json" ]] || dotnet "${cli[this]}" generate --rows "$rows" --seed 42 --from 2025-01-01 --to 2025-12-31 \
  --out "$data" >/dev/null

server_cpu() {  # $1: RETAIL_HOME → CPU seconds of its server so far
  local pid tck total f g c
  pid=$(head -1 "$1/pg/data/postmaster.pid"); tck=$(getconf CLK_TCK)
  read -r -a f < "/proc/$pid/stat"; total=$(( f[13] + f[14] + f[15] + f[16] ))
  for c in $(pgrep -P "$pid"); do read -r -a g < "/proc/$c/stat"; total=$(( total + g[13] + g[14] )); done
  echo "scale=2; $total / $tck" | bc
}

declare -A client server wall
for i in $(seq "$repeat"); do
  for v in base this; do
    home="$work/cpu-home-$v"; rm -rf "$home"; mkdir -p "$home"
    times="$(mktemp)"
    (cd "$home" && RETAIL_HOME="$home" /usr/bin/time -f "%U %S %e" -o "$times" dotnet "${cli[$v]}" load "$data" --timings \
      > "$work/cpu-$v.timings" 2>"$work/last.err") || { cat "$work/last.err" >&2; exit 1; }
    read -r u s e < <(tail -1 "$times"); rm -f "$times"
    client[$v]+="$(echo "$u + $s" | bc) "; wall[$v]+="$e "; server[$v]+="$(server_cpu "$home") "
    (cd "$home" && RETAIL_HOME="$home" dotnet "${cli[$v]}" db stop >/dev/null)
    echo "run $i $v: client $(echo "$u + $s" | bc) s CPU, wall $e s" >&2
  done
done

med() { tr ' ' '\n' <<<"$1" | grep . | median; }
echo "machine: $(machine); $rows lines; median of $repeat runs each; base = $base ($(git -C "$root" rev-parse --short "$base"))"
echo
echo "| build | client CPU s | server CPU s | client + server CPU s | wall s |"
echo "|---|---:|---:|---:|---:|"
for v in base this; do
  c=$(med "${client[$v]}"); s=$(med "${server[$v]}")
  echo "| $v | $c | $s | $(echo "$c + $s" | bc) | $(med "${wall[$v]}") |"
done
cb=$(med "${client[base]}"); sb=$(med "${server[base]}"); ct=$(med "${client[this]}"); st=$(med "${server[this]}")
awk -v cb="$cb" -v sb="$sb" -v ct="$ct" -v st="$st" \
  'BEGIN { printf "| this ÷ base | %.2f× | %.2f× | %.2f× | |\n", ct / cb, st / sb, (ct + st) / (cb + sb) }'
for v in base this; do
  echo; echo "$v, last run, \`--timings\`:"; echo '```'; sed -n '/^where the time went/,/ANALYZE/p' "$work/cpu-$v.timings"; echo '```'
done
