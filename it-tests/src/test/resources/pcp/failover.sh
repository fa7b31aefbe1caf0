#!/bin/sh
# A failover_command for the PCP tests, in the spirit of pgpool's sample failover.sh: when the primary is the
# node that failed (or is switched over), promote the new main node.
#
#   failover_command = '/bin/sh failover.sh %d %P %m %R <pg_ctl> [how to run PostgreSQL tools...]'
#
# The trailing words run pg_ctl as the cluster kit runs PostgreSQL's binaries: "runuser -u postgres --" as root,
# "unshare -U --" in a user namespace, or nothing.
failed_node=$1
old_primary=$2
new_main=$3
new_main_pgdata=$4
pg_ctl=$5
shift 5

echo "failover.sh: failed node $failed_node, old primary $old_primary, new main $new_main ($new_main_pgdata)"
if [ "$failed_node" != "$old_primary" ]; then
    echo "failover.sh: a standby failed, nothing to promote"
    exit 0
fi
if [ -z "$new_main_pgdata" ] || [ "$new_main" -lt 0 ]; then
    echo "failover.sh: no node to promote"
    exit 1
fi
exec "$@" "$pg_ctl" -D "$new_main_pgdata" -w promote
