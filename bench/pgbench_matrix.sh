#!/usr/bin/env bash
# pgbench_matrix.sh: throughput of jpgpool against PostgreSQL directly, and against PgBouncer and Pgpool-II
# when they are installed, all in one run on the same throwaway cluster (primary + 2 streaming standbys on
# loopback). Prints TPS, each ratio to direct, and the CPU time the proxy itself used per transaction (its
# processes' user + system time over the run, and the user part of it). A benchmark, not a test.
#
#   bench/pgbench_matrix.sh            (after: mvn -B -q -DskipTests package)
#
# Env: CLIENTS=8 THREADS=2 DURATION=20 WARMUP=30 SCALE=10 PGBIN=/usr/lib/postgresql/15/bin BASE=/tmp/jpgpool-bench
#      ROUNDS=1            repeat the whole matrix, targets interleaved, and print medians (3 or 5 on a noisy host)
#      MODES="select-only tpcb" TARGETS="direct relay jpgpool pgbouncer pgpool" QUERY_MODE=simple
#                          (TARGETS may add jpgpool-primary: a second jpgpool that keeps every read on the primary)
#                          relay: a bare byte relay on jpgpool's transport (benchmarks' ByteRelay), no framing and
#                          no routing, to the primary: the floor of a proxy hop on this host
#      JPGPOOL_THREADS=1   jpgpool's event loops (one, like PgBouncer; "default": jpgpool's own default, one per two cores)
#      BACKEND_SOCKETS=0   1: every proxy reaches PostgreSQL through its Unix socket instead of 127.0.0.1
#      CLIENT_SOCKETS=0    1: pgbench reaches each target through its Unix socket (the relay has none: TCP)
#      WEIGHTS="1 1 1"     jpgpool's backend_weight0..2 ("1 0 0": reads stay on the primary, like PgBouncer)
#      JPGPOOL_JAVA_OPTS   extra JVM options for jpgpool; JPGPOOL_PRIMARY_JAVA_OPTS replaces them for jpgpool-primary
#                          (with WEIGHTS="1 0 0" the two instances then A/B a JVM option in one run)
#      CONNECT=0           1: a new connection for every transaction (pgbench -C): session setup through each proxy
#      LATENCY=0           1: pgbench logs a sample of its transactions (SAMPLING=0.2) and each row adds its p99 latency
#      MEMORY=0            1: each proxy's resident memory (and jpgpool's used heap) in the middle of each run
#      JPGPOOL_CONF        extra pgpool.conf lines for jpgpool; JPGPOOL_PRIMARY_CONF replaces them for jpgpool-primary
#                          (bench/metrics_overhead.sh A/Bs metrics_port this way)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
CLIENTS=${CLIENTS:-8} THREADS=${THREADS:-2} DURATION=${DURATION:-20} WARMUP=${WARMUP:-30} SCALE=${SCALE:-10}
THREADS=$(( THREADS > CLIENTS ? CLIENTS : THREADS ))
CONNECT=${CONNECT:-0} LATENCY=${LATENCY:-0} SAMPLING=${SAMPLING:-0.2} MEMORY=${MEMORY:-0}
ROUNDS=${ROUNDS:-1} JPGPOOL_THREADS=${JPGPOOL_THREADS:-1} BACKEND_SOCKETS=${BACKEND_SOCKETS:-0} CLIENT_SOCKETS=${CLIENT_SOCKETS:-0}
WEIGHTS=(${WEIGHTS:-1 1 1})
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin} BASE=${BASE:-/tmp/jpgpool-bench}
MODES=${MODES:-"select-only tpcb"} TARGETS=${TARGETS:-"direct relay jpgpool pgbouncer pgpool"} QUERY_MODE=${QUERY_MODE:-simple}
PG_PORT=${PG_PORT:-25432} JPG_PORT=${JPG_PORT:-29999} BOUNCER_PORT=${BOUNCER_PORT:-26432} PGPOOL_PORT=${PGPOOL_PORT:-29998}
PGPOOL_PCP_PORT=${PGPOOL_PCP_PORT:-29898} RELAY_PORT=${RELAY_PORT:-27432}

