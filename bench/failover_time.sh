#!/usr/bin/env bash
# failover_time.sh [runs]: the failover-time figure (median of 5 runs by default): from an immediate stop of
# the primary to the first write that succeeds through jpgpool, a client writing and retrying every 100 ms,
# health_check_period = 1, conf/failover.sh promoting the synchronous standby. A fresh 3-node cluster per run.
# Needs the PostgreSQL binaries the cluster kit finds (PG_BIN, pg_config or PATH) and one full
# `mvn -B -o install -DskipTests` beforehand (this rebuilds only the proxy modules).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
mvn -B -q -o install -DskipTests -pl proxy-core,admin-pcp,launcher
mvn -B -q -o -pl it-tests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec "${JAVA:-java}" -cp "it-tests/target/test-classes:$(cat it-tests/target/bench.classpath)" \
  io.jpgpool.it.bench.FailoverTimeBench "$@"
