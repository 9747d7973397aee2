# shellcheck shell=bash
# scripts/lib/services.sh: sourced by scripts/run and scripts/test.
#
# Finds PostgreSQL and Redis, or starts them, and exports DATABASE_URL and
# REDIS_URL. It checks these in order, separately for each service:
#   1. DATABASE_URL / REDIS_URL already set (in the environment or in $REPO/.env)
#      are used as they are;
#   2. a server already listening on 127.0.0.1:5432 / 127.0.0.1:6379 (PostgreSQL
#      must let the superuser "postgres" in without a password, Redis must answer
#      PING without AUTH);
#   3. private instances under $REPO/.data/ on 127.0.0.1:54329 / 127.0.0.1:63799.
#      If they are not installed, it installs them with apt when running as root.
#      It stops them again when the sourcing script exits, but never stops
#      anything it did not start.
#
# Settings: IGNY8_DB_NAME (igny8), IGNY8_PRIVATE_PG_PORT (54329),
# IGNY8_PRIVATE_REDIS_PORT (63799), IGNY8_SERVICE_TIMEOUT (60 seconds),
# IGNY8_PG_FAST=1 (private PostgreSQL without fsync, for tests),
# IGNY8_IGNORE_DOTENV=1 (do not read $REPO/.env), IGNY8_PG_BINDIR.
#
# A sourcing script that sets its own EXIT/INT/TERM trap must call
# igny8_services_cleanup from it.

if [[ -z ${REPO:-} ]]; then
  REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fi
IGNY8_DATA_DIR="$REPO/.data"
IGNY8_SERVICE_TIMEOUT=${IGNY8_SERVICE_TIMEOUT:-60}
IGNY8_STARTED_PG=0
IGNY8_STARTED_REDIS=0
_IGNY8_CLEANED=0
_IGNY8_PG_BINDIR=""
_IGNY8_REDIS_PID=""

_IGNY8_PG_ROOT="$IGNY8_DATA_DIR/pg"
_IGNY8_PGDATA="$_IGNY8_PG_ROOT/data"
_IGNY8_REDIS_ROOT="$IGNY8_DATA_DIR/redis"
_IGNY8_REDIS_PIDFILE="$_IGNY8_REDIS_ROOT/redis.pid"

igny8_log() { printf '[services] %s\n' "$*" >&2; }
igny8_die() {
  printf '[services] error: %s\n' "$*" >&2
  exit 1
}

_igny8_is_root() { [[ $EUID -eq 0 ]]; }

# Hide the password in a URL before printing it.
igny8_redact_url() {
  local re='^([^:/]+://[^:/@]*):[^@/]*@(.*)$'
  if [[ $1 =~ $re ]]; then
    printf '%s:***@%s' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
  else
    printf '%s' "$1"
  fi
}

# Replace the database name in a postgres:// URL (the query string is kept).
igny8_pg_url_with_db() {
  local url=$1 db=$2 re='^([^:/]+://[^/?]*)(/[^?]*)?(\?.*)?$'
  if [[ $url =~ $re ]]; then
    printf '%s/%s%s' "${BASH_REMATCH[1]}" "$db" "${BASH_REMATCH[3]}"
  else
    igny8_die "cannot parse database URL $(igny8_redact_url "$url")"
  fi
}

