#!/usr/bin/env bash
# jmh.sh: JMH micro-benchmarks of what the event loop does per message (statement analysis, framing, a query
# cache hit).
# A benchmark, not a test; it prints JMH's table. Extra arguments go to JMH (e.g. a benchmark regex, -f 2).
#
#   mvn -B -q -DskipTests package && bench/jmh.sh [StatementAnalysis|Framing|QueryCache] [JMH options]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
jar=$here/benchmarks/target/benchmarks.jar
[ -f "$jar" ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
exec "${JAVA:-java}" -cp "$jar:$here/benchmarks/target/lib/*" org.openjdk.jmh.Main "$@"
