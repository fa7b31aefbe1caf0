#!/usr/bin/env bash
# recovery_time.sh [scale]: how long pcp_recovery_node takes for a node of about 1 GB (pgbench -i -s 70 by
# default): a primary and two standbys behind jpgpool, standby 2 stopped and detached, then rebuilt with
# conf/recovery_1st_stage (pg_basebackup) and conf/pgpool_remote_start, once with jpgpool running the scripts and
# once through the pgpool_recovery extension (Debian's postgresql-15-pgpool2, when installed). Prints the time of
# each step as jpgpool logs it, the whole recovery, and the tool's wall time. Needs the PostgreSQL binaries the
# cluster kit finds and Debian's pgpool2 (the real pcp_recovery_node). Builds in the reactor; installs nothing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
mvn -B -q -o -pl it-tests -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec "${JAVA:-java}" -cp "it-tests/target/test-classes:$(cat it-tests/target/bench.classpath)" \
  io.jpgpool.it.bench.RecoveryTimeBench "$@"
