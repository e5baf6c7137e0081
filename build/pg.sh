#!/usr/bin/env bash
# Local throwaway PostgreSQL clusters for Moonflow dev/test, private to this clone, so nothing
# touches a system-wide PostgreSQL. Where they live (see pg__home):
#   - as root, the server runs as the OS user "postgres", which often cannot traverse the clone's
#     parents (a clone under /root): /var/tmp/moonflow-pg/<clone name>-<hash of its path>/NAME
#   - otherwise the server runs as you: .local/pg/NAME in the clone (git-ignored)
#
#   build/pg.sh start NAME PORT   create (first time) or reuse, start, wait, ensure db "moonflow"
#   build/pg.sh stop  NAME        fast shutdown if running
#   build/pg.sh url   NAME PORT   print the Npgsql connection string
#   build/pg.sh dir   NAME        print the cluster's folder
#
# Env: PG_FAST=1 trades durability for speed (fsync etc. off) - for the test cluster only.
#      MOONFLOW_PG_ROOT moves the root-owned clusters' parent folder (default /var/tmp/moonflow-pg).
# Can also be sourced (functions pg_start / pg_stop / pg_url / pg_running / pg_dir).
set -euo pipefail

PG_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PG_SHARED_ROOT="${MOONFLOW_PG_ROOT:-/var/tmp/moonflow-pg}"
PG_USER=moonflow   # cluster superuser and app user (trust auth, local only)
PG_DB=moonflow

pg__log() { echo "pg.sh: $*" >&2; }
pg__die() { pg__log "error: $*"; exit 1; }

# Resolve the server's bin dir once: runuser may not keep PATH, and Debian's
# /usr/bin wrappers (pg_isready, psql) are better replaced by the matching version.
pg__bin() {
  if [[ -z "${PG_BIN:-}" ]]; then
    local ctl; ctl="$(command -v pg_ctl || true)"
    if [[ -n "$ctl" ]]; then
      PG_BIN="$(dirname "$(readlink -f "$ctl")")"
    else
      PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
      [[ -x "${PG_BIN:-}/pg_ctl" ]] || pg__die "PostgreSQL server binaries (pg_ctl, initdb) not found on PATH"
    fi
  fi
  echo "$PG_BIN"
}

# Client tool: prefer the one next to the server, else whatever is on PATH.
pg__tool() {
  local b; b="$(pg__bin)"
  if [[ -x "$b/$1" ]]; then echo "$b/$1"; else command -v "$1" || true; fi
}

