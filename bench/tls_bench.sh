#!/usr/bin/env bash
# tls_bench.sh: jpgpool and PgBouncer with TLS to their clients, in one run against one throwaway primary (no TLS
# between the proxies and PostgreSQL: both are asked for TLS only by pgbench). Measures select-only TPS over TLS
# (pgbench -S, sslmode=require) and the rate of new TLS connections (pgbench -C -S: a connection, its handshake
# and login, then one SELECT), with PostgreSQL reached directly in clear text as the reference. The targets run
# interleaved, round by round, and the medians are printed; so is the host's load. A benchmark, not a test.
#
#   bench/tls_bench.sh            (after: mvn -B -q -DskipTests package)
#
# Env: CLIENTS=8 THREADS=2 DURATION=20 CONNECT_DURATION=10 WARMUP=30 ROUNDS=3 SCALE=10 JPGPOOL_THREADS=1
#      PGBIN=/usr/lib/postgresql/15/bin BASE=/tmp/jpgpool-tls-bench JPGPOOL_JAVA_OPTS (extra JVM options)
#      MODES="select-only connect"  SSLMODE=require (disable: the same without TLS, for comparison)
#      JPGPOOL_CONF        extra pgpool.conf lines (e.g. "ssl_ecdh_curve = 'X25519'")
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
CLIENTS=${CLIENTS:-8} THREADS=${THREADS:-2} DURATION=${DURATION:-20} CONNECT_DURATION=${CONNECT_DURATION:-10}
WARMUP=${WARMUP:-30} ROUNDS=${ROUNDS:-3} SCALE=${SCALE:-10} JPGPOOL_THREADS=${JPGPOOL_THREADS:-1}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin} BASE=${BASE:-/tmp/jpgpool-tls-bench}
MODES=${MODES:-"select-only connect"} SSLMODE=${SSLMODE:-require}
PG_PORT=${PG_PORT:-25732} JPG_PORT=${JPG_PORT:-29599} BOUNCER_PORT=${BOUNCER_PORT:-26732}

. "$here/bench/common.sh"
command -v pgbouncer >/dev/null || { echo "pgbouncer is not installed" >&2; exit 1; }
[ -e "$BASE" ] && { echo "$BASE exists; remove it first" >&2; exit 1; }

pids=()
trap 'clean_up_base "$BASE"/jpgpool/jpgpool.log "$BASE"/pgbouncer/pgbouncer.log' EXIT

mkdir -p "$BASE/tls"; chmod 755 "$BASE"; [ "$(id -u)" = 0 ] && chown postgres: "$BASE"
echo "== a throwaway CA and a server certificate for 127.0.0.1 (RSA 2048)"
(
  cd "$BASE/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=tls bench CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
  printf 'subjectAltName = DNS:localhost, IP:127.0.0.1\n' > san.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext \
    -out server.crt 2>/dev/null
  chmod 600 server.key
)
[ "$(id -u)" = 0 ] && chown -R postgres: "$BASE/tls"

echo "== PostgreSQL on :$PG_PORT (clear text)"
start_primary "$BASE" "$PG_PORT"
# not "postgres": Pgpool-II and so jpgpool never pool connections to it, and -C would measure new backends
"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres bench
"$PGBIN/pgbench" -i -q -s "$SCALE" -h 127.0.0.1 -p "$PG_PORT" -U postgres bench 2>&1 | tail -1

echo "== jpgpool on :$JPG_PORT (ssl = on)"
d=$BASE/jpgpool; mkdir -p "$d"
cat > "$d/pgpool.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $JPG_PORT
socket_dir = '$d'
pcp_listen_addresses = ''
pcp_port = $((JPG_PORT - 100))
pcp_socket_dir = '$d'
backend_hostname0 = '127.0.0.1'
backend_port0 = $PG_PORT
backend_weight0 = 1
sr_check_period = 10
sr_check_user = 'postgres'
num_init_children = 64
pool_passwd = ''
ssl = on
ssl_cert = '$BASE/tls/server.crt'
ssl_key = '$BASE/tls/server.key'
logdir = '$d'
pid_file_name = '$d/jpgpool.pid'
${JPGPOOL_CONF:-}
CONF
JPGPOOL_JAVA_OPTS="-Djpgpool.threads=$JPGPOOL_THREADS ${JPGPOOL_JAVA_OPTS:-}" \
  "$here/bin/jpgpool" -n -f "$d/pgpool.conf" > "$d/jpgpool.log" 2>&1 &
pids+=($!)
wait_port "$JPG_PORT"
wait_file "$d/jpgpool.pid"

echo "== PgBouncer $(pgbouncer --version | head -1 | cut -d' ' -f2) on :$BOUNCER_PORT (client_tls_sslmode = $([ "$SSLMODE" = disable ] && echo allow || echo require))"
start_pgbouncer "$BASE/pgbouncer" "$BOUNCER_PORT" 127.0.0.1 "$PG_PORT" \
  "client_tls_sslmode = $([ "$SSLMODE" = disable ] && echo allow || echo require)" \
  "client_tls_key_file = $BASE/tls/server.key" "client_tls_cert_file = $BASE/tls/server.crt"
