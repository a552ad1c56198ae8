# Shared by ./retail and ./test.sh (sourced, not run): find what a Debian/Ubuntu machine lacks and install it.
# As root it installs with apt-get and says what; otherwise it stops with the one command to run.
# Every check is a file test, so a machine that has everything pays nothing.

DOTNET_INSTALL_URL="https://learn.microsoft.com/dotnet/core/install/linux"

# The .NET SDK: Ubuntu (and Microsoft's own apt repository) carry dotnet-sdk-10.0; Debian does not.
retail_check_dotnet() {
  command -v dotnet >/dev/null 2>&1 && return 0
  local candidate=""
  if command -v apt-cache >/dev/null 2>&1; then
    candidate="$(apt-cache policy dotnet-sdk-10.0 2>/dev/null | sed -n 's/^ *Candidate: *//p' | grep -v '(none)')"
  fi
  if [[ -n "$candidate" ]]; then
    retail_need+=(dotnet-sdk-10.0)
    return 0
  fi
  echo "error: the .NET 10 SDK is not installed and this system's packages do not carry it: install it from" \
    "$DOTNET_INSTALL_URL (Microsoft's packages or the dotnet-install script), then run again" >&2
  return 1
}

# PostgreSQL's server binaries (initdb, pg_ctl; the client tools come with them) for the embedded cluster.
retail_check_postgres_server() {
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || retail_need+=(postgresql)
  # The hll extension: the dashboard's unique-customer sketches.
  ls /usr/share/postgresql/15/extension/hll.control >/dev/null 2>&1 || retail_need+=(postgresql-15-hll)
}

# pg_dump/pg_restore for backups of a configured server (DB_HOST).
retail_check_postgres_client() {
  ls /usr/lib/postgresql/*/bin/pg_dump >/dev/null 2>&1 || command -v pg_dump >/dev/null 2>&1 || retail_need+=(postgresql-client)
}

# The generator and the scheduler use the UK time zone.
retail_check_tzdata() {
  [[ -e /usr/share/zoneinfo/Europe/London ]] || retail_need+=(tzdata)
}

# Installs "${retail_need[@]}" when root, else prints the command to run. Returns non-zero when something is missing.
retail_install_needed() {
  (( ${#retail_need[@]} )) || return 0
  local pkgs="${retail_need[*]}"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: missing $pkgs and this is not a Debian/Ubuntu system: install them with your package manager, then run again" >&2
    return 1
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: missing $pkgs: run 'sudo apt-get update && sudo apt-get install -y --no-install-recommends $pkgs', then run again" >&2
    return 1
  fi
  echo "installing with apt-get: $pkgs" >&2
  local log
  log="$(mktemp)"
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${retail_need[@]}"; } >"$log" 2>&1; then
    tail -5 "$log" >&2
    echo "error: 'apt-get install $pkgs' failed (output above): fix apt (network, sources) and run again" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
  echo "installed: $pkgs" >&2
  retail_need=()
}
