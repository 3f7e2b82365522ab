#!/usr/bin/env bash
# Metrics store benchmark: Nightjar TSDB + PromQL beside Prometheus 2.x on the same data.
# Usage: bench/metrics/run.sh [series] [hours]   (defaults: 10000 series, 24 hours at 15 s)
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
LOCK=${NIGHTJAR_MVN_LOCK:-/tmp/nightjar-mvn.lock}
flock "$LOCK" ./mvnw -q -B -pl core,storage/testkit,storage/tsdb,promql -am install -DskipTests -Dspotless.check.skip=true
flock "$LOCK" ./mvnw -q -B -f bench/metrics/pom.xml package -Dspotless.check.skip=true
CP="bench/metrics/target/classes:$(cat bench/metrics/target/classpath.txt)"
# NIGHTJAR_BENCH_JAVA_OPTS adds JVM options, e.g. -XX:StartFlightRecording=filename=q.jfr for a profile.
exec "$JAVA_HOME/bin/java" -Xmx8g -XX:+UseParallelGC ${NIGHTJAR_BENCH_JAVA_OPTS:-} -cp "$CP" dev.nightjar.bench.metrics.MetricsBenchmark "${1:-10000}" "${2:-24}"
