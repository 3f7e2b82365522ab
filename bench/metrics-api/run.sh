#!/usr/bin/env bash
# remote_write ingest into Nightjar and into Prometheus' own receiver, same bodies, same run.
# Needs the packaged server (./mvnw -pl server -am package -DskipTests) and /usr/bin/prometheus.
# Arguments go to RemoteWriteBench (e.g. --series 10000 --rounds 10 --threads 4). Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
test -f server/target/quarkus-app/quarkus-run.jar || { echo "package the server first" >&2; exit 1; }
./mvnw -q -f bench/metrics-api/pom.xml package -DskipTests
exec "$JAVA_HOME/bin/java" -Xmx6g \
  -cp "bench/metrics-api/target/classes:$(cat bench/metrics-api/target/classpath.txt)" \
  dev.nightjar.bench.metricsapi.RemoteWriteBench \
  --server-jar server/target/quarkus-app/quarkus-run.jar --prometheus /usr/bin/prometheus "$@"
