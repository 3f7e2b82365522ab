#!/usr/bin/env bash
# Time to interactive of the overview and the service map with N synthetic services, in headless
# Chromium against the packaged server. Needs the packaged server (./mvnw -pl server -am package
# -DskipTests), /usr/bin/chromium and /usr/bin/chromedriver. Arguments go to DashboardBench
# (e.g. --services 500 --rounds 5). Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
test -f server/target/quarkus-app/quarkus-run.jar || { echo "package the server first" >&2; exit 1; }
./mvnw -q -f bench/dashboard/pom.xml package -DskipTests
exec "$JAVA_HOME/bin/java" \
  -cp "bench/dashboard/target/classes:$(cat bench/dashboard/target/classpath.txt)" \
  dev.nightjar.bench.dashboard.DashboardBench \
  --server-jar server/target/quarkus-app/quarkus-run.jar "$@"