. "$here/bench/common.sh"
[ -e "$BASE" ] && { echo "$BASE exists; remove it first" >&2; exit 1; }

pids=()
trap 'clean_up_base "$BASE"/*.log' EXIT

echo "== cluster: primary + 2 standbys under $BASE"
mkdir -p "$BASE"; chmod 755 "$BASE"; [ "$(id -u)" = 0 ] && chown postgres: "$BASE"
# every client of a session-mode proxy holds a server connection (jpgpool: one to the primary and one to its
# standby), and the proxies keep theirs pooled while the other targets run: three per client
max_conn=$(( CLIENTS * 3 + 100 > 200 ? CLIENTS * 3 + 100 : 200 ))
start_primary "$BASE" "$PG_PORT" "hot_standby_feedback = on" "max_connections = $max_conn"
start_standbys "$BASE" "$PG_PORT" 2
# a database of its own, as an application has: Pgpool-II and jpgpool never keep connections to postgres,
# template0 and template1 (connection_cache), so a benchmark there measures no pooling
"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres bench
"$PGBIN/pgbench" -i -q -s "$SCALE" -h 127.0.0.1 -p "$PG_PORT" -U postgres bench 2>&1 | tail -1
backend_host=127.0.0.1
[ "$BACKEND_SOCKETS" = 1 ] && backend_host=$BASE
sleep 2

start_jpgpool() {  # name port weight0 weight1 weight2
  local d=$BASE/$1
  echo "== $1 on :$2 (weights $3 $4 $5)"
  mkdir -p "$d"
  local w=("$3" "$4" "$5")
  {
    jpgpool_conf "$d" "$2" "$backend_host" "${w[@]}"
    echo "sr_check_period = 10"; echo "sr_check_user = 'postgres'"
    echo "num_init_children = $(( CLIENTS > 64 ? CLIENTS + 8 : 64 ))"
    local conf=${JPGPOOL_CONF:-}; [ "$1" = jpgpool-primary ] && conf=${JPGPOOL_PRIMARY_CONF:-$conf}
    if [ -n "$conf" ]; then printf '%s\n' "$conf"; fi
  } > "$d/pgpool.conf"
  local extra=${JPGPOOL_JAVA_OPTS:-}; [ "$1" = jpgpool-primary ] && extra=${JPGPOOL_PRIMARY_JAVA_OPTS:-$extra}
  local threads="-Djpgpool.threads=$JPGPOOL_THREADS"; [ "$JPGPOOL_THREADS" = default ] && threads=
  JPGPOOL_JAVA_OPTS="$threads $extra" launch_jpgpool "$d" "$2"
}
[[ " $TARGETS " == *" jpgpool "* ]] && start_jpgpool jpgpool "$JPG_PORT" "${WEIGHTS[@]}"
# like for like with PgBouncer: every read on the primary
[[ " $TARGETS " == *" jpgpool-primary "* ]] && start_jpgpool jpgpool-primary "$((JPG_PORT + 1))" 1 0 0

# the processes whose CPU time counts as the proxy's, by target name
declare -A proxy_pid
[[ " $TARGETS " == *" jpgpool "* ]] && proxy_pid[jpgpool]=$(cat "$BASE/jpgpool/jpgpool.pid")
[[ " $TARGETS " == *" jpgpool-primary "* ]] && proxy_pid[jpgpool-primary]=$(cat "$BASE/jpgpool-primary/jpgpool.pid")