for _ in $(seq 50); do [ -s "$BASE/pgbouncer/pgbouncer.pid" ] && break; sleep 0.1; done
wait_port "$BOUNCER_PORT"

declare -A proxy_pid=([jpgpool]=$(cat "$d/jpgpool.pid") [pgbouncer]=$(tr -d '\0' < "$BASE/pgbouncer/pgbouncer.pid"))
declare -A sslmode=([direct]=disable [jpgpool]=$SSLMODE [pgbouncer]=$SSLMODE)
targets=("direct:$PG_PORT" "jpgpool:$JPG_PORT" "pgbouncer:$BOUNCER_PORT")
for t in jpgpool pgbouncer; do
  port=$([ $t = jpgpool ] && echo "$JPG_PORT" || echo "$BOUNCER_PORT")
  echo "   $t: $(PGSSLMODE=require "$PGBIN/psql" -X -h 127.0.0.1 -p "$port" -U postgres -d postgres -c '\conninfo' \
    | grep -o 'SSL connection.*')"
done

run() {  # target port mode seconds
  local flags=(-c "$CLIENTS" -j "$THREADS" -T "$4" -n -S)
  [ "$3" = connect ] && flags+=(-C)
  PGSSLMODE=${sslmode[$1]} "$PGBIN/pgbench" "${flags[@]}" -h 127.0.0.1 -p "$2" -U postgres bench 2>&1
}
seconds() { [ "$1" = connect ] && echo "$CONNECT_DURATION" || echo "$DURATION"; }

echo "== warm-up ${WARMUP}s per target and mode (JIT, connection pools)"
for t in "${targets[@]}"; do for mode in $MODES; do run "${t%%:*}" "${t##*:}" "$mode" "$WARMUP" >/dev/null; done; done

# user + system clock ticks of a process and its descendants, and the host's idle ticks
tree_ticks() {
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '
    { p = $1; sub(/^[0-9]+ \(.*\) /, ""); ppid[p] = $2; t[p] = $12 + $13 + $14 + $15 }
    END { n = 0; for (p in t) { q = p; while (q != root && q + 0 > 1 && (q in ppid)) q = ppid[q]; if (q == root) n += t[p] }
          print n }'
}
hz=$(getconf CLK_TCK)

# connect: TPS is new TLS connections per second (each runs one SELECT); pgbench also prints the average
# time a connection took. proxy-us/tx: the proxy's CPU time (user + system) per transaction.
printf '\n%-10s %-12s %5s %10s %8s %8s %14s %12s %10s\n' target mode round tps ratio failed conn-time-ms proxy-us/tx load1
declare -A tpss ratios conns direct_tps
for mode in $MODES; do
  for round in $(seq "$ROUNDS"); do
    for t in "${targets[@]}"; do
      name=${t%%:*} port=${t##*:}
      c0=$([ -n "${proxy_pid[$name]:-}" ] && tree_ticks "${proxy_pid[$name]}" || echo 0)
      out=$(run "$name" "$port" "$mode" "$(seconds "$mode")")
      c1=$([ -n "${proxy_pid[$name]:-}" ] && tree_ticks "${proxy_pid[$name]}" || echo 0)
      tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' <<<"$out")
      failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$out")
      txs=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
      conn=$(sed -n 's/^average connection time = \([0-9.]*\) ms/\1/p' <<<"$out")
      proxy_us=-
      [ -n "${proxy_pid[$name]:-}" ] && [ "${txs:-0}" -gt 0 ] &&
        proxy_us=$(awk -v c=$((c1 - c0)) -v hz="$hz" -v n="$txs" 'BEGIN { printf "%.1f", c * 1e6 / hz / n }')
      [ "$name" = direct ] && direct_tps[$mode]=$tps
      ratio=$(awk -v a="$tps" -v b="${direct_tps[$mode]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
      tpss[$name/$mode]+="$tps " ratios[$name/$mode]+="$ratio " conns[$name/$mode]+="${conn:-0} "
      printf '%-10s %-12s %5s %10.0f %7sx %8s %14s %12s %10s\n' "$name" "$mode" "$round" "$tps" "$ratio" \
        "${failed:-?}" "${conn:--}" "$proxy_us" "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '\nmedians of %s rounds (direct: clear text; jpgpool and PgBouncer: sslmode=%s)\n' "$ROUNDS" "$SSLMODE"
printf '%-10s %-12s %10s %8s %14s\n' target mode tps ratio conn-time-ms
for mode in $MODES; do
  for t in "${targets[@]}"; do
    name=${t%%:*}
    printf '%-10s %-12s %10.0f %7.2fx %14s\n' "$name" "$mode" "$(median <<<"${tpss[$name/$mode]}")" \
      "$(median <<<"${ratios[$name/$mode]}")" "$(median <<<"${conns[$name/$mode]}")"
  done
done
echo
echo "clients=$CLIENTS threads=$THREADS select-only ${DURATION}s, connect ${CONNECT_DURATION}s, scale=$SCALE;" \
     "jpgpool event loops=$JPGPOOL_THREADS ($(grep -o 'TLS for clients: .*' "$d/jpgpool.log" | head -1 | grep -o '(.*)'));" \
     "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
