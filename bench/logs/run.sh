#!/usr/bin/env bash
# Builds the Lucene datastore and runs the logs/traces benchmark. Arguments go to LogsBench
# (e.g. --logs 2000000 --spans 1000000 --threads 2). Not part of the test run.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -pl storage/lucene -am install -DskipTests
./mvnw -q -f bench/logs/pom.xml package -DskipTests
exec "$JAVA_HOME/bin/java" -Xms12g -Xmx12g -XX:+UseG1GC \
  --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "bench/logs/target/classes:$(cat bench/logs/target/classpath.txt)" \
  dev.nightjar.bench.logs.LogsBench "$@"
