#!/usr/bin/env bash
# The whole test suite against real PostgreSQL and real headless Chromium.
# Installs what a fresh Debian/Ubuntu machine lacks (when root), runs both test projects (unit, then integration),
# stops any PostgreSQL the tests left behind, and ends with one "N passed, N failed" line summing both.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

# shellcheck source=scripts/prerequisites.sh
source "$root/scripts/prerequisites.sh"
retail_need=()
retail_check_dotnet || exit 1
retail_check_postgres_server
retail_check_tzdata
[[ -x /usr/bin/chromium ]] || retail_need+=(chromium)
retail_install_needed || exit 1

# Citus: CI puts ../shared beside the clone. Build and install Citus (idempotent; ~4 min on a fresh machine) so the
# Citus suite runs on a real coordinator + 2 workers. Without ../shared/citus the Citus tests report themselves skipped.
citus_dir="$root/../shared/citus"
citus_failed=0
if [[ -f "$citus_dir/build-citus.sh" ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    bash "$citus_dir/build-citus.sh" || { echo "error: building Citus failed (see above): the Citus tests cannot run" >&2; citus_failed=1; }
  else
    echo "note: not root, so Citus is not built; the Citus tests run only if it is already installed" >&2
  fi
fi

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

cleanup() {
  # Servers of killed test runs keep running; stop them by the pid in their postmaster.pid, never by name.
  for pidfile in /tmp/retail-test-*/pg/data/postmaster.pid /tmp/retail-emb-*/pg/data/postmaster.pid \
      /tmp/retail-pw-*/pg/data/postmaster.pid /tmp/retail-t-*/*/pg/data/postmaster.pid /var/tmp/retail-pg-*/data/postmaster.pid; do
    [[ -f "$pidfile" ]] || continue
    pid="$(head -1 "$pidfile")"
    if [[ -n "$pid" ]] && grep -q postgres "/proc/$pid/cmdline" 2>/dev/null; then
      kill -INT "$pid" 2>/dev/null || true
    fi
  done
  # Citus test clusters (tests/Retail.Tests/Infrastructure/CitusCluster.cs) whose test process is gone: stop and delete.
  for dir in /tmp/retail-citus-*/; do
    [[ -f "$dir/owner.pid" ]] || continue
    owner="$(cat "$dir/owner.pid")"
    if [[ -n "$owner" ]] && kill -0 "$owner" 2>/dev/null; then
      continue
    fi
    if [[ -f "$citus_dir/citus-cluster.sh" ]]; then
      CLUSTER_DIR="${dir%/}" bash "$citus_dir/citus-cluster.sh" destroy >/dev/null 2>&1 || true
    fi
  done
}
trap cleanup EXIT

# The unit tests first (seconds, no database), then the integration tests; each project writes its own TRX file
# (one prefix per run, so two projects finishing in the same second cannot overwrite each other's results).
status=0
dotnet test "$root/tests/Retail.UnitTests" -c Release --logger "trx;LogFilePrefix=unit" --results-directory "$results" "$@" || status=$?
dotnet test "$root/tests/Retail.Tests" -c Release --logger "trx;LogFilePrefix=integration" --results-directory "$results" "$@" || status=$?
cleanup

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  # Counters of each run's summary: <Counters total=".." executed=".." passed=".." failed=".." ... notExecuted="..">
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  s=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
done
if (( passed + failed == 0 )); then
  echo "error: no test results were produced (see the output above)" >&2
  failed=1
fi
if (( citus_failed )); then
  failed=$((failed + 1))
fi
if (( status != 0 && failed == 0 )); then
  failed=1
fi
if (( skipped > 0 )); then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
(( failed == 0 && status == 0 ))
