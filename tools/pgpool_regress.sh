#!/usr/bin/env bash
# Developer tool, not part of CI: runs Pgpool-II 4.3's own regression suite (src/test/regression of a pgpool
# source checkout, tag V4_3_5) in streaming replication mode against jpgpool, or with -r against the real
# pgpool 4.3 of Debian's pgpool2 package (/usr/sbin/pgpool), which checks the harness itself.
#
#   tools/pgpool_regress.sh [-r] [-w WORKDIR] [-T SECONDS] [-d] [-l] [-t 001 003 ...] PGPOOL_SOURCE
#
#   PGPOOL_SOURCE  a checkout of github:pgpool/pgpool2 at V4_3_5, e.g.
#                  git --git-dir=/path/to/pgpool2.git worktree add /tmp/pgpool2 V4_3_5
#   -t NNN ...     only these tests (number prefixes or full names); default: every streaming-mode test
#                  except those listed in SKIP below
#   -r             the real pgpool instead of jpgpool
#   -w WORKDIR     where the suite runs (default /var/tmp/pgpool-regress-jpgpool or -pgpool); emptied first
#   -T SECONDS     timeout of each test (default 300, as regress.sh's)
#   -d             start pgpool with -d (debug logging)
#   -l             list the tests that would run and the skipped ones with the reason, then exit
#
# The suite runs unchanged except for: each test's "for mode in s r ..." loop keeps streaming mode only; the
# suite's clean_all also kills a leftover jpgpool (a java process, which its pgrep for "pgpool" misses).
# regress.sh -m noinstall runs it with an install directory made here: bin/pgpool execs jpgpool's bin/jpgpool
# (a copy taken at the start, so rebuilding meanwhile changes nothing) with the same arguments; the pcp_*
# tools, pg_md5 and pgproto are Debian's; etc/ holds the checkout's sample configs; bin/pgpool_setup is
# built from the checkout's src/test/pgpool_setup.in.
#
# Isolation: clean_all kills every process named pgpool or postgres that it can see and removes
# /tmp/.s.PGSQL.*, and the suite's ports are fixed (11000 and up). So everything runs in private PID,
# network, IPC and mount namespaces (with a private /tmp): nothing outside is seen or touched. As root the
# tests run as the postgres OS user (PostgreSQL refuses root); otherwise as the calling user, in a user
# namespace.
#
# Online recovery: pgpool_setup makes the standbys of a streaming cluster with pcp_recovery_node. While
# jpgpool's PCP server refuses it, the jpgpool install's pcp_recovery_node does, during pgpool_setup only,
# what pgpool does: it runs the primary's basebackup.sh, starts the standby and attaches it with
# pcp_attach_node. The real pgpool runs its own (pgpool_remote_start's "ssh host cmd" runs cmd locally
# through an ssh shim).
#
# Needs PostgreSQL 15 (pg_config on PATH or /usr/lib/postgresql/15/bin), Debian's pgpool2 and
# postgresql-15-pgpool2 (the pgpool_recovery and pgpool_regclass extensions), ed, pgbench, util-linux
# unshare, and for jpgpool a build (mvn -B -q -DskipTests package).
set -euo pipefail
# All in one function, so that bash has read the whole script before it runs any of it (an edit during a run
# cannot change what the run does).
main() {

# Tests skipped, with the reason (the first word groups them in the summary).
declare -A SKIP=(
  [002]="native-replication: native replication mode only"
  [030]="native-replication: snapshot isolation mode only"
  [053]="native-replication: native replication mode only (insert_lock)"
  [054]="native-replication: native replication mode only (postgres_fdw)"
  [062]="native-replication: native replication mode only"
  [010]="unit-test: a C unit test of pgpool's own timestamp rewriting (native mode), built from pgpool's source"
  [004]="watchdog: jpgpool has no watchdog"
  [011]="watchdog: jpgpool has no watchdog"
  [012]="watchdog: jpgpool has no watchdog"
  [013]="watchdog: jpgpool has no watchdog"
  [014]="watchdog: jpgpool has no watchdog"
  [015]="watchdog: jpgpool has no watchdog"
  [018]="watchdog: its second half runs three watchdog pgpools"
  [028]="watchdog: jpgpool has no watchdog"
  [007]="query-cache: memqcache_method = memcached, which jpgpool refuses"
  [025]="query-cache: enable_shared_relcache with memcached, which jpgpool refuses"
  [070]="query-cache: measures the size of pgpool's child process with ps (jpgpool has no child processes)"
  [023]="ssl: TLS between client, pgpool and backends"
  [024]="ssl: certificate authentication"
  [029]="ssl: a key with a passphrase"
  [016]="online-recovery: pcp_recovery_node of node 0 after a failover"
  [031]="online-recovery: pcp_recovery_node of node 0 after connection_life_time"
  [034]="online-recovery: after pcp_promote_node -s the standbys cannot follow by a restart (their timeline forked); follow_primary.sh then runs pcp_recovery_node"
  [075]="online-recovery: after pcp_detach_node of the primary the standbys cannot follow by a restart; follow_primary.sh then runs pcp_recovery_node"
  [077]="online-recovery: after pcp_promote_node --switchover node 1 comes back through follow_primary.sh's pcp_recovery_node"
)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  sed -n '6,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

real=false
workdir=
timeout_s=300
debug=false
list_only=false
tests=()
source_dir=
inner=false
while [ $# -gt 0 ]; do
  case $1 in
    -r) real=true ;;
    -w) workdir=$2; shift ;;
    -T) timeout_s=$2; shift ;;
    -d) debug=true ;;
    -l) list_only=true ;;
    -t) shift
        while [ $# -gt 0 ] && [[ $1 != -* ]] && [[ $1 =~ ^[0-9]{3} ]]; do tests+=("$1"); shift; done
        continue ;;
    --inner) inner=true ;;
    -h|--help|-\?) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) [ -z "$source_dir" ] || usage; source_dir=$1 ;;
  esac
  shift