# Print "host port" from a URL (default port $2). Print nothing if it has no host.
_igny8_url_host_port() {
  local re='^[^:/]+://([^@/?]*@)?(\[[^]/?]*\]|[^:/?]*)(:([0-9]+))?'
  if [[ $1 =~ $re && -n ${BASH_REMATCH[2]} ]]; then
    local host=${BASH_REMATCH[2]#[}
    printf '%s %s' "${host%]}" "${BASH_REMATCH[4]:-$2}"
  fi
}

# --- .env ----------------------------------------------------------------------
# The app reads .env itself, but the variables we export here would override it.
# So a value set in .env has to be picked up here first.

# Print the value of variable $1 from $REPO/.env. This handles simple dotenv
# syntax: the last assignment wins, and quotes and trailing comments are removed.
igny8_dotenv_get() {
  local var=$1 file="$REPO/.env" line val=""
  if [[ ${IGNY8_IGNORE_DOTENV:-} == 1 || ! -f $file ]]; then return 0; fi
  local assign="^[[:space:]]*(export[[:space:]]+)?${var}[[:space:]]*=[[:space:]]*(.*)$"
  local dq='^"(.*)"[[:space:]]*(#.*)?$' sq="^'(.*)'[[:space:]]*(#.*)?$"
  while IFS= read -r line || [[ -n $line ]]; do
    if [[ $line =~ $assign ]]; then val=${BASH_REMATCH[2]%$'\r'}; fi
  done <"$file"
  if [[ $val =~ $dq || $val =~ $sq ]]; then
    val=${BASH_REMATCH[1]}
  else
    val=${val%%[[:space:]]#*}
    val=${val%"${val##*[![:space:]]}"}
  fi
  printf '%s' "$val"
}

# For each variable name given: if it is unset or empty, export its .env value.
igny8_dotenv_default() {
  local var val
  for var in "$@"; do
    if [[ -n ${!var:-} ]]; then continue; fi
    val=$(igny8_dotenv_get "$var")
    if [[ -n $val ]]; then export "$var=$val"; fi
  done
}

# --- installing ----------------------------------------------------------------

# _igny8_apt_install "what is missing" pkg...
# Installs the packages with apt when root; otherwise says what to install and exits.
_igny8_apt_install() {
  local what=$1
  shift
  if ! _igny8_is_root || ! command -v apt-get >/dev/null 2>&1; then
    igny8_die "$what not found. Install it (Debian/Ubuntu: sudo apt-get install -y $*), or set DATABASE_URL/REDIS_URL to servers you already have."
  fi
  igny8_log "$what not found; installing with apt-get: $*"
  export DEBIAN_FRONTEND=noninteractive
  # Try without refreshing the package lists first (this works offline when the
  # lists are current), then with a refresh.
  if ! apt-get install -y "$@" >&2; then
    if ! { apt-get update >&2 && apt-get install -y "$@" >&2; }; then
      igny8_die "apt-get install $* failed (no network?). Install them by hand."
    fi
  fi
}

# --- probes --------------------------------------------------------------------

_igny8_tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Sends a Redis PING with bash alone, for when redis-cli is missing. Prints the reply.
_igny8_redis_raw_ping() {
  local reply=""
  (
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf 'PING\r\n' >&3
    IFS= read -r -t 3 reply <&3 || exit 1
    printf '%s' "${reply%$'\r'}"
  ) 2>/dev/null
}

# Succeeds if the Redis server at URL $1 answers PING with PONG. Prints the reply.
_igny8_redis_ping() {
  local out hp
  if command -v redis-cli >/dev/null 2>&1; then
    out=$(timeout 5 redis-cli -u "$1" ping 2>&1) || true
  else
    hp=$(_igny8_url_host_port "$1" 6379)
    if [[ -z $hp ]]; then return 0; fi # not a host URL: cannot probe it, so assume it is up
    # shellcheck disable=SC2086 # hp is "host port"
    out=$(_igny8_redis_raw_ping $hp) || true
  fi
  printf '%s' "$out"
  [[ $out == *PONG* ]]
}

# Print the path of a PostgreSQL client tool. Looks on PATH first, then in the
# server's bin directory.
_igny8_pgtool() {
  local d
  if command -v "$1" >/dev/null 2>&1; then
    command -v "$1"
    return 0
  fi
  for d in "$_IGNY8_PG_BINDIR" /usr/lib/postgresql/*/bin; do
    if [[ -n $d && -x $d/$1 ]]; then
      printf '%s\n' "$d/$1"
      return 0
    fi
  done
  return 1
}

# Succeeds if the PostgreSQL server at URL $1 accepts connections. This does not
# check authentication.
_igny8_pg_ping() {
  local isready hp
  if isready=$(_igny8_pgtool pg_isready); then
    "$isready" -q -t 3 -d "$1"
  else
    hp=$(_igny8_url_host_port "$1" 5432)
    if [[ -z $hp ]]; then return 0; fi # e.g. a unix-socket URL: cannot probe it
    # shellcheck disable=SC2086 # hp is "host port"
    _igny8_tcp_open $hp
  fi
}

_igny8_psql() {
  local url=$1 psql
  shift
  psql=$(_igny8_pgtool psql) || igny8_die "psql not found (install postgresql-client)"
  PGCONNECT_TIMEOUT=5 "$psql" -X -q -v ON_ERROR_STOP=1 -d "$url" "$@"
}

# Succeeds if we can log in to admin URL $1 as a superuser.
_igny8_pg_is_superuser() {
  local su
  su=$(_igny8_psql "$1" -Atc 'select rolsuper from pg_roles where rolname = current_user' 2>/dev/null) || return 1
  [[ $su == t ]]
}

# Create database $2 through admin URL $1 if it does not exist yet.
_igny8_pg_create_db() {
  local admin=$1 db=$2 exists out
  exists=$(_igny8_psql "$admin" -Atc "select 1 from pg_database where datname = '$db'") ||
    igny8_die "cannot query $(igny8_redact_url "$admin")"
  if [[ $exists == 1 ]]; then return 0; fi
  if ! out=$(_igny8_psql "$admin" -c "CREATE DATABASE \"$db\"" 2>&1); then
    # Another script may have created it at the same moment.
    [[ $out == *"already exists"* ]] || igny8_die "could not create database $db: $out"
  fi
  igny8_log "created database $db"
}

# --- waiting -------------------------------------------------------------------

# igny8_wait_postgres URL [TIMEOUT]: wait until the server accepts connections.
igny8_wait_postgres() {
  local url=$1 timeout=${2:-$IGNY8_SERVICE_TIMEOUT} start=$SECONDS
  until _igny8_pg_ping "$url"; do
    if ((SECONDS - start >= timeout)); then
      igny8_die "PostgreSQL at $(igny8_redact_url "$url") is not accepting connections after ${timeout}s${3:+ (see $3)}"
    fi
    sleep 0.5
  done
}

# igny8_wait_redis URL [TIMEOUT]: wait until the server answers PING.
igny8_wait_redis() {
  local url=$1 timeout=${2:-$IGNY8_SERVICE_TIMEOUT} start=$SECONDS out
  until out=$(_igny8_redis_ping "$url"); do
    if ((SECONDS - start >= timeout)); then
      igny8_die "Redis at $(igny8_redact_url "$url") does not answer PING after ${timeout}s (last reply: ${out:-none})${3:+ (see $3)}"
    fi
    sleep 0.5
  done
}

# --- private PostgreSQL --------------------------------------------------------

# Choose the server binaries. Prefer the version of an existing .data cluster,
# otherwise the newest one installed.
_igny8_find_pg_bindir() {
  local d want="" best=""
  if [[ -n ${IGNY8_PG_BINDIR:-} ]]; then
    printf '%s' "$IGNY8_PG_BINDIR"
    return 0
  fi
  if [[ -f $_IGNY8_PGDATA/PG_VERSION ]]; then want=$(<"$_IGNY8_PGDATA/PG_VERSION"); fi
  if [[ -n $want && -x /usr/lib/postgresql/$want/bin/pg_ctl ]]; then
    printf '%s' "/usr/lib/postgresql/$want/bin"
    return 0
  fi
  for d in /usr/lib/postgresql/*/bin; do
    if [[ -x $d/initdb && -x $d/pg_ctl ]]; then
      best=$(printf '%s\n%s\n' "$best" "$d" | sed '/^$/d' | sort -V | tail -n 1)
    fi
  done
  if [[ -z $best ]] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    best=$(dirname "$(command -v initdb)")
  fi
  printf '%s' "$best"
}

# Run a command as the owner of the private cluster. initdb and postgres will
# not run as root, so root runs them as the "postgres" OS user.
_igny8_as_pg() {
  if _igny8_is_root; then
    if command -v runuser >/dev/null 2>&1; then
      (cd / && runuser -u postgres -- "$@")
    else
      (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
    fi
  else
    "$@"
  fi
}

# As root: make every directory from $1 up to / traversable for the postgres user.
_igny8_make_traversable() {
  local d=$1
  while [[ -n $d && $d != / ]]; do
    if ! _igny8_as_pg test -x "$d" 2>/dev/null; then
      igny8_log "chmod o+x $d (the postgres user must reach $_IGNY8_PGDATA)"
      chmod o+x "$d"
    fi
    d=$(dirname "$d")
  done
}

_igny8_start_private_pg() {
  local db=$1 port=${IGNY8_PRIVATE_PG_PORT:-54329} sock log opts
  local admin="postgres://postgres@127.0.0.1:$port/postgres"
  log="$_IGNY8_PG_ROOT/postgres.log"

  _IGNY8_PG_BINDIR=$(_igny8_find_pg_bindir)
  if [[ -z $_IGNY8_PG_BINDIR ]]; then
    _igny8_apt_install "PostgreSQL server (initdb, pg_ctl)" postgresql
    _IGNY8_PG_BINDIR=$(_igny8_find_pg_bindir)
    [[ -n $_IGNY8_PG_BINDIR ]] || igny8_die "PostgreSQL installed but initdb/pg_ctl still not found"
  fi
  if [[ -f $_IGNY8_PGDATA/PG_VERSION && ! -x $_IGNY8_PG_BINDIR/pg_ctl ]]; then
    igny8_die "$_IGNY8_PGDATA was made by PostgreSQL $(<"$_IGNY8_PGDATA/PG_VERSION"), which is not installed; install it or delete $_IGNY8_PG_ROOT"
  fi

  # The unix socket goes inside .data, because the system socket directory may be
  # missing or in use. Socket paths are limited to about 107 bytes.
  sock="$_IGNY8_PG_ROOT/run"
  if ((${#sock} + 16 > 100)); then sock="${TMPDIR:-/tmp}/igny8-pgsock-$port"; fi
  mkdir -p "$_IGNY8_PG_ROOT" "$sock"
  if _igny8_is_root; then
    id postgres >/dev/null 2>&1 || igny8_die "no 'postgres' OS user to run the private PostgreSQL as (install the postgresql package)"
    chown -R postgres:postgres "$_IGNY8_PG_ROOT" "$sock"
    _igny8_make_traversable "$IGNY8_DATA_DIR"
  fi

  # If this .data cluster is already running (another scripts/run or scripts/test),
  # use it. It is not ours, so we leave it running.
  if _igny8_as_pg "$_IGNY8_PG_BINDIR/pg_ctl" -D "$_IGNY8_PGDATA" status >/dev/null 2>&1; then
    if _igny8_pg_ping "$admin"; then
      igny8_log "private PostgreSQL in $_IGNY8_PGDATA is already running; using it (it will be left running)"
    else
      igny8_die "a private PostgreSQL from $_IGNY8_PGDATA is running but does not answer on 127.0.0.1:$port here (was it started in another network namespace?). Stop it with: $(_igny8_is_root && printf 'runuser -u postgres -- ')$_IGNY8_PG_BINDIR/pg_ctl -D $_IGNY8_PGDATA stop"
    fi
  else
    if _igny8_tcp_open 127.0.0.1 "$port"; then
      igny8_die "port 127.0.0.1:$port is already taken by another program; set IGNY8_PRIVATE_PG_PORT to a free port"
    fi
    if [[ ! -f $_IGNY8_PGDATA/PG_VERSION ]]; then
      # This is a first run, or an earlier initdb was interrupted: start from scratch.
      rm -rf "$_IGNY8_PGDATA"
      local locale=C
      if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then locale=C.UTF-8; fi
      igny8_log "initialising a private PostgreSQL cluster in $_IGNY8_PGDATA"
      _igny8_as_pg "$_IGNY8_PG_BINDIR/initdb" -D "$_IGNY8_PGDATA" -U postgres --auth=trust \
        -E UTF8 --locale="$locale" >"$IGNY8_DATA_DIR/pg-initdb.log" 2>&1 ||
        igny8_die "initdb failed; see $IGNY8_DATA_DIR/pg-initdb.log"
    fi
    opts="-c listen_addresses=127.0.0.1 -p $port -k '$sock'"
    if [[ ${IGNY8_PG_FAST:-} == 1 ]]; then
      # Throwaway test data: skip the disk flushes that make CREATE DATABASE slow.
      opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    _igny8_install_trap
    IGNY8_STARTED_PG=1 # set before starting, so a start that fails halfway is still cleaned up
    igny8_log "starting private PostgreSQL on 127.0.0.1:$port"
    _igny8_as_pg "$_IGNY8_PG_BINDIR/pg_ctl" -D "$_IGNY8_PGDATA" -l "$log" -w -t "$IGNY8_SERVICE_TIMEOUT" \
      -o "$opts" start >/dev/null ||
      igny8_die "private PostgreSQL did not start; see $log"
  fi
  igny8_wait_postgres "$admin" "$IGNY8_SERVICE_TIMEOUT" "$log"
  _igny8_pg_create_db "$admin" "$db"
  DATABASE_URL=$(igny8_pg_url_with_db "$admin" "$db")
  _IGNY8_PG_DESC="private instance on 127.0.0.1:$port (.data/pg)"
}

_igny8_stop_private_pg() {
  igny8_log "stopping private PostgreSQL"
  _igny8_as_pg "$_IGNY8_PG_BINDIR/pg_ctl" -D "$_IGNY8_PGDATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
    _igny8_as_pg "$_IGNY8_PG_BINDIR/pg_ctl" -D "$_IGNY8_PGDATA" -m immediate -w -t 10 stop >/dev/null 2>&1 ||
    true
}

# --- private Redis -------------------------------------------------------------

# Print the pid of the private redis-server if it is running.
_igny8_private_redis_pid() {
  local pid
  [[ -f $_IGNY8_REDIS_PIDFILE ]] || return 1
  pid=$(<"$_IGNY8_REDIS_PIDFILE")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == redis-server* ]] || return 1
  printf '%s' "$pid"
}

_igny8_start_private_redis() {
  local port=${IGNY8_PRIVATE_REDIS_PORT:-63799} pid
  local url="redis://127.0.0.1:$port" log="$_IGNY8_REDIS_ROOT/redis.log"
  if ! command -v redis-server >/dev/null 2>&1; then
    _igny8_apt_install "Redis server (redis-server)" redis-server
  fi
  mkdir -p "$_IGNY8_REDIS_ROOT"

  if pid=$(_igny8_private_redis_pid); then
    if _igny8_redis_ping "$url" >/dev/null; then
      igny8_log "private Redis (pid $pid) is already running; using it (it will be left running)"
    else
      igny8_die "a private Redis from .data (pid $pid) is running but does not answer on 127.0.0.1:$port here (was it started in another network namespace?). Stop it with: kill $pid"
    fi
  else
    rm -f "$_IGNY8_REDIS_PIDFILE"
    if _igny8_tcp_open 127.0.0.1 "$port"; then
      igny8_die "port 127.0.0.1:$port is already taken by another program; set IGNY8_PRIVATE_REDIS_PORT to a free port"
    fi
    _igny8_install_trap
    IGNY8_STARTED_REDIS=1
    igny8_log "starting private Redis on 127.0.0.1:$port"
    # No persistence: this Redis only holds queues and pub/sub for a dev/test run.
    redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
      --daemonize yes --pidfile "$_IGNY8_REDIS_PIDFILE" --logfile "$log" \
      --dir "$_IGNY8_REDIS_ROOT" >/dev/null ||
      igny8_die "private Redis did not start; see $log"
  fi
  igny8_wait_redis "$url" "$IGNY8_SERVICE_TIMEOUT" "$log"
  if [[ $IGNY8_STARTED_REDIS == 1 ]]; then _IGNY8_REDIS_PID=$(_igny8_private_redis_pid) || true; fi
  REDIS_URL=$url
  _IGNY8_REDIS_DESC="private instance on 127.0.0.1:$port (.data/redis)"
}

_igny8_stop_private_redis() {
  local pid=${_IGNY8_REDIS_PID:-} i
  if [[ -z $pid ]]; then pid=$(_igny8_private_redis_pid) || return 0; fi
  igny8_log "stopping private Redis"
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# --- cleanup -------------------------------------------------------------------

# Stop the private instances this shell started. Safe to call more than once.
igny8_services_cleanup() {
  local -
  set +e
  if [[ $_IGNY8_CLEANED == 1 ]]; then return 0; fi
  _IGNY8_CLEANED=1
  if [[ $IGNY8_STARTED_REDIS == 1 ]]; then _igny8_stop_private_redis; fi
  if [[ $IGNY8_STARTED_PG == 1 ]]; then _igny8_stop_private_pg; fi
  return 0
}

_igny8_on_signal() {
  igny8_services_cleanup
  trap - EXIT
  exit "$1"
}

_igny8_install_trap() {
  trap igny8_services_cleanup EXIT
  trap '_igny8_on_signal 129' HUP
  trap '_igny8_on_signal 130' INT
  trap '_igny8_on_signal 143' TERM
}

# --- discovery -----------------------------------------------------------------

_igny8_setup_postgres() {
  local db=${IGNY8_DB_NAME:-igny8} sys="postgres://postgres@127.0.0.1:5432/postgres"
  [[ $db =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || igny8_die "IGNY8_DB_NAME must be a plain identifier, got '$db'"

  if [[ -n ${DATABASE_URL:-} ]]; then
    igny8_wait_postgres "$DATABASE_URL"
    _IGNY8_PG_DESC="DATABASE_URL $(igny8_redact_url "$DATABASE_URL")"
    return 0
  fi

  if _igny8_pg_ping "$sys"; then
    if ! _igny8_pgtool psql >/dev/null; then _igny8_apt_install "psql" postgresql-client; fi
    # Migrations create roles, so this needs a superuser.
    if _igny8_pg_is_superuser "$sys"; then
      _igny8_pg_create_db "$sys" "$db"
      DATABASE_URL=$(igny8_pg_url_with_db "$sys" "$db")
      _IGNY8_PG_DESC="server on 127.0.0.1:5432 (database $db)"
      return 0
    fi
    igny8_log "PostgreSQL on 127.0.0.1:5432 does not let superuser 'postgres' in without a password; using a private instance instead (set DATABASE_URL to use that server)"
  fi

  _igny8_start_private_pg "$db"
}

_igny8_setup_redis() {
  local sys="redis://127.0.0.1:6379"
  if [[ -n ${REDIS_URL:-} ]]; then
    igny8_wait_redis "$REDIS_URL"
    _IGNY8_REDIS_DESC="REDIS_URL $(igny8_redact_url "$REDIS_URL")"
    return 0
  fi
  if _igny8_redis_ping "$sys" >/dev/null; then
    REDIS_URL=$sys
    _IGNY8_REDIS_DESC="server on 127.0.0.1:6379"
    return 0
  fi
  if _igny8_tcp_open 127.0.0.1 6379; then
    igny8_log "something on 127.0.0.1:6379 does not answer PING without a password; using a private Redis instead (set REDIS_URL to use it)"
  fi
  _igny8_start_private_redis
}

# Find or start both services, export the URLs and print what is used.
igny8_services_up() {
  igny8_dotenv_default DATABASE_URL REDIS_URL
  _igny8_setup_postgres
  _igny8_setup_redis
  export DATABASE_URL REDIS_URL
  printf 'Using PostgreSQL: %s; Redis: %s\n' "$_IGNY8_PG_DESC" "$_IGNY8_REDIS_DESC"
}

igny8_services_up
