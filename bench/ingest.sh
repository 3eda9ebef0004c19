#!/usr/bin/env bash
# Ingest throughput: the full topology (exactly-once) against a plain consumer reading the same topic on the
# same broker in the same run, plus Kafka Streams' own floor for a topology of this shape.
# Usage: bench/ingest.sh [records=300000] [stream-threads=1] [commit-ms=1000]
# Extra Kafka Streams properties: BENCH_JAVA_OPTS="-Dstreams.producer.linger.ms=50" bench/ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -ntp -pl ingest -am install -DskipTests
mvn -B -q -ntp -pl ingest dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench-classpath.txt
CP="ingest/target/test-classes:ingest/target/classes:$(cat ingest/target/bench-classpath.txt)"

# The broker child process is started from this same classpath (kafka_2.13 comes with test-support).
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$CP" dev.streamtune.ingest.bench.IngestBench "$@"