done

#-------------------------------------------------------------------------------------------------------------
# Inside the namespaces, as the unprivileged user: run regress.sh on the prepared work directory.
#-------------------------------------------------------------------------------------------------------------
if $inner; then
  cd "$workdir/src/test/regression"
  pattern=$(cat "$workdir/selected")
  args=(-m noinstall -i "$workdir/install" -p "$PGBIN" -t "$timeout_s" -s /tmp)
  [ -n "${JDBC_DRIVER:-}" ] && args+=(-j "$JDBC_DRIVER")
  $debug && args+=(-d)
  ./regress.sh "${args[@]}" "$pattern" 2>&1 | tee "$workdir/regress.out"
  exit 0
fi

[ -n "$source_dir" ] || usage
source_dir=$(cd "$source_dir" && pwd)
suite=$source_dir/src/test/regression
[ -x "$suite/regress.sh" ] && [ -f "$source_dir/src/test/pgpool_setup.in" ] ||
  { echo "$source_dir is not a pgpool source checkout (no src/test/regression/regress.sh)" >&2; exit 1; }

# The tests to run: -t's, else all but the skipped ones.
all=$(cd "$suite/tests" && ls -d [0-9][0-9][0-9].*)
selected=()
for t in $all; do
  n=${t%%.*}
  if [ ${#tests[@]} -gt 0 ]; then
    for want in "${tests[@]}"; do
      if [ "$want" = "$n" ] || [ "$want" = "$t" ]; then selected+=("$t"); fi
    done
  elif [ -z "${SKIP[$n]:-}" ]; then
    selected+=("$t")
  fi
done
if $list_only; then
  echo "would run (${#selected[@]}): ${selected[*]}"
  for t in $all; do n=${t%%.*}; [ -n "${SKIP[$n]:-}" ] && printf 'skip %-45s %s\n' "$t" "${SKIP[$n]}"; done
  exit 0
fi
[ ${#selected[@]} -gt 0 ] || { echo "no test matches ${tests[*]}" >&2; exit 1; }

# PostgreSQL's binaries.
if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
  PGBIN=$(pg_config --bindir)
else
  PGBIN=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
fi
[ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_config" ] || { echo "no PostgreSQL 15 found (pg_config)" >&2; exit 1; }
for tool in pcp_attach_node pg_md5 pgproto; do
  command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] || { echo "$tool missing: install Debian's pgpool2" >&2; exit 1; }
done
if $real; then
  [ -x /usr/sbin/pgpool ] || { echo "/usr/sbin/pgpool missing: install Debian's pgpool2" >&2; exit 1; }
else
  [ -f "$here/launcher/target/jpgpool.jar" ] ||
    { echo "jpgpool is not built: run  mvn -B -q -DskipTests package  in $here" >&2; exit 1; }
fi

if [ "$(id -u)" = 0 ]; then runner=postgres; else runner=$(id -un); fi
target=$($real && echo pgpool || echo jpgpool)
workdir=${workdir:-/var/tmp/pgpool-regress-$target}
case $workdir in /|/tmp|/var/tmp|"$HOME") echo "refusing WORKDIR $workdir" >&2; exit 1 ;; esac
rm -rf "$workdir"
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)

# The suite, its setup script template and the sample configs.
mkdir -p "$workdir/src/test"
cp -r "$suite" "$workdir/src/test/regression"
cp "$source_dir/src/test/pgpool_setup.in" "$workdir/src/test/"
rm -rf "$workdir/src/test/regression/log"
printf '%s\\|' "${selected[@]}" | sed 's/\\|$//' > "$workdir/selected"
echo "$target" > "$workdir/target"

# Streaming replication mode only: "for mode in s r n" -> "for mode in s" (a loop without s is left alone).
for f in "$workdir"/src/test/regression/tests/*/test.sh; do
  sed -i -E '/^[[:space:]]*for mode in ([a-z] )*s( [a-z])*[[:space:]]*$/s/for mode in .*/for mode in s/' "$f"
done
# clean_all's "pgrep pgpool" misses jpgpool's java process; a leftover one would hold the ports.
sed -i '/^function clean_all/,/^}/s|^\(\s*\)rm -f|\1pgrep -f io.jpgpool.launcher.Main \| xargs kill -9 > /dev/null 2>\&1\n\1rm -f|' \
  "$workdir/src/test/regression/libs.sh"

# The install directory regress.sh -m noinstall -i expects.
inst=$workdir/install
mkdir -p "$inst/bin" "$inst/etc" "$inst/lib" "$workdir/shims"
for f in pgpool.conf.sample pool_hba.conf.sample pcp.conf.sample; do
  cp "$source_dir/src/sample/$f" "$inst/etc/"
done
for tool in pcp_attach_node pcp_detach_node pcp_health_check_stats pcp_node_count pcp_node_info pcp_pool_status \
            pcp_proc_count pcp_proc_info pcp_promote_node pcp_recovery_node pcp_reload_config pcp_stop_pgpool \
            pcp_watchdog_info pg_md5 pg_enc pgproto wd_cli; do
  p=$(command -v $tool || echo /usr/sbin/$tool)
  if [ -x "$p" ]; then ln -s "$p" "$inst/bin/$tool"; fi
done
sed -e "s|@@PGPOOL_INSTALL_DIR@@|$inst|" -e "s|@@PGPOOL_CONFIG_DIR@@|$inst/etc|" \
    -e "s|@@PGSQL_BIN_DIR@@|$PGBIN|" -e "s|@@PGSQL_LIB_DIR@@|$($PGBIN/pg_config --libdir)|" \
    "$source_dir/src/test/pgpool_setup.in" > "$inst/bin/pgpool_setup"
# pgpool_setup's own runs of pcp_recovery_node are marked, so that only they may fall back (see below).
sed -i 's|^\(\s*\)\$PGPOOL_INSTALL_DIR/bin/pcp_recovery_node |\1PGPOOL_SETUP_RECOVERY=1 $PGPOOL_INSTALL_DIR/bin/pcp_recovery_node |' \
  "$inst/bin/pgpool_setup"
if [ -f "$source_dir/src/test/watchdog_setup.in" ]; then
  sed -e "s|@@PGPOOL_INSTALL_DIR@@|$inst|" -e "s|@@PGPOOL_CONFIG_DIR@@|$inst/etc|" \
      -e "s|@@PGSQL_BIN_DIR@@|$PGBIN|" -e "s|@@PGSQL_LIB_DIR@@|$($PGBIN/pg_config --libdir)|" \
      "$source_dir/src/test/watchdog_setup.in" > "$inst/bin/watchdog_setup"
fi

if $real; then
  ln -s /usr/sbin/pgpool "$inst/bin/pgpool"
else
  # A copy of the build, so that a rebuild during the run changes nothing.
  mkdir -p "$workdir/jpgpool/bin" "$workdir/jpgpool/launcher/target"
  cp "$here/bin/jpgpool" "$workdir/jpgpool/bin/"
  cp -r "$here/launcher/target/jpgpool.jar" "$here/launcher/target/lib" "$workdir/jpgpool/launcher/target/"
  cat > "$inst/bin/pgpool" <<EOF
#!/bin/sh
# pgpool for Pgpool-II's regression suite: jpgpool with the same arguments.
exec "$workdir/jpgpool/bin/jpgpool" "\$@"
EOF
  rm "$inst/bin/pcp_recovery_node"
  cat > "$inst/bin/pcp_recovery_node" <<'EOF'
#!/usr/bin/env bash
# pcp_recovery_node for jpgpool: Debian's, and when jpgpool refuses it during pgpool_setup (which makes the
# standbys of a streaming cluster by online recovery), what pgpool's recovery does for streaming mode:
# the main node runs recovery_1st_stage_command (basebackup.sh), the new standby is started
# (pgpool_remote_start), and once it accepts connections it is attached.
# the pcp tools exit 0 even when the server refuses; success is their "Command Successful" line
out=$(/usr/sbin/pcp_recovery_node "$@" 2>&1)
rc=$?
echo "$out"
case $out in *"Command Successful"*) exit 0 ;; esac
[ -n "${PGPOOL_SETUP_RECOVERY:-}" ] || exit $rc
args=("$@")
node=
while [ $# -gt 0 ]; do
  case $1 in
    -h|-p|-U|--host|--port|--username) shift ;;
    -n|--node-id) node=$2; shift ;;
    -n*) node=${1#-n} ;;
    [0-9]*) node=$1 ;;
  esac
  shift
