#!/usr/bin/env bash
# speed_figures.sh: every figure of the README's speed section in one go, with jpgpool's default settings (one
# event loop per two cores): the matrix (direct, relay, jpgpool, PgBouncer, Pgpool-II; select-only and TPC-B), the
# extended and prepared protocols (select-only, jpgpool and PgBouncer), a new connection per transaction
# (pgbench -C -S: jpgpool, PgBouncer, Pgpool-II) and the client sweep (bench/client_sweep.sh, with its PNG).
# ROUNDS=3 interleaved throughout, medians. About 40 minutes on 2 cores. A benchmark, not a test.
#
#   bench/speed_figures.sh 2>&1 | tee /tmp/speed.log
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export ROUNDS=${ROUNDS:-3} JPGPOOL_THREADS=${JPGPOOL_THREADS:-default}
echo "### host: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M:%S)"
echo "### 1. the matrix"
bash "$here/bench/pgbench_matrix.sh"
for m in extended prepared; do
  echo "### 2. -M $m, select-only"
  QUERY_MODE=$m MODES=select-only TARGETS="jpgpool pgbouncer" bash "$here/bench/pgbench_matrix.sh"
done
echo "### 3. a new connection per transaction (-C -S)"
CONNECT=1 MODES=select-only TARGETS="jpgpool pgbouncer pgpool" bash "$here/bench/pgbench_matrix.sh"
echo "### 4. clients 1, 8, 64, 256"
bash "$here/bench/client_sweep.sh"
echo "### done at $(date -u +%H:%M:%S), load average $(cut -d' ' -f1-3 /proc/loadavg)"
