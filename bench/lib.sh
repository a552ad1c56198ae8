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
# The launcher's collector level for the bulk commands (the runtime reads it only from the environment); the dashboard
# gets the default, as ./retail dashboard does. A value set by the caller wins for both.
user_latency_level="${DOTNET_GCLatencyLevel:-}"
export DOTNET_GCLatencyLevel="${user_latency_level:-0}"

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
  /usr/bin/time -f "%e %M" -o "$out" "$@" >"${MEASURE_OUT:-/dev/null}" 2>"$work/last.err" \
    || { cat "$work/last.err" >&2; rm -f "$out"; return 1; }
  tail -1 "$out"; rm -f "$out"
}

# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

machine() {
  echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(lscpu | sed -n 's/^Model name:\s*//p' | head -1)," \
    "PostgreSQL $(ls /usr/lib/postgresql | sort -n | tail -1), .NET $(dotnet --version)"
}

# year_loaded N: the N-line year (seed 42) generated once under $work and loaded into DB_NAME (exactly once).
year_loaded() {
  local dir="$work/load-$1"
  [[ -f "$dir/manifest.json" ]] || "${retail[@]}" generate --rows "$1" --seed 42 --from 2025-01-01 --to 2025-12-31 --out "$dir" >/dev/null
  "${retail[@]}" load "$dir" >/dev/null
}

# start_dashboard: serves DB_NAME's dashboard on a free-ish loopback port, logging to $work/dash.log, and waits until
# it serves (DASH_WAIT seconds, default 60). Sets dash_port and dash_pid; stop it with stop_dashboard.
start_dashboard() {
  dash_port=$((18500 + RANDOM % 1000))
  # Tiered compilation on, as ./retail dashboard runs it (see the launcher).
  DOTNET_TieredCompilation="${DOTNET_TieredCompilation:-1}" DOTNET_GCLatencyLevel="${user_latency_level:-1}" \
    "${retail[@]}" dashboard --urls "http://127.0.0.1:$dash_port" \
    > "$work/dash.log" 2>&1 &
  dash_pid=$!
  for _ in $(seq "${DASH_WAIT:-60}"); do grep -q "dashboard serving" "$work/dash.log" && return 0; sleep 1; done
  echo "error: the dashboard did not serve within ${DASH_WAIT:-60} s; see $work/dash.log" >&2
  stop_dashboard; return 1
}

stop_dashboard() { kill "$dash_pid" 2>/dev/null || true; wait "$dash_pid" 2>/dev/null || true; }
