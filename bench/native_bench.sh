#!/usr/bin/env bash
# native_bench.sh: native replication mode, jpgpool against Pgpool-II 4.3.5 (when installed) and against one
# PostgreSQL server directly, in one run on three throwaway independent servers on loopback: the time of
# `pgbench -i -s SCALE` and the TPS of pgbench's TPC-B, rounds interleaved target by target, medians. Checks
# afterwards that the three servers hold the same rows (a hash of each pgbench table). A benchmark, not a test.
#
#   bench/native_bench.sh            (after: mvn -B -q -DskipTests package)
#
# Env: SCALE=10 CLIENTS=8 THREADS=2 DURATION=15 ROUNDS=3 WARMUP=20 QUERY_MODE=simple TARGETS="direct jpgpool pgpool"
#      PGBIN=/usr/lib/postgresql/15/bin BASE=/tmp/jpgpool-native-bench
#      JPGPOOL_JAVA_OPTS  extra JVM options for jpgpool (its defaults otherwise: one event loop per two cores)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
SCALE=${SCALE:-10} CLIENTS=${CLIENTS:-8} THREADS=${THREADS:-2} DURATION=${DURATION:-15} ROUNDS=${ROUNDS:-3}
QUERY_MODE=${QUERY_MODE:-simple} TARGETS=${TARGETS:-"direct jpgpool pgpool"}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin} BASE=${BASE:-/tmp/jpgpool-native-bench}
PG_PORT=${PG_PORT:-44432} JPG_PORT=${JPG_PORT:-44999} PGPOOL_PORT=${PGPOOL_PORT:-44998} PGPOOL_PCP_PORT=${PGPOOL_PCP_PORT:-44898}

. "$here/bench/common.sh"
[ -e "$BASE" ] && { echo "$BASE exists; remove it first" >&2; exit 1; }

pids=()
trap 'clean_up_base "$BASE"/*.log "$BASE"/*/*.log' EXIT

echo "== three independent servers under $BASE"
mkdir -p "$BASE"; chmod 755 "$BASE"; [ "$(id -u)" = 0 ] && chown postgres: "$BASE"
start_primary "$BASE" "$PG_PORT"
for i in 1 2; do
  AS "$PGBIN/initdb" -D "$BASE/node$i/data" -U postgres -A trust --no-sync >/dev/null
  sed -n '/^listen_addresses = .127.0.0.1./,$p' "$BASE/node0/data/postgresql.conf" \
    | sed "s/^port = .*/port = $((PG_PORT + i))/" | AS tee -a "$BASE/node$i/data/postgresql.conf" >/dev/null
  AS "$PGBIN/pg_ctl" -D "$BASE/node$i/data" -l "$BASE/node$i.log" -w start >/dev/null
done
for i in 0 1 2; do "$PGBIN/psql" -qX -h 127.0.0.1 -p $((PG_PORT + i)) -U postgres -c "CREATE DATABASE bench" postgres; done

backends() {  # the backend lines of pgpool.conf, for jpgpool and Pgpool-II alike
  for i in 0 1 2; do
    echo "backend_hostname$i = '127.0.0.1'"; echo "backend_port$i = $((PG_PORT + i))"; echo "backend_weight$i = 1"
    echo "backend_data_directory$i = '$BASE/node$i/data'"
  done
}

declare -A port=([direct]=$PG_PORT)
for t in $TARGETS; do
  case $t in
    jpgpool)
      d=$BASE/jpgpool; mkdir -p "$d"
      { echo "backend_clustering_mode = 'native_replication'"; echo "listen_addresses = '127.0.0.1'"
        echo "port = $JPG_PORT"; echo "socket_dir = '$d'"; echo "pcp_listen_addresses = ''"; backends
        echo "num_init_children = 64"; echo "pool_passwd = ''"; echo "logdir = '$d'"; echo "pid_file_name = '$d/jpgpool.pid'"
        echo "replication_stop_on_mismatch = on"; echo "failover_if_affected_tuples_mismatch = on"
      } > "$d/pgpool.conf"
      JPGPOOL_JAVA_OPTS="${JPGPOOL_JAVA_OPTS:-}" "$here/bin/jpgpool" -n -f "$d/pgpool.conf" > "$d/jpgpool.log" 2>&1 &
      pids+=($!); wait_port "$JPG_PORT"; port[jpgpool]=$JPG_PORT ;;
    pgpool)
      if ! command -v pgpool >/dev/null; then echo "(pgpool not installed: skipped)"; continue; fi
      d=$BASE/pgpool; mkdir -p "$d"; [ "$(id -u)" = 0 ] && chown postgres: "$d"
      { echo "backend_clustering_mode = 'native_replication'"; echo "listen_addresses = '127.0.0.1'"
        echo "port = $PGPOOL_PORT"; echo "unix_socket_directories = '$d'"; echo "pcp_listen_addresses = '127.0.0.1'"
        echo "pcp_port = $PGPOOL_PCP_PORT"; echo "pcp_socket_dir = '$d'"; backends
        echo "num_init_children = 32"; echo "max_pool = 1"; echo "enable_pool_hba = off"; echo "pool_passwd = ''"
        echo "health_check_period = 0"; echo "sr_check_period = 0"; echo "logdir = '$d'"
        echo "pid_file_name = '$d/pgpool.pid'"; echo "log_min_messages = warning"
        echo "replication_stop_on_mismatch = on"; echo "failover_if_affected_tuples_mismatch = on"
      } | AS tee "$d/pgpool.conf" >/dev/null
      echo "pcpadmin:$(echo -n pcpadmin | md5sum | cut -d' ' -f1)" | AS tee "$d/pcp.conf" >/dev/null
      echo "host all all 127.0.0.1/32 trust" | AS tee "$d/pool_hba.conf" >/dev/null
      AS pgpool -n -D -f "$d/pgpool.conf" -F "$d/pcp.conf" -a "$d/pool_hba.conf" > "$d/pgpool.log" 2>&1 &
      pids+=($!); wait_port "$PGPOOL_PORT"; port[pgpool]=$PGPOOL_PORT ;;
  esac