targets=("direct:$PG_PORT")
for t in $TARGETS; do
  case $t in
    jpgpool) targets+=("jpgpool:$JPG_PORT") ;;
    jpgpool-primary) targets+=("jpgpool-primary:$((JPG_PORT + 1))") ;;
    relay)
      [ -f "$here/benchmarks/target/benchmarks.jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
      "${JAVA:-java}" -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled \
        -cp "$here/benchmarks/target/benchmarks.jar:$here/benchmarks/target/lib/*" io.jpgpool.bench.ByteRelay \
        "$RELAY_PORT" 127.0.0.1 "$PG_PORT" "$([ "$JPGPOOL_THREADS" = default ] && nproc || echo "$JPGPOOL_THREADS")" \
        > "$BASE/relay.log" 2>&1 &
      pids+=($!); proxy_pid[relay]=$!
      wait_port "$RELAY_PORT" && targets+=("relay:$RELAY_PORT") ;;
    pgbouncer)
      if command -v pgbouncer >/dev/null; then
        BOUNCER_MAX_CLIENT_CONN=$(( CLIENTS + 100 > 200 ? CLIENTS + 100 : 200 )) \
        BOUNCER_POOL_SIZE=$(( CLIENTS > 20 ? CLIENTS + 4 : 20 )) \
          start_pgbouncer "$BASE/pgbouncer" "$BOUNCER_PORT" "$backend_host" "$PG_PORT"
        wait_port "$BOUNCER_PORT" && targets+=("pgbouncer:$BOUNCER_PORT")
        proxy_pid[pgbouncer]=$(tr -d '\0' < "$BASE/pgbouncer/pgbouncer.pid")
      else echo "(pgbouncer not installed: skipped)"; fi ;;
    pgpool)
      if command -v pgpool >/dev/null; then
        d=$BASE/pgpool; mkdir -p "$d"; [ "$(id -u)" = 0 ] && chown postgres: "$d"
        {
          echo "backend_clustering_mode = 'streaming_replication'"
          echo "listen_addresses = '127.0.0.1'"; echo "port = $PGPOOL_PORT"; echo "unix_socket_directories = '$d'"
          echo "socket_dir = '$d'"; echo "pcp_listen_addresses = '127.0.0.1'"; echo "pcp_port = $PGPOOL_PCP_PORT"
          echo "pcp_socket_dir = '$d'"; echo "wd_ipc_socket_dir = '$d'"
          for i in 0 1 2; do
            echo "backend_hostname$i = '$backend_host'"; echo "backend_port$i = $((PG_PORT + i))"
            echo "backend_weight$i = ${WEIGHTS[$i]}"; echo "backend_application_name$i = 'node$i'"
            echo "backend_flag$i = 'ALLOW_TO_FAILOVER'"
          done
          echo "enable_pool_hba = off"; echo "pool_passwd = '$d/pool_passwd'"
          echo "num_init_children = 16"; echo "max_pool = 4"; echo "load_balance_mode = on"
          echo "sr_check_period = 10"; echo "sr_check_user = 'postgres'"; echo "health_check_period = 0"
          echo "memqcache_oiddir = '$d/oiddir'"; echo "pid_file_name = '$d/pgpool.pid'"; echo "logdir = '$d'"
          echo "log_min_messages = warning"
        } | AS tee "$d/pgpool.conf" >/dev/null
        AS touch "$d/pool_passwd" "$d/pcp.conf" "$d/pool_hba.conf"
        AS pgpool -n -D -f "$d/pgpool.conf" -F "$d/pcp.conf" -a "$d/pool_hba.conf" > "$d/pgpool.log" 2>&1 &
        pids+=($!)
        wait_port "$PGPOOL_PORT" && targets+=("pgpool:$PGPOOL_PORT")
        for _ in $(seq 50); do [ -s "$d/pgpool.pid" ] && break; sleep 0.1; done
        proxy_pid[pgpool]=$(tr -d '\0' < "$d/pgpool.pid")
      else echo "(pgpool not installed: skipped)"; fi ;;
  esac
done

# where pgbench reaches each target with CLIENT_SOCKETS=1: its Unix socket directory (the relay has none)
declare -A socket_dir=([direct]=$BASE [jpgpool]=$BASE/jpgpool [jpgpool-primary]=$BASE/jpgpool-primary
                       [pgbouncer]=$BASE/pgbouncer [pgpool]=$BASE/pgpool)
