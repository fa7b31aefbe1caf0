#!/usr/bin/env bash
# client_sweep.sh: jpgpool and PgBouncer with 1, 8, 64 and 256 pgbench clients, select-only and TPC-B: TPS, p99
# latency (of a sample of the transactions), and each proxy's resident memory (jpgpool: and its heap in use) in
# the middle of each run, as a table and as bench/client_sweep.png. One bench/pgbench_matrix.sh run per client
# count (a fresh cluster each), targets interleaved within it, medians of ROUNDS. A benchmark, not a test.
#
#   bench/client_sweep.sh              (after: mvn -B -q -DskipTests package)
#
# Env: COUNTS="1 8 64 256" ROUNDS=3 DURATION=15 WARMUP=15, and pgbench_matrix.sh's (JPGPOOL_THREADS: jpgpool's
#      default, one event loop per two cores). OUT=bench/client_sweep (the .tsv and .png written)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
COUNTS=${COUNTS:-"1 8 64 256"} ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-15} WARMUP=${WARMUP:-15}
OUT=${OUT:-$here/bench/client_sweep}
[ -f "$here/benchmarks/target/benchmarks.jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }

rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for c in $COUNTS; do
  echo "== $c clients"
  out=$(CLIENTS=$c ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP LATENCY=1 MEMORY=1 \
        JPGPOOL_THREADS=${JPGPOOL_THREADS:-default} TARGETS="jpgpool pgbouncer" MODES="select-only tpcb" \
        bash "$here/bench/pgbench_matrix.sh")
  echo "$out" | sed -n '/^target /,/^$/p'
  # target mode round tps ratio failed idle% steal% proxy-us/tx user p99-ms rss-MB heap-MB
  echo "$out" | awk -v c="$c" '$3 ~ /^[0-9]+$/ && NF >= 13 { print c, $1, $2, $4, $6, $11, $12, $13 }' >> "$rows"
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (!NR) { print "-"; exit } print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
{
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' clients target mode tps p99_ms failed rss_mb heap_mb
  while read -r c t m; do
    sel() { awk -v c="$c" -v t="$t" -v m="$m" -v k="$1" '$1 == c && $2 == t && $3 == m && $k != "-" { print $k }' "$rows"; }
    failed=$(sel 5 | awk '{ s += $1 } END { print s + 0 }')
    printf '%s\t%s\t%s\t%.0f\t%s\t%s\t%s\t%s\n' "$c" "$t" "$m" "$(sel 4 | median)" "$(sel 6 | median)" "$failed" \
      "$(sel 7 | median)" "$(sel 8 | median)"
  done < <(awk '$2 != "direct" { print $1, $2, $3 }' "$rows" | awk '!seen[$0]++')
} > "$OUT.tsv"

echo
echo "medians of $ROUNDS rounds (p99 in ms; memory in MB, in the middle of the run)"
column -t "$OUT.tsv"
java -cp "$here/benchmarks/target/benchmarks.jar:$here/benchmarks/target/lib/*" io.jpgpool.bench.SweepPlot \
  "$OUT.tsv" "$OUT.png"
echo "plot: $OUT.png"