done
conf=etc/pgpool.conf
param() { sed -n -E "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*'?([^'#]*)'?.*/\1/p" "$conf" | tail -1 | sed 's/[[:space:]]*$//'; }
main_dir=$(param backend_data_directory0)
main_port=$(param backend_port0)
dest_dir=$(param "backend_data_directory$node")
dest_port=$(param "backend_port$node")
script=$(param recovery_1st_stage_command)
echo "pcp_recovery_node: jpgpool refused; recovering node $node as pgpool does ($script, pgpool_remote_start, attach)" >&2
(cd "$main_dir" && "./$script" "$main_dir" localhost "$dest_dir" "$main_port" "$node" "$dest_port" localhost) || exit 1
__PGBIN__/pg_ctl -w -D "$dest_dir" start >/dev/null 2>&1 || exit 1
exec /usr/sbin/pcp_attach_node "${args[@]}"
EOF
  sed -i "s|__PGBIN__|$PGBIN|" "$inst/bin/pcp_recovery_node"
  chmod 755 "$inst/bin/pgpool" "$inst/bin/pcp_recovery_node"
fi
chmod 755 "$inst/bin/pgpool_setup" "$inst/bin/watchdog_setup" 2>/dev/null || true

# "ssh -T host command" as pgpool_remote_start runs it: the command, here.
cat > "$workdir/shims/ssh" <<'EOF'
#!/bin/sh
while [ $# -gt 0 ]; do
  case $1 in
    -[46AaCfGgKkMNnqsTtVvXxYy]*) shift ;;
    -*) shift 2 ;;
    *) break ;;
  esac
