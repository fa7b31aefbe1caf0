#!/usr/bin/env bash
# failover.sh: jpgpool's (and Pgpool-II's) failover_command for a local streaming-replication cluster.
#
#   failover_command = '/path/to/conf/failover.sh %d %h %p %D %m %H %M %P %r %R %N %S'
#
# When the failed node was the primary, promote the new main node (%m) with pg_ctl promote; when a standby
# failed there is nothing to do. PostgreSQL tools run as $PG_OS_USER (default postgres) when this runs as
# root. Environment: PGBIN (default: the directory of pg_ctl on PATH, else /usr/lib/postgresql/15/bin).
set -uo pipefail

failed_id=$1 failed_host=$2 failed_port=$3 failed_pgdata=$4
new_main_id=$5 new_main_host=$6 old_main_id=$7 old_primary_id=$8 new_main_port=$9 new_main_pgdata=${10}

PGBIN=${PGBIN:-$(dirname "$(command -v pg_ctl 2>/dev/null || echo /usr/lib/postgresql/15/bin/pg_ctl)")}
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    if id "${PG_OS_USER:-postgres}" >/dev/null 2>&1; then runuser -u "${PG_OS_USER:-postgres}" -- "$@"
    else unshare -U -- "$@"; fi
  else "$@"; fi
}

echo "failover.sh: node $failed_id ($failed_host:$failed_port) failed; old primary $old_primary_id," \
     "old main $old_main_id, new main $new_main_id ($new_main_host:$new_main_port)"

if [ "$failed_id" != "$old_primary_id" ]; then
  echo "failover.sh: a standby failed, nothing to promote"
  exit 0
fi
if [ "$new_main_id" -lt 0 ] 2>/dev/null || [ -z "$new_main_pgdata" ]; then
  echo "failover.sh: no node left to promote" >&2
  exit 1
fi
echo "failover.sh: promoting node $new_main_id ($new_main_pgdata)"
as_postgres "$PGBIN/pg_ctl" -D "$new_main_pgdata" -w -t 60 promote
