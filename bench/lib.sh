# Shared by the bench scripts: build once, a private embedded cluster, timing with peak RSS, medians.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${BENCH_WORK:-/tmp/retail-bench}"
export RETAIL_HOME="$work/home"
unset DB_HOST DB_PORT DB_NAME DB_USER DB_PASSWORD
mkdir -p "$work"
"$root/retail" --help >/dev/null   # builds on first use
# Then the built CLI itself, so a source edit during a long benchmark cannot put a rebuild inside a timed run.
retail=(dotnet "$root/.retail/build/retail.dll")

need_debian() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if (( ${#missing[@]} )); then
    if [[ $(id -u) -eq 0 ]]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "error: install ${missing[*]} (sudo apt-get install ${missing[*]})" >&2; exit 1
    fi
  fi
}
need_debian time

# measure CMD... → prints "seconds peak_rss_kib" (GNU time). MEASURE_OUT=file keeps the command's stdout.
measure() {
  local out; out="$(mktemp)"
  /usr/bin/time -f "%e %M" -o "$out" "$@" >"${MEASURE_OUT:-/dev/null}" 2>"$work/last.err" || { cat "$work/last.err" >&2; rm -f "$out"; return 1; }
  tail -1 "$out"; rm -f "$out"
}

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

machine() { echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(lscpu | sed -n 's/^Model name:\s*//p' | head -1), PostgreSQL $(ls /usr/lib/postgresql | sort -n | tail -1), .NET $(dotnet --version)"; }