done
order=(direct); for t in $TARGETS; do [ -n "${port[$t]:-}" ] && [ "$t" != direct ] && order+=("$t"); done

identical() {  # every pgbench table hashes the same on the three servers
  local t sums
  for t in pgbench_accounts pgbench_branches pgbench_tellers pgbench_history; do
    sums=$(for i in 0 1 2; do "$PGBIN/psql" -qAtX -h 127.0.0.1 -p $((PG_PORT + i)) -U postgres bench \
      -c "SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM $t t"; done | sort -u | wc -l)
    [ "$sums" = 1 ] || { echo "  $t differs between the servers"; return 1; }
  done
  echo "  the three servers hold the same rows"
}

echo "== warm-up: every target runs TPC-B for ${WARMUP:-20} s first (the JVM compiles jpgpool's hot paths meanwhile)"
for t in "${order[@]}"; do
  "$PGBIN/pgbench" -i -q -s 1 -h 127.0.0.1 -p "${port[$t]}" -U postgres bench > /dev/null 2>&1
  "$PGBIN/pgbench" -n -c "$CLIENTS" -j "$THREADS" -T "${WARMUP:-20}" -h 127.0.0.1 -p "${port[$t]}" -U postgres bench \
    > /dev/null 2>&1 || true
done

declare -A init tps failed
for r in $(seq "$ROUNDS"); do
  echo "== round $r of $ROUNDS"
  for t in "${order[@]}"; do
    start=$(date +%s.%N)
    "$PGBIN/pgbench" -i -q -s "$SCALE" -h 127.0.0.1 -p "${port[$t]}" -U postgres bench > "$BASE/init-$t.log" 2>&1 \
      || { echo "  $t: pgbench -i failed"; tail -3 "$BASE/init-$t.log"; exit 1; }
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    init[$t]="${init[$t]:-} $secs"
    out=$("$PGBIN/pgbench" -n -M "$QUERY_MODE" -c "$CLIENTS" -j "$THREADS" -T "$DURATION" -h 127.0.0.1 \
      -p "${port[$t]}" -U postgres bench 2>&1)
    v=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) .*/\1/p'); f=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
    tps[$t]="${tps[$t]:-} ${v:-0}"; failed[$t]=$(( ${failed[$t]:-0} + ${f:-0} ))
    printf '  %-8s pgbench -i -s %s: %6.2f s   TPC-B: %8.1f tps (%s failed)\n' "$t" "$SCALE" "$secs" "${v:-0}" "${f:-?}"
    [ "$t" != direct ] && identical
  done
done

median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo
echo "== medians of $ROUNDS rounds (scale $SCALE; TPC-B -c $CLIENTS -j $THREADS -T $DURATION, $QUERY_MODE protocol; load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-9s %14s %10s %12s %10s %8s\n' target "pgbench -i (s)" "x direct" "TPC-B tps" "x direct" failed
di=$(median "${init[direct]}"); dt=$(median "${tps[direct]}")
for t in "${order[@]}"; do
  i=$(median "${init[$t]}"); v=$(median "${tps[$t]}")
  printf '%-9s %14.2f %9.2fx %12.1f %9.2fx %8s\n' "$t" "$i" "$(echo "$i / $di" | bc -l)" "$v" "$(echo "$v / $dt" | bc -l)" "${failed[$t]}"
done
if [ -n "${port[pgpool]:-}" ] && [ -n "${port[jpgpool]:-}" ]; then
  echo "jpgpool / Pgpool-II: TPC-B $(echo "$(median "${tps[jpgpool]}") / $(median "${tps[pgpool]}")" | bc -l | cut -c1-5)x," \
    "pgbench -i $(echo "$(median "${init[pgpool]}") / $(median "${init[jpgpool]}")" | bc -l | cut -c1-5)x faster"
fi