done
shift
exec sh -c "$*"
EOF
chmod 755 "$workdir/shims/ssh"

jdbc=$(ls "$HOME"/.m2/repository/org/postgresql/postgresql/*/postgresql-*.jar 2>/dev/null | grep -v sources | sort -V | tail -1 || true)
if [ -n "$jdbc" ]; then cp "$jdbc" "$workdir/postgresql.jar"; jdbc=$workdir/postgresql.jar; fi

[ "$runner" = "$(id -un)" ] || chown -R "$runner": "$workdir"

echo "running ${#selected[@]} tests against $target in $workdir as $runner"
# PGHOST: sockets are in /tmp, as in a PostgreSQL built from source (Debian's libpq looks in /var/run/postgresql).
inner_env=(HOME="$workdir" USER="$runner" LOGNAME="$runner" LANG=C TERM=dumb PGHOST=/tmp
           PATH="$workdir/shims:$PGBIN:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
           PGBIN="$PGBIN" JDBC_DRIVER="$jdbc" JAVA="${JAVA:-$(command -v java || true)}"
           JPGPOOL_JAVA_OPTS="${JPGPOOL_JAVA_OPTS:-}")
cp "${BASH_SOURCE[0]}" "$workdir/pgpool_regress.sh"
inner_cmd=("$workdir/pgpool_regress.sh" --inner -w "$workdir" -T "$timeout_s")
$debug && inner_cmd+=(-d)
# Bash stays PID 1 of the namespace and reaps the orphans (a pgpool whose parent exited): a zombie would look
# alive to "pgpool stop", which then waits for ever.
setup='ip link set lo up && mount -t tmpfs -o mode=1777 tmpfs /tmp && mount -t tmpfs -o mode=1777 tmpfs /dev/shm'
if [ "$(id -u)" = 0 ]; then
  unshare --pid --fork --mount-proc --net --ipc --mount -- bash -c \
    "$setup && { runuser -u $runner -- env -i \"\$@\" & wait \$!; }" _ "${inner_env[@]}" "${inner_cmd[@]}"
else
  # root in a user namespace for the setup, then a nested one that maps the caller back: initdb refuses root
  unshare --map-root-user --pid --fork --mount-proc --net --ipc --mount -- bash -c \
    "$setup && { unshare --user --map-user=$(id -u) --map-group=$(id -g) -- env -i \"\$@\" & wait \$!; }" \
    _ "${inner_env[@]}" "${inner_cmd[@]}"
fi

# Per-test results: regress.sh prints "testing NNN.name...ok." / "failed." / "timeout.".
echo
sed -n -E 's/^testing ([^.]+\.[^.]+)\.\.\.(.*)$/\1 \2/p' "$workdir/regress.out" | sed 's/\x1b\[[0-9;]*m//g; s/\x1b(B//g' \
  > "$workdir/results.txt"
cat "$workdir/results.txt"
echo "$target: $(grep -c ' ok\.$' "$workdir/results.txt" || true) of $(wc -l < "$workdir/results.txt") ok"
echo "logs: $workdir/src/test/regression/log/<test>, clusters: $workdir/src/test/regression/tests/<test>/testdir"
}

main "$@"; exit $?  # on one line: nothing after it is read, even if the file changed meanwhile
