#!/usr/bin/env bash
# query_cache_bench.sh: what the query cache (memory_cache_enabled) buys for a read-mostly load. One throwaway
# primary, two jpgpools that differ only in memory_cache_enabled, and pgbench select-only with a custom script
# that reads a small set of keys again and again (KEYS accounts: after the first read of each, every read is a
# hit). Rounds are interleaved, cache off then on; prints each round's TPS, the medians and their ratio, and SHOW
# pool_cache of the cached jpgpool at the end (hits, selects, hit ratio). A benchmark, not a test.
#
#   bench/query_cache_bench.sh         (after: mvn -B -q -DskipTests package)
#
# Env: ROUNDS=3 DURATION=10 WARMUP=5 CLIENTS=8 THREADS=2 SCALE=10 KEYS=100 QUERY_MODE=simple (or extended, prepared)
#      JPGPOOL_THREADS=1 PGBIN=/usr/lib/postgresql/15/bin BASE=/tmp/jpgpool-qcache-bench
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-10} WARMUP=${WARMUP:-5} CLIENTS=${CLIENTS:-8} THREADS=${THREADS:-2}
SCALE=${SCALE:-10} KEYS=${KEYS:-100} QUERY_MODE=${QUERY_MODE:-simple} JPGPOOL_THREADS=${JPGPOOL_THREADS:-1}
THREADS=$(( THREADS > CLIENTS ? CLIENTS : THREADS ))
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin} BASE=${BASE:-/tmp/jpgpool-qcache-bench}
PG_PORT=${PG_PORT:-25632} OFF_PORT=${OFF_PORT:-29997} ON_PORT=${ON_PORT:-29996}

. "$here/bench/common.sh"
[ -e "$BASE" ] && { echo "$BASE exists; remove it first" >&2; exit 1; }

pids=()
trap clean_up_base EXIT

echo "== primary under $BASE, pgbench scale $SCALE"
mkdir -p "$BASE"; chmod 755 "$BASE"; [ "$(id -u)" = 0 ] && chown postgres: "$BASE"
start_primary "$BASE" "$PG_PORT"
# a database of its own, as an application has (connections to postgres are never kept: connection_cache)
"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres bench
"$PGBIN/pgbench" -i -q -s "$SCALE" -h 127.0.0.1 -p "$PG_PORT" -U postgres bench 2>&1 | tail -1

start_jpgpool() {  # name port extra-conf-line
  local d=$BASE/$1
  mkdir -p "$d"
  {
    jpgpool_conf "$d" "$2" 127.0.0.1 1
    echo "sr_check_period = 0"; echo "num_init_children = $(( CLIENTS > 64 ? CLIENTS + 8 : 64 ))"
    echo "$3"
  } > "$d/pgpool.conf"
  echo "== $1 on :$2 ($3)"
  JPGPOOL_JAVA_OPTS="-Djpgpool.threads=$JPGPOOL_THREADS" launch_jpgpool "$d" "$2"
}
start_jpgpool cache-off "$OFF_PORT" "memory_cache_enabled = off"
start_jpgpool cache-on "$ON_PORT" "memory_cache_enabled = on"

# pgbench -S's statement, over KEYS accounts only
script=$BASE/select_keys.sql
printf '\\set aid random(1, %d)\nSELECT abalance FROM pgbench_accounts WHERE aid = :aid;\n' "$KEYS" > "$script"

run() {  # port seconds -> tps
  "$PGBIN/pgbench" -n -h 127.0.0.1 -p "$1" -U postgres -M "$QUERY_MODE" -c "$CLIENTS" -j "$THREADS" -T "$2" \
    -f "$script" bench 2>&1 | awk '/^tps/ {print int($3); exit}'
}

echo "== warm-up, $WARMUP s each"
run "$OFF_PORT" "$WARMUP" >/dev/null
run "$ON_PORT" "$WARMUP" >/dev/null

echo "== $ROUNDS rounds of $DURATION s, $CLIENTS clients, $KEYS keys, -M $QUERY_MODE"
printf '%-6s %12s %12s %8s\n' round "cache off" "cache on" ratio
offs=() ons=()
for r in $(seq "$ROUNDS"); do
  off=$(run "$OFF_PORT" "$DURATION")
  on=$(run "$ON_PORT" "$DURATION")
  offs+=("$off"); ons+=("$on")
  awk -v r="$r" -v off="$off" -v on="$on" 'BEGIN { printf "%-6s %12d %12d %7.2fx\n", r, off, on, on / off }'
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
moff=$(median "${offs[@]}") mon=$(median "${ons[@]}")
awk -v off="$moff" -v on="$mon" -v n="$ROUNDS" 'BEGIN {
  printf "medians of %d rounds: cache off %.0f TPS, cache on %.0f TPS: %.2fx\n", n, off, on, on / off }'
echo "== SHOW pool_cache of the cached jpgpool (warm-up included)"
"$PGBIN/psql" -X -h 127.0.0.1 -p "$ON_PORT" -U postgres -d postgres -c "SHOW pool_cache"
