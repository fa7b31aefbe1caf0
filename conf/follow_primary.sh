#!/usr/bin/env bash
# follow_primary.sh: jpgpool's (and Pgpool-II's) follow_primary_command for a local streaming cluster.
#
#   follow_primary_command = 'PCP_PORT=9898 /path/to/conf/follow_primary.sh %d %h %p %D %m %H %M %P %r %R'
#
# Turns node %d into a standby of the new primary %m: stops it, rewinds it with pg_rewind (or, when that is
# not possible, copies it afresh with pg_basebackup), points primary_conninfo at the new primary, starts it,
# and attaches it again through the PCP port (pcp_attach_node, or bin/jpcp when the Debian tools are absent).
#
# Environment:
#   PGBIN                 PostgreSQL binaries (default: from PATH, else /usr/lib/postgresql/15/bin)
#   PG_OS_USER            OS user that runs PostgreSQL when this runs as root (default postgres)
#   REPL_USER, REPL_PASSWORD   user for pg_rewind/pg_basebackup/primary_conninfo (default postgres, none)
#   APP_NAME_PREFIX       application_name of a standby is <prefix><node id> (default "node"; it must match
#                         backend_application_nameN for SHOW pool_nodes to show its replication state)
#   PCP_HOST, PCP_PORT, PCP_USER, PCPPASSFILE   where and as whom to attach (default 127.0.0.1, 9898, pcpadmin)
set -uo pipefail

node_id=$1 node_host=$2 node_port=$3 node_pgdata=$4
new_primary_id=$5 new_primary_host=$6 old_main_id=$7 old_primary_id=$8 new_primary_port=$9 new_primary_pgdata=${10}

PGBIN=${PGBIN:-$(dirname "$(command -v pg_ctl 2>/dev/null || echo /usr/lib/postgresql/15/bin/pg_ctl)")}
REPL_USER=${REPL_USER:-postgres}
APP_NAME=${APP_NAME_PREFIX:-node}$node_id
PCP_HOST=${PCP_HOST:-127.0.0.1} PCP_PORT=${PCP_PORT:-9898} PCP_USER=${PCP_USER:-pcpadmin}
here=$(cd "$(dirname "$0")" && pwd)

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    if id "${PG_OS_USER:-postgres}" >/dev/null 2>&1; then runuser -u "${PG_OS_USER:-postgres}" -- "$@"
    else unshare -U -- "$@"; fi
  else "$@"; fi
}
log() { echo "follow_primary.sh: node $node_id: $*"; }

if [ "$node_id" = "$new_primary_id" ]; then exit 0; fi
log "following new primary $new_primary_id ($new_primary_host:$new_primary_port)"
source_conn="host=$new_primary_host port=$new_primary_port user=$REPL_USER dbname=postgres"
if [ -n "${REPL_PASSWORD:-}" ]; then source_conn="$source_conn password=$REPL_PASSWORD"; fi

# a node that is not running (the failed old primary) stays down until the operator recovers it, as in
# Pgpool-II's sample script: rebuilding it here would bring a crashed server back without anyone asking
if ! as_postgres "$PGBIN/pg_ctl" -D "$node_pgdata" status >/dev/null 2>&1; then
  log "not running; skipping it (recover it with pcp_recovery_node or rebuild it, then pcp_attach_node)"
  exit 0
fi
as_postgres "$PGBIN/pg_ctl" -D "$node_pgdata" -m fast -w -t 60 stop >/dev/null 2>&1 || true
# PostgreSQL 15 writes the promoted server's new timeline to pg_control only at its next checkpoint, and
# pg_rewind reads it from there: without this it may find "no rewind required" on a diverged node
"$PGBIN/psql" -X -q -d "$source_conn" -c CHECKPOINT >/dev/null || log "CHECKPOINT on the new primary failed"
if [ -d "$node_pgdata" ] && as_postgres "$PGBIN/pg_rewind" -D "$node_pgdata" --source-server="$source_conn"; then
  log "rewound with pg_rewind"
else
  log "pg_rewind not possible, taking a fresh base backup"
  keep=$(mktemp -d)
  for f in postgresql.conf pg_hba.conf jpgpool-node.conf; do
    [ -f "$node_pgdata/$f" ] && cp -p "$node_pgdata/$f" "$keep/"
  done
  rm -rf "$node_pgdata" && mkdir -p "$node_pgdata" && chmod 700 "$node_pgdata"
  [ "$(id -u)" = 0 ] && id "${PG_OS_USER:-postgres}" >/dev/null 2>&1 && chown "${PG_OS_USER:-postgres}:" "$node_pgdata"
  if ! as_postgres "$PGBIN/pg_basebackup" -d "$source_conn" -D "$node_pgdata" -X stream -c fast; then
    log "pg_basebackup failed" >&2
    exit 1
  fi
  # the copy brought the primary's configuration files: this node's own come back
  for f in "$keep"/*; do [ -f "$f" ] && cp -p "$f" "$node_pgdata/"; done
  rm -rf "$keep"
fi

# pg_rewind and pg_basebackup bring the primary's settings along: this node's own come last
as_postgres touch "$node_pgdata/standby.signal"
conninfo="$source_conn application_name=$APP_NAME"
printf "\n# follow_primary.sh\nport = %s\nprimary_conninfo = '%s'\n" "$node_port" "$conninfo" \
  | as_postgres tee -a "$node_pgdata/postgresql.auto.conf" >/dev/null
as_postgres rm -f "$node_pgdata/postmaster.pid"
if ! as_postgres "$PGBIN/pg_ctl" -D "$node_pgdata" -l "$node_pgdata/follow_primary.log" -w -t 60 start >/dev/null; then
  log "could not start the standby" >&2
  exit 1
fi
log "streaming from the new primary; attaching it"

attach=$(command -v pcp_attach_node || true)
if [ -n "$attach" ]; then
  "$attach" -h "$PCP_HOST" -p "$PCP_PORT" -U "$PCP_USER" -w -n "$node_id"
else
  "$here/../bin/jpcp" attach_node -h "$PCP_HOST" -p "$PCP_PORT" -U "$PCP_USER" -w -n "$node_id"
fi