run() {  # port mode seconds target
  local flags=(-c "$CLIENTS" -j "$THREADS" -T "$3" -M "$QUERY_MODE" -n) host=127.0.0.1
  [ "$2" = select-only ] && flags+=(-S)
  [ "$CONNECT" = 1 ] && flags+=(-C)
  [ -n "${5:-}" ] && flags+=(-l --sampling-rate="$SAMPLING" --log-prefix="$5")
  [ "$CLIENT_SOCKETS" = 1 ] && [ -n "${socket_dir[$4]:-}" ] && host=${socket_dir[$4]}
  "$PGBIN/pgbench" "${flags[@]}" -h "$host" -p "$1" -U postgres bench 2>&1
}

# the JVM compiles jpgpool's hot paths while it runs them; with PostgreSQL and pgbench on the same 2 cores
# its compiler threads need some 20-40 s of load per workload, so every target runs every mode first
echo "== warm-up ${WARMUP}s per target and mode (JIT, connection pools)"
for t in "${targets[@]}"; do for mode in $MODES; do run "${t##*:}" "$mode" "$WARMUP" "${t%%:*}" >/dev/null; done; done

cpu_ticks() { awk '/^cpu /{ print $5+$6, $9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }  # idle (with iowait: a thread waiting in io_uring counts as iowait), steal, total
# user and system clock ticks of a process and all its descendants (exited children included: cutime, cstime)
tree_ticks() {
  [ -z "$1" ] && { echo 0 0; return; }
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '
    { p = $1; sub(/^[0-9]+ \(.*\) /, ""); ppid[p] = $2; u[p] = $12 + $14; s[p] = $13 + $15 }
    END {
      user = 0; sys = 0
      for (p in u) {
        q = p; while (q != root && q + 0 > 1 && (q in ppid)) q = ppid[q]
        if (q == root) { user += u[p]; sys += s[p] }
      }
      print user, sys
    }'
}
hz=$(getconf CLK_TCK)

# ROUNDS > 1 interleaves the targets round by round, so that a noisy neighbour slows all of them alike;
# each round's ratio is to that round's direct run, and the summary gives the medians.
# proxy-us/tx: the proxy's CPU time per transaction, user + system, and of that its user time
# the p99 of the sampled transactions' latencies, in ms, from pgbench's logs (column 3: latency in µs)
p99_of() {
  cat "$1".* 2>/dev/null | awk '{ print $3 }' | sort -n |
    awk '{ v[NR] = $1 } END { if (!NR) { print "-"; exit } i = int(NR * 0.99 + 0.5); if (i < 1) i = 1; printf "%.2f", v[i] / 1000 }'
  rm -f "$1".*
}
# resident memory of a proxy's process tree in MB, and for jpgpool its heap in use after a GC
memory_of() {
  local pid=$1 rss heap=-
  rss=$({ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$pid" -v page="$(getconf PAGESIZE)" '
    { p = $1; sub(/^[0-9]+ \(.*\) /, ""); ppid[p] = $2; r[p] = $22 }
    END { t = 0; for (p in r) { q = p; while (q != root && q + 0 > 1 && (q in ppid)) q = ppid[q]; if (q == root) t += r[p] }
          printf "%.0f", t * page / 1048576 }')
  if [ "$2" = jpgpool ] || [ "$2" = jpgpool-primary ]; then
    heap=$(jcmd "$pid" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); printf "%.0f", v / 1024; exit } }')
  fi
  echo "$rss ${heap:--}"
}
extra_head=
[ "$LATENCY" = 1 ] && extra_head+=$(printf ' %8s' p99-ms)
[ "$MEMORY" = 1 ] && extra_head+=$(printf ' %8s %8s' rss-MB heap-MB)
printf '\n%-15s %-12s %5s %12s %8s %8s %8s %8s %12s %8s%s\n' target mode round tps ratio failed idle% steal% proxy-us/tx user "$extra_head"
declare -A round_direct ratios tpss
for mode in $MODES; do
  for round in $(seq "$ROUNDS"); do
    for t in "${targets[@]}"; do
      name=${t%%:*} port=${t##*:}
      read -r idle0 steal0 total0 < <(cpu_ticks)
      read -r pu0 ps0 < <(tree_ticks "${proxy_pid[$name]:-}")
      lat=; [ "$LATENCY" = 1 ] && lat=$BASE/latency-$name
      memfile=$BASE/memory-$name; rm -f "$memfile"; sampler=
      if [ "$MEMORY" = 1 ] && [ -n "${proxy_pid[$name]:-}" ]; then
        ( sleep $(( DURATION / 2 )); memory_of "${proxy_pid[$name]}" "$name" > "$memfile" ) &
        sampler=$!
      fi
      out=$(run "$port" "$mode" "$DURATION" "$name" "$lat")
      [ -n "$sampler" ] && wait "$sampler"
      read -r pu1 ps1 < <(tree_ticks "${proxy_pid[$name]:-}")
      read -r idle1 steal1 total1 < <(cpu_ticks)
      tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"$out")
      failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out")
      txs=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
      proxy_us=- user_us=-
      if [ -n "${proxy_pid[$name]:-}" ] && [ "${txs:-0}" -gt 0 ]; then
        read -r proxy_us user_us < <(awk -v u=$((pu1 - pu0)) -v s=$((ps1 - ps0)) -v hz="$hz" -v n="$txs" \
          'BEGIN { printf "%.1f %.1f\n", (u + s) * 1e6 / hz / n, u * 1e6 / hz / n }')
      fi
      [ "$name" = direct ] && round_direct[$mode]=$tps
      ratio=$(awk -v a="$tps" -v b="${round_direct[$mode]}" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "-" }')
      ratios[$name/$mode]+="$ratio " tpss[$name/$mode]+="$tps "
      extra=
      [ "$LATENCY" = 1 ] && extra+=$(printf ' %8s' "$(p99_of "$lat")")
      if [ "$MEMORY" = 1 ]; then
        read -r rss heap < <(cat "$memfile" 2>/dev/null || echo "- -")
        extra+=$(printf ' %8s %8s' "$rss" "$heap")
      fi
      printf '%-15s %-12s %5s %12.0f %7sx %8s %8.0f %8.0f %12s %8s%s\n' "$name" "$mode" "$round" "$tps" "$ratio" "${failed:-?}" \
        "$(( (idle1 - idle0) * 100 / (total1 - total0) ))" "$(( (steal1 - steal0) * 100 / (total1 - total0) ))" "$proxy_us" "$user_us" "$extra"
    done
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
if [ "$ROUNDS" -gt 1 ]; then
  printf '\nmedians of %s rounds\n%-15s %-12s %12s %8s\n' "$ROUNDS" target mode tps ratio
  for mode in $MODES; do
    for t in "${targets[@]}"; do
      name=${t%%:*}
      printf '%-15s %-12s %12.0f %7.2fx\n' "$name" "$mode" "$(median <<<"${tpss[$name/$mode]}")" "$(median <<<"${ratios[$name/$mode]}")"
    done
  done
fi
echo
echo "clients=$CLIENTS threads=$THREADS duration=${DURATION}s scale=$SCALE query mode=$QUERY_MODE$([ "$CONNECT" = 1 ] && echo ", a connection per transaction (-C)");" \
     "jpgpool event loops=$JPGPOOL_THREADS; weights ${WEIGHTS[*]} (jpgpool, Pgpool-II);" \
     "pgbench via $([ "$CLIENT_SOCKETS" = 1 ] && echo Unix sockets || echo TCP 127.0.0.1);" \
     "backends via $([ "$BACKEND_SOCKETS" = 1 ] && echo Unix sockets || echo TCP 127.0.0.1); $(nproc) cores"
