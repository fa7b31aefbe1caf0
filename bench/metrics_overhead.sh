#!/usr/bin/env bash
# metrics_overhead.sh: what the Prometheus endpoint costs. bench/pgbench_matrix.sh runs two jpgpools that differ
# only in metrics_port (every read on the primary, one event loop each) on one throwaway cluster, select-only,
# interleaved round by round; the one with the endpoint is scraped every second for the whole run (the curl loop
# runs during the other targets' rounds too, so its own CPU weighs on all of them alike). Prints the matrix, the
# median TPS of each and the difference, the scrapes that answered and the load average. A benchmark, not a test.
#
#   bench/metrics_overhead.sh          (after: mvn -B -q -DskipTests package)
#
# Env: ROUNDS=5 DURATION=20 WARMUP=30 METRICS_PORT=29187, and pgbench_matrix.sh's own (CLIENTS, SCALE...)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
METRICS_PORT=${METRICS_PORT:-29187}
export ROUNDS=${ROUNDS:-5} MODES=select-only TARGETS="jpgpool jpgpool-primary" WEIGHTS="1 0 0"
export JPGPOOL_CONF="" JPGPOOL_PRIMARY_CONF="metrics_listen_addresses = '127.0.0.1'
metrics_port = $METRICS_PORT"

work=$(mktemp -d)
scrapes=$work/scrapes
scraper() {
  while true; do
    # status, seconds, bytes of each scrape; 000 while jpgpool is not up yet
    curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total} %{size_download}\n' \
      "http://127.0.0.1:$METRICS_PORT/metrics" >> "$scrapes" || true
    sleep 1
  done
}
scraper &
scraper_pid=$!
trap 'kill "$scraper_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$here/bench/pgbench_matrix.sh" | tee "$work/matrix.out"
echo "== load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"

# the medians table: "<target> select-only <tps> <ratio>x"
off=$(awk '/^medians/{m=1} m && $1 == "jpgpool" && $2 == "select-only" {print $3}' "$work/matrix.out")
on=$(awk '/^medians/{m=1} m && $1 == "jpgpool-primary" && $2 == "select-only" {print $3}' "$work/matrix.out")
echo
if [ -n "$off" ] && [ -n "$on" ]; then
  awk -v off="$off" -v on="$on" -v r="$ROUNDS" 'BEGIN {
    printf "select-only TPS, medians of %d rounds: endpoint off %.0f, on and scraped every second %.0f: %+.1f %%\n",
      r, off, on, (on - off) * 100 / off }'
else
  echo "no medians (ROUNDS must be > 1)"
fi
# the proxy's CPU per transaction (columns 9 and 10 of the rounds: all, user), steadier than TPS on a shared host
awk '$2 == "select-only" && $9 ~ /^[0-9.]+$/ && ($1 == "jpgpool" || $1 == "jpgpool-primary") {
    all[$1] = all[$1] " " $9; user[$1] = user[$1] " " $10 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  END { if (all["jpgpool"] != "" && all["jpgpool-primary"] != "")
    printf "jpgpool CPU per transaction, medians: endpoint off %.1f us (user %.1f), on %.1f us (user %.1f)\n",
      median(all["jpgpool"]), median(user["jpgpool"]), median(all["jpgpool-primary"]), median(user["jpgpool-primary"]) }' \
  "$work/matrix.out"
awk '$1 == 200 { n++; t += $2; b += $3; if ($2 > max) max = $2 } END {
  if (n) printf "%d scrapes answered, %.1f ms on average (longest %.1f ms), %.0f bytes each\n", n, t * 1000 / n, max * 1000, b / n
  else print "no scrape answered" }' "$scrapes"
