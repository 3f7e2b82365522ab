#!/usr/bin/env bash
# End-to-end OTLP ingest benchmark (OTLP/HTTP protobuf → WAL fsync → Lucene → searchable) beside raw
# Lucene indexing the same records. Arguments go to IngestBench (--logs N --spans N --clients N).
# Not part of the test run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -pl ingest,storage/lucene -am install -DskipTests
./mvnw -q -f bench/logs/pom.xml install -DskipTests
./mvnw -q -f bench/ingest/pom.xml package -DskipTests
exec "$JAVA_HOME/bin/java" -Xms${BENCH_HEAP:-6g} -Xmx${BENCH_HEAP:-6g} ${BENCH_GC:--XX:+UseG1GC} ${BENCH_JVM_OPTS:-} \
  --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "bench/ingest/target/classes:$(cat bench/ingest/target/classpath.txt)" \
  dev.nightjar.bench.logs.IngestBench "$@"
