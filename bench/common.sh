# Sourced by the benchmarks: what they all do alike. Uses the caller's here, PGBIN and pids.

# AS: runs a command as the postgres OS user when the benchmark runs as root (PostgreSQL refuses root)
if [ "$(id -u)" = 0 ]; then AS() { runuser -u postgres -- "$@"; }; else AS() { "$@"; }; fi
[ -f "$here/launcher/target/jpgpool.jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
# a module's jar older than its sources measures other code than the checkout's (a merge since the last build)
for src in "$here"/*/src/main; do
  module=$(basename "$(dirname "$(dirname "$src")")")
  jar=$(find "$here/launcher/target/lib" -name "jpgpool-$module-*.jar" -print -quit 2>/dev/null || true)
  [ "$module" = launcher ] && jar=$here/launcher/target/jpgpool.jar
  [ -n "$jar" ] || continue
  if [ -n "$(find "$src" -newer "$jar" -type f -print -quit)" ]; then
    echo "$jar is older than $module's sources: rebuild (mvn -B -q -DskipTests package)" >&2
    exit 1
  fi
done

# wait_port PORT: until a PostgreSQL server (or proxy) answers on 127.0.0.1:PORT, at most 60 s
wait_port() {
  for _ in $(seq 600); do
    "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$1" -U postgres -d postgres && return 0
    sleep 0.1
  done
  echo "port $1 did not come up" >&2
  return 1
}

# wait_file FILE: until FILE exists and is not empty (jpgpool writes its pid file just after its port opens), at most 10 s
wait_file() {
  for _ in $(seq 100); do
    [ -s "$1" ] && return 0
    sleep 0.1
  done
  echo "$1 did not appear" >&2
  return 1
}

# start_primary BASE PORT [CONF_LINE...]: a throwaway primary in BASE/node0 (trust, no durability, its Unix socket
# in BASE), started; its log is BASE/node0.log
start_primary() {
  local base=$1 port=$2
  shift 2
  AS "$PGBIN/initdb" -D "$base/node0/data" -U postgres -A trust --no-sync >/dev/null
  {
    cat <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$base'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
max_connections = 200
CONF
    printf '%s\n' "$@"
  } | AS tee -a "$base/node0/data/postgresql.conf" >/dev/null
  AS "$PGBIN/pg_ctl" -D "$base/node0/data" -l "$base/node0.log" -w start >/dev/null
}

# start_standbys BASE PORT N: N streaming standbys of the primary on PORT, in BASE/node1..N on PORT+1..N, started;
# their logs are BASE/node1.log..
start_standbys() {
  local base=$1 port=$2 i
  for i in $(seq "$3"); do
    AS "$PGBIN/pg_basebackup" -d "host=127.0.0.1 port=$port user=postgres application_name=node$i" \
       -D "$base/node$i/data" -R -X stream -c fast --no-sync
    echo "port = $((port + i))" | AS tee -a "$base/node$i/data/postgresql.conf" >/dev/null
    AS "$PGBIN/pg_ctl" -D "$base/node$i/data" -l "$base/node$i.log" -w start >/dev/null
  done
}

# PgBouncer as the benchmarks run it (session pooling, trust, in one directory).
# start_pgbouncer DIR PORT BACKEND_HOST BACKEND_PORT [INI_LINE...]: writes DIR/pgbouncer.ini (the lines added to
# [pgbouncer]) and starts it in the background; its pid file is DIR/pgbouncer.pid.
start_pgbouncer() {
  local dir=$1 port=$2 host=$3 backend_port=$4
  shift 4
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  {
    cat <<INI
[databases]
* = host=$host port=$backend_port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir = $dir
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = session
max_client_conn = ${BOUNCER_MAX_CLIENT_CONN:-200}
default_pool_size = ${BOUNCER_POOL_SIZE:-20}
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    printf '%s\n' "$@"
  } | AS tee "$dir/pgbouncer.ini" >/dev/null
  echo '"postgres" ""' | AS tee "$dir/userlist.txt" >/dev/null
  AS pgbouncer -q "$dir/pgbouncer.ini" >/dev/null 2>&1 &
  pids+=($!)
}

# jpgpool_conf DIR PORT BACKEND_HOST WEIGHT...: the pgpool.conf lines every benchmark's jpgpool has (its port,
# socket and logs in DIR, no PCP listener, one backend per weight on the caller's PG_PORT, PG_PORT+1, ...); the
# caller adds its own lines after them
jpgpool_conf() {
  local d=$1 port=$2 host=$3 i=0 w
  shift 3
  echo "listen_addresses = '127.0.0.1'"; echo "port = $port"; echo "socket_dir = '$d'"
  echo "pcp_listen_addresses = ''"; echo "pcp_port = $((port - 100))"
  for w in "$@"; do
    echo "backend_hostname$i = '$host'"; echo "backend_port$i = $((PG_PORT + i))"
    echo "backend_weight$i = $w"; echo "backend_application_name$i = 'node$i'"
    i=$((i + 1))
  done
  echo "pool_passwd = ''"; echo "logdir = '$d'"; echo "pid_file_name = '$d/jpgpool.pid'"
}

# launch_jpgpool DIR PORT: starts jpgpool on DIR/pgpool.conf (JPGPOOL_JAVA_OPTS as the caller's environment has
# it), its output in DIR/jpgpool.log, and waits for its port and its pid file
launch_jpgpool() {
  "$here/bin/jpgpool" -n -f "$1/pgpool.conf" > "$1/jpgpool.log" 2>&1 &
  pids+=($!)
  wait_port "$2"
  wait_file "$1/jpgpool.pid"
}

# clean_up_base [LOG...]: the benchmark's end (its EXIT trap): stops what it started (the caller's pids, and
# PgBouncer and Pgpool-II by their pid files under BASE, since runuser's children outlive it), copies the LOGs to
# /tmp when KEEP_LOGS is set, stops every server under BASE and removes BASE
clean_up_base() {
  local p f d
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for f in "$BASE/pgbouncer/pgbouncer.pid" "$BASE/pgpool/pgpool.pid"; do
    if [ -f "$f" ]; then kill "$(tr -d '\0' < "$f")" 2>/dev/null || true; fi
  done
  sleep 1
  if [ -n "${KEEP_LOGS:-}" ] && [ $# -gt 0 ]; then cp "$@" /tmp/ 2>/dev/null || true; fi
  for d in "$BASE"/node*; do
    if [ -f "$d/data/postmaster.pid" ]; then
      AS "$PGBIN/pg_ctl" -D "$d/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
  done
  rm -rf "$BASE"
}
