#!/usr/bin/env bash
# spread_cost.sh: what spreading select-only reads over a primary and two standbys costs PostgreSQL itself on
# this host, next to what it costs through jpgpool, all in one run, rounds interleaved target by target.
# A benchmark, not a test. Targets (8 clients each, select-only, simple protocol):
#   direct-spread  three pgbench processes (3, 3 and 2 clients) straight to the three servers
#   direct-one     the same three processes, all to the primary
#   jpgpool-111    jpgpool with its defaults, reads 1:1:1
#   jpgpool-100    jpgpool with its defaults, every read on the primary (backend_weight1, 2 = 0)
#   pgbouncer      PgBouncer in session mode in front of the primary (when installed)
# Prints each round's TPS, then medians and the ratios that separate PostgreSQL's cost from the proxy's:
# direct-spread / direct-one is the ceiling any proxy that spreads reads here can reach against one that does not.
#
#   bench/spread_cost.sh            (after: mvn -B -q -DskipTests package)
#
# Env: ROUNDS=3 DURATION=15 WARMUP=20 SCALE=10 PGBIN=/usr/lib/postgresql/15/bin BASE=/tmp/jpgpool-spread
#      PG_PORT=25532 (standbys +1, +2)  JPG_PORT=29532 (jpgpool-100: +1)  BOUNCER_PORT=26532
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-15} WARMUP=${WARMUP:-20} SCALE=${SCALE:-10}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin} BASE=${BASE:-/tmp/jpgpool-spread}
PG_PORT=${PG_PORT:-25532} JPG_PORT=${JPG_PORT:-29532} BOUNCER_PORT=${BOUNCER_PORT:-26532}

. "$here/bench/common.sh"
[ -e "$BASE" ] && { echo "$BASE exists; remove it first" >&2; exit 1; }

pids=()
trap clean_up_base EXIT

echo "== cluster: primary + 2 standbys under $BASE"
mkdir -p "$BASE"; chmod 755 "$BASE"; [ "$(id -u)" = 0 ] && chown postgres: "$BASE"
start_primary "$BASE" "$PG_PORT" "hot_standby_feedback = on" "max_connections = 200"
start_standbys "$BASE" "$PG_PORT" 2
"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres bench
"$PGBIN/pgbench" -i -q -s "$SCALE" -h 127.0.0.1 -p "$PG_PORT" -U postgres bench 2>&1 | tail -1

start_jpgpool() {  # name port weight1 weight2: jpgpool's defaults otherwise
  local d=$BASE/$1
  mkdir -p "$d"
  { jpgpool_conf "$d" "$2" 127.0.0.1 1 "$3" "$4"; echo "sr_check_period = 10"; echo "sr_check_user = 'postgres'"; } \
    > "$d/pgpool.conf"
  launch_jpgpool "$d" "$2"
}
start_jpgpool jpgpool-111 "$JPG_PORT" 1 1
start_jpgpool jpgpool-100 "$((JPG_PORT + 1))" 0 0
targets=(direct-spread direct-one jpgpool-111 jpgpool-100)
if command -v pgbouncer >/dev/null; then
  start_pgbouncer "$BASE/pgbouncer" "$BOUNCER_PORT" 127.0.0.1 "$PG_PORT"
  wait_port "$BOUNCER_PORT"
  targets+=(pgbouncer)
else echo "(pgbouncer not installed: skipped)"; fi

# tps SECONDS PORT...: select-only TPS of 8 clients; one port: one pgbench with 2 threads; three ports: three
# pgbench processes (3, 3 and 2 clients), their TPS summed
tps() {
  local secs=$1 out=$BASE/pgbench; shift
  if [ $# = 1 ]; then
    "$PGBIN/pgbench" -S -n -c 8 -j 2 -T "$secs" -h 127.0.0.1 -p "$1" -U postgres bench > "$out.0" 2>&1
    awk '/^tps/ { printf "%.0f", $3 }' "$out.0"
    return
  fi
  local clients=(3 3 2) i=0 running=()
  for port in "$@"; do
    "$PGBIN/pgbench" -S -n -c "${clients[$i]}" -j 1 -T "$secs" -h 127.0.0.1 -p "$port" -U postgres bench > "$out.$i" 2>&1 &
    running+=($!); i=$((i + 1))
  done
  wait "${running[@]}"
  cat "$out".[012] | awk '/^tps/ { s += $3 } END { printf "%.0f", s }'
}
run() {  # target seconds
  case $1 in
    direct-spread) tps "$2" "$PG_PORT" "$((PG_PORT + 1))" "$((PG_PORT + 2))" ;;
    direct-one) tps "$2" "$PG_PORT" "$PG_PORT" "$PG_PORT" ;;
    jpgpool-111) tps "$2" "$JPG_PORT" ;;
    jpgpool-100) tps "$2" "$((JPG_PORT + 1))" ;;
    pgbouncer) tps "$2" "$BOUNCER_PORT" ;;
  esac
}

echo "== warm-up ${WARMUP}s per target (JIT, connection pools)"
for t in "${targets[@]}"; do run "$t" "$WARMUP" >/dev/null; done

declare -A all
for r in $(seq "$ROUNDS"); do
  line="round $r:"
  for t in "${targets[@]}"; do
    v=$(run "$t" "$DURATION")
    all[$t]="${all[$t]:-} $v"
    line="$line $t $v"
  done
  echo "$line"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A med
echo "== medians of $ROUNDS rounds of ${DURATION}s (select-only TPS, 8 clients)"
for t in "${targets[@]}"; do med[$t]=$(echo "${all[$t]}" | median); printf '%-14s %8.0f\n' "$t" "${med[$t]}"; done
ratio() { awk -v a="${med[$1]}" -v b="${med[$2]}" 'BEGIN { printf "%.2f", a / b }'; }
echo "direct-spread / direct-one   $(ratio direct-spread direct-one)   (PostgreSQL's own cost of spreading reads here)"
echo "jpgpool-111 / jpgpool-100    $(ratio jpgpool-111 jpgpool-100)"
if [ -n "${med[pgbouncer]:-}" ]; then
  echo "jpgpool-100 / pgbouncer      $(ratio jpgpool-100 pgbouncer)   (both on the primary alone)"
  echo "jpgpool-111 / pgbouncer      $(ratio jpgpool-111 pgbouncer)"
fi