# The server refuses to run as root, so as root everything server-side runs as "postgres".
pg__as() {
  if [[ $EUID -eq 0 ]]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# The folder that holds this clone's clusters. As root it is outside the clone, keyed by the clone's
# real path, so two clones never share a cluster; a "clone" file in it names the clone it belongs to.
pg__home() {
  if [[ $EUID -eq 0 ]]; then
    local slug hash
    slug="${PG_REPO_ROOT##*/}"; slug="${slug//[^A-Za-z0-9_.-]/_}"; slug="${slug:0:32}"
    hash="$(printf '%s' "$PG_REPO_ROOT" | sha256sum | cut -c1-12)"
    echo "$PG_SHARED_ROOT/${slug:-clone}-$hash"
  else
    echo "$PG_REPO_ROOT/.local/pg"
  fi
}

pg__dir()  { echo "$(pg__home)/$1"; }
pg_dir()   { pg__check_args "$1"; pg__dir "$1"; }
pg__conninfo() { echo "host=127.0.0.1 port=$1 user=$PG_USER dbname=${2:-postgres} sslmode=disable connect_timeout=5"; }

pg_url() { echo "Host=127.0.0.1;Port=$2;Database=$PG_DB;Username=$PG_USER;Include Error Detail=true"; }

pg__check_args() {
  [[ "${1:-}" =~ ^[A-Za-z0-9_-]+$ ]] || pg__die "bad cluster name '${1:-}'"
  if [[ $# -ge 2 ]]; then [[ "${2:-}" =~ ^[0-9]+$ ]] || pg__die "bad port '${2:-}'"; fi
}

# True if a lock file (postmaster.pid, socket .lock) names a live *postgres* process.
# After a reboot/crash the pid may belong to an unrelated process, which makes
# pg_ctl and the postmaster believe the old server still runs.
pg__lock_alive() {
  local pidfile="$1" pid comm
  [[ -f "$pidfile" ]] || return 1
  pid="$(head -n1 "$pidfile" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  if [[ -d /proc/$pid ]]; then
    comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    [[ "$comm" == postgres* || "$comm" == postmaster* ]] || return 1
    # A killed postmaster can linger as a zombie when PID 1 does not reap (containers);
    # kill -0 still succeeds on it, so look at the process state.
    [[ "$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]]
  else
    kill -0 "$pid" 2>/dev/null
  fi
}

pg__pid_alive() { pg__lock_alive "$1/postmaster.pid"; }

pg__remove_stale_pid() {
  local base="$1" f
  for f in "$base/data/postmaster.pid" "$base"/run/.s.PGSQL.*.lock; do
    if [[ -f "$f" ]] && ! pg__lock_alive "$f"; then
      pg__log "removing stale $f"
      rm -f "$f"
    fi
  done
}

pg_running() {
  local data; data="$(pg__dir "$1")/data"
  [[ -f "$data/PG_VERSION" ]] || return 1
  pg__as "$(pg__bin)/pg_ctl" -D "$data" status >/dev/null 2>&1 && pg__pid_alive "$data"
}

pg__answers() {
  local port="$1" isready; isready="$(pg__tool pg_isready)"
  if [[ -n "$isready" ]]; then
    "$isready" -q -d "$(pg__conninfo "$port")" >/dev/null 2>&1
  else
    "$(pg__tool psql)" -XqtA -d "$(pg__conninfo "$port")" -c 'select 1' >/dev/null 2>&1
  fi
}

pg__wait_ready() {
  local port="$1" i
  for ((i = 0; i < 120; i++)); do
    pg__answers "$port" && return 0
    sleep 0.5
  done
  return 1
}

pg__ensure_db() {
  local port="$1" psql; psql="$(pg__tool psql)"
  [[ -n "$psql" ]] || pg__die "psql not found"
  local exists
  exists="$("$psql" -XqtA -d "$(pg__conninfo "$port")" -c "select 1 from pg_database where datname = '$PG_DB'")" ||
    pg__die "cannot connect to 127.0.0.1:$port"
  if [[ "$exists" != 1 ]]; then
    pg__log "creating database $PG_DB"
    "$psql" -Xq -v ON_ERROR_STOP=1 -d "$(pg__conninfo "$port")" -c "create database $PG_DB" >&2
  fi
}

# Make the cluster folder owned by postgres and reachable through its parents.
pg__fix_owner() {
  local base="$1" home
  [[ $EUID -eq 0 ]] || return 0
  id postgres >/dev/null 2>&1 || pg__die "OS user 'postgres' is missing (create it: useradd -r -M postgres)"
  home="$(pg__home)"
  [[ "$home" == "$PG_REPO_ROOT/.local/pg" ]] || chmod 755 "$home"
  chown -R postgres:postgres "$base"
  runuser -u postgres -- test -w "$base" ||
    pg__die "user 'postgres' cannot reach $base - a parent directory is not traversable (o+x); set MOONFLOW_PG_ROOT to a folder it can reach"
}

# As root, clusters used to live in the clone (.local/pg/NAME); one found there moves to its new folder
# (stopped first if it runs), so its data and port are not left behind.
pg__adopt_legacy() {
  local name="$1" base="$2" legacy="$PG_REPO_ROOT/.local/pg/$1"
  [[ $EUID -eq 0 && "$legacy" != "$base" && -f "$legacy/data/PG_VERSION" && ! -e "$base/data" ]] || return 0
  if pg__pid_alive "$legacy/data"; then
    pg__log "stopping cluster '$name' at its old place $legacy"
    pg__as "$(pg__bin)/pg_ctl" -D "$legacy/data" -m fast -w -t 60 -s stop >&2 || true
  fi
  pg__log "moving cluster '$name' from $legacy to $base"
  mkdir -p "$(dirname "$base")"
  rm -rf "$base"
  mv "$legacy" "$base"
}

# Clusters of clones that no longer exist (a deleted clone, a finished CI run) are removed, unless one runs.
pg__prune_orphans() {
  [[ $EUID -eq 0 && -d "$PG_SHARED_ROOT" ]] || return 0
  local home clone pid
  for home in "$PG_SHARED_ROOT"/*/; do
    home="${home%/}"
    [[ -f "$home/clone" ]] || continue
    clone="$(head -n1 "$home/clone")"
    [[ -n "$clone" && ! -e "$clone/build/pg.sh" ]] || continue
    for pid in "$home"/*/data/postmaster.pid; do
      if pg__lock_alive "$pid"; then continue 2; fi
    done
    pg__log "removing the clusters of $clone, which no longer exists ($home)"
    rm -rf "$home"
  done
}

pg__initdb() {
  local base="$1" data="$1/data" initdb loc=(--no-locale)
  initdb="$(pg__bin)/initdb"
  # Half-made cluster from an interrupted initdb: start over.
  if [[ -e "$data" && ! -f "$data/PG_VERSION" ]]; then rm -rf "$data"; fi
  if locale -a 2>/dev/null | grep -qixE 'c\.utf-?8'; then loc=(--locale=C.UTF-8); fi
  pg__log "initdb $data (${loc[*]})"
  if ! pg__as "$initdb" -D "$data" -U "$PG_USER" --auth=trust -E UTF8 "${loc[@]}" >>"$base/log" 2>&1; then
    [[ "${loc[0]}" != --no-locale ]] || { tail -n 20 "$base/log" >&2; pg__die "initdb failed"; }
    pg__log "initdb with C.UTF-8 failed, retrying with --no-locale"
    rm -rf "$data"
    pg__as "$initdb" -D "$data" -U "$PG_USER" --auth=trust -E UTF8 --no-locale >>"$base/log" 2>&1 ||
      { tail -n 20 "$base/log" >&2; pg__die "initdb failed"; }
  fi
  # Settings live in a file rewritten at every start, so PORT/PG_FAST changes apply
  # and no path needs shell-quoting through pg_ctl -o.
  echo "include_if_exists = 'moonflow.conf'" >>"$data/postgresql.conf"
}

pg__write_conf() {
  local base="$1" port="$2" sock="$1/run"
  # Unix socket paths are limited to ~107 bytes; deep checkouts get TCP only (all we use).
  if (( ${#sock} + 20 > 107 )); then sock=""; fi
  {
    echo "# generated by build/pg.sh at every start - edits are lost"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '${sock//\'/\'\'}'"
    echo "max_connections = 200"
    if [[ "${PG_FAST:-0}" == 1 ]]; then
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } >"$base/data/moonflow.conf"
}

pg__ctl_start() {
  local base="$1"
  pg__as "$(pg__bin)/pg_ctl" -D "$base/data" -l "$base/log" -w -t 60 -s start >&2
}

pg_start() {
  pg__check_args "$@"
  local name="$1" port="$2" base data
  pg__bin >/dev/null   # resolve (or fail) in this shell, not in a subshell
  base="$(pg__dir "$name")"; data="$base/data"
  if [[ $EUID -eq 0 && ! -d "$PG_SHARED_ROOT" ]]; then mkdir -p "$PG_SHARED_ROOT" && chmod 755 "$PG_SHARED_ROOT"; fi
  pg__prune_orphans
  pg__adopt_legacy "$name" "$base"
  mkdir -p "$base/run"
  if [[ $EUID -eq 0 ]]; then echo "$PG_REPO_ROOT" >"$(pg__home)/clone"; fi
  pg__fix_owner "$base"
  [[ -f "$data/PG_VERSION" ]] || pg__initdb "$base"

  if pg_running "$name"; then
    local running_port; running_port="$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)"
    [[ -z "$running_port" || "$running_port" == "$port" ]] ||
      pg__die "cluster '$name' already runs on port $running_port (asked for $port); stop it first"
    # It may still be starting up (e.g. a concurrent start).
    pg__wait_ready "$port" || pg__die "cluster '$name' runs but does not answer on port $port"
    pg__ensure_db "$port"
    return 0
  fi

  pg__remove_stale_pid "$base"
  pg__write_conf "$base" "$port"
  pg__fix_owner "$base"
  pg__log "starting cluster '$name' on 127.0.0.1:$port (log: $base/log)"
  if ! pg__ctl_start "$base"; then
    pg__answers "$port" && pg__die "port $port is already used by another server"
    # Typical after kill -9 / reboot: leftover pid file, or orphaned backends still
    # holding the old shared memory for a moment. Give them time, then retry once.
    sleep 3
    pg__remove_stale_pid "$base"
    pg__log "start failed, retrying once"
    pg__ctl_start "$base" || { tail -n 20 "$base/log" >&2; pg__die "could not start cluster '$name'"; }
  fi
  pg__wait_ready "$port" || { tail -n 20 "$base/log" >&2; pg__die "server on port $port did not become ready"; }
  pg__ensure_db "$port"
}

pg_stop() {
  pg__check_args "$@"
  local name="$1" legacy="$PG_REPO_ROOT/.local/pg/$1"
  pg__bin >/dev/null
  if [[ $EUID -eq 0 && "$legacy" != "$(pg__dir "$name")" ]] && pg__pid_alive "$legacy/data"; then
    pg__log "stopping cluster '$name' at its old place $legacy"
    pg__as "$(pg__bin)/pg_ctl" -D "$legacy/data" -m fast -w -t 60 -s stop >&2
  fi
  if pg_running "$name"; then
    pg__log "stopping cluster '$name'"
    pg__as "$(pg__bin)/pg_ctl" -D "$(pg__dir "$name")/data" -m fast -w -t 60 -s stop >&2
  else
    pg__log "cluster '$name' is not running"
  fi
}

# CLI only when executed, not when sourced.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  cmd="${1:-}"; shift || true
  case "$cmd" in
    start) [[ $# -eq 2 ]] || pg__die "usage: $0 start NAME PORT"; pg_start "$@" ;;
    stop)  [[ $# -eq 1 ]] || pg__die "usage: $0 stop NAME"; pg_stop "$@" ;;
    url)   [[ $# -eq 2 ]] || pg__die "usage: $0 url NAME PORT"; pg__check_args "$@"; pg_url "$@" ;;
    dir)   [[ $# -eq 1 ]] || pg__die "usage: $0 dir NAME"; pg_dir "$@" ;;
    *)     echo "usage: $0 start NAME PORT | stop NAME | url NAME PORT | dir NAME" >&2; exit 2 ;;
  esac
fi
