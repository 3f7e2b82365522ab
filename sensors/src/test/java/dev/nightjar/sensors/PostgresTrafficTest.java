package dev.nightjar.sensors;

import static dev.nightjar.sensors.KernelSensor.await;
import static dev.nightjar.sensors.KernelSensor.calls;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.sensors.event.Role;
import dev.nightjar.testing.Executables;
import dev.nightjar.testing.ExternalPiece;
import dev.nightjar.testing.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A throwaway cluster from Debian's PostgreSQL binaries (run as the postgres OS user: the server
 * refuses root), driven by psql with known numbers of statements and one failing query.
 */
class PostgresTrafficTest {

    private static final int INSERTS = 4;
    private static final int SELECTS = 3;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {KernelSensor.LOOPBACK, KernelSensor.LOCAL})
    void queriesAreCountedByTypeWithLatencyAndErrors(String address, @TempDir Path tmp) throws Exception {
        Path bin = postgresBin().orElse(null);
        Path psql = Executables.find("psql").orElse(null);
        Path setpriv = Executables.find("setpriv").orElse(null);
        UserPrincipal postgres = postgresUser();
        ExternalPiece.require(
                bin != null && psql != null && setpriv != null && postgres != null,
                "Debian postgresql (initdb, pg_ctl, postgres, psql, the postgres user) and setpriv");
        KernelSensor.get();
        String host = KernelSensor.host(address);

        Path dir = tmp.resolve("pg");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setOwner(dir, postgres);
        Path data = dir.resolve("data");
        int port = FreePorts.next();
        run(
                setpriv,
                postgres,
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync");
        // initdb trusts loopback connections only; the test's other local address needs its line.
        Files.writeString(
                data.resolve("pg_hba.conf"), "host all all " + host + "/32 trust\n", StandardOpenOption.APPEND);
        run(
                setpriv,
                postgres,
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-l",
                dir.resolve("log").toString(),
                "-w",
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=" + host + " -c fsync=off",
                "start");
        try {
            StringBuilder sql = new StringBuilder("CREATE TABLE items (id int);\n");
            for (int i = 0; i < INSERTS; i++) {
                sql.append("INSERT INTO items VALUES (").append(i).append(");\n");
            }
            for (int i = 0; i < SELECTS; i++) {
                sql.append("SELECT count(*) FROM items;\n");
            }
            sql.append("SELECT * FROM no_such_table;\n");
            Process client = new ProcessBuilder(
                            psql.toString(),
                            "-X",
                            "-h",
                            host,
                            "-p",
                            Integer.toString(port),
                            "-U",
                            "postgres",
                            "-d",
                            "postgres",
                            "-v",
                            "ON_ERROR_STOP=0",
                            "-f",
                            "-")
                    .redirectErrorStream(true)
                    .start();
            try (OutputStream in = client.getOutputStream()) {
                in.write(sql.toString().getBytes(StandardCharsets.US_ASCII));
            }
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            client.waitFor(30, TimeUnit.SECONDS);
            assertThat(out).contains("INSERT 0 1").contains("no_such_table");

            await(() -> Optional.of(calls("postgresql", Role.SERVER, port, "query", "ERROR"))
                    .filter(s -> s.count() == 1));
            await(() -> Optional.of(calls("postgresql", Role.CLIENT, port, "query", "ERROR"))
                    .filter(s -> s.count() == 1));
            for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
                L7State.CallStats inserts = target(role, port, "INSERT");
                assertThat(inserts.count()).isEqualTo(INSERTS);
                assertThat(inserts.errors()).isZero();
                assertThat(inserts.latencySecondsSum()).isPositive();
                assertThat(Arrays.stream(inserts.bucketCounts()).sum()).isEqualTo(INSERTS);
                L7State.CallStats selects = target(role, port, "SELECT");
                assertThat(selects.count()).isEqualTo(SELECTS + 1);
                assertThat(selects.errors()).isEqualTo(1);
                assertThat(target(role, port, "CREATE").count()).isEqualTo(1);
            }
            Map<String, Object> select = Map.of(
                    "network.protocol.name", "postgresql",
                    "nightjar.role", "server",
                    "server.port", port,
                    "nightjar.target", "SELECT");
            assertThat(KernelSensor.exportedSum("nightjar.l7.requests", select)).isEqualTo(SELECTS + 1);
            assertThat(KernelSensor.exportedSum("nightjar.l7.errors", select)).isEqualTo(1);
            assertThat(KernelSensor.exportedHistogramCount("nightjar.l7.duration", select))
                    .isEqualTo(SELECTS + 1);

            preparedAndExtendedStatements(tmp, host, port);
        } finally {
            run(setpriv, postgres, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
        }
    }

    /**
     * The extended protocol as drivers use it: pgbench -M prepared parses each statement once
     * ("prepare") and then runs it by Bind alone, which must count every run ("execute", with the
     * keyword its Parse had); pgbench -M extended parses and runs in one exchange, and an error raised
     * after ParseComplete and BindComplete is the exchange's error.
     */
    private static void preparedAndExtendedStatements(Path tmp, String host, int port) throws Exception {
        Path pgbench = Executables.find("pgbench").orElse(null);
        ExternalPiece.require(pgbench != null, "pgbench (Debian postgresql-client)");
        int runs = 5;
        Path prepared = Files.writeString(tmp.resolve("prepared.sql"), "UPDATE items SET id = id WHERE id = 0;\n");
        String out = pgbench(pgbench, host, port, "prepared", prepared, runs);
        assertThat(out).contains("number of transactions actually processed: " + runs + "/" + runs);
        Path failing = Files.writeString(tmp.resolve("failing.sql"), "SELECT 1/0;\n");
        assertThat(pgbench(pgbench, host, port, "extended", failing, 1)).contains("division by zero");

        for (Role role : List.of(Role.CLIENT, Role.SERVER)) {
            await(() -> Optional.of(operation(role, port, "execute", "UPDATE")).filter(s -> s.count() == runs));
            assertThat(operation(role, port, "prepare", "UPDATE").count()).isEqualTo(1);
            assertThat(operation(role, port, "execute", "UPDATE").errors()).isZero();
            await(() -> Optional.of(operation(role, port, "parse", "SELECT")).filter(s -> s.count() == 1));
            assertThat(operation(role, port, "parse", "SELECT").errors()).isEqualTo(1);
        }
    }

    private static String pgbench(Path pgbench, String host, int port, String mode, Path script, int transactions)
            throws Exception {
        Process p = new ProcessBuilder(
                        pgbench.toString(),
                        "-h",
                        host,
                        "-p",
                        Integer.toString(port),
                        "-U",
                        "postgres",
                        "-n",
                        "-c",
                        "1",
                        "-t",
                        Integer.toString(transactions),
                        "-M",
                        mode,
                        "-f",
                        script.toString(),
                        "postgres")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** Calls of one protocol operation and SQL keyword, summed over statuses and processes. */
    private static L7State.CallStats operation(Role role, int port, String operation, String keyword) {
        return KernelSensor.get().l7().stats().entrySet().stream()
                .filter(e -> e.getKey().protocol().equals("postgresql")
                        && e.getKey().role() == role
                        && e.getKey().port() == port
                        && e.getKey().operation().equals(operation)
                        && e.getKey().target().equals(keyword))
                .map(Map.Entry::getValue)
                .reduce((a, b) ->
                        new L7State.CallStats(a.count() + b.count(), a.errors() + b.errors(), 0, a.bucketCounts()))
                .orElse(new L7State.CallStats(0, 0, 0, new long[0]));
    }

    /** Calls with one SQL keyword, summed over statuses and backend processes. */
    private static L7State.CallStats target(Role role, int port, String keyword) {
        long count = 0;
        long errors = 0;
        double seconds = 0;
        long[] buckets = new long[L7State.BOUNDS.length + 1];
        for (var e : KernelSensor.get().l7().stats().entrySet()) {
            L7State.CallKey k = e.getKey();
            if (k.protocol().equals("postgresql")
                    && k.role() == role
                    && k.port() == port
                    && k.target().equals(keyword)) {
                count += e.getValue().count();
                errors += e.getValue().errors();
                seconds += e.getValue().latencySecondsSum();
                for (int i = 0; i < buckets.length; i++) {
                    buckets[i] += e.getValue().bucketCounts()[i];
                }
            }
        }
        return new L7State.CallStats(count, errors, seconds, buckets);
    }

    private static void run(Path setpriv, UserPrincipal user, String... command) throws Exception {
        List<String> full = new ArrayList<>(
                List.of(setpriv.toString(), "--reuid=" + user.getName(), "--regid=" + user.getName(), "--init-groups"));
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static Optional<Path> postgresBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(Path::toString));
        }
    }

    private static UserPrincipal postgresUser() {
        try {
            return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        } catch (IOException e) {
            return null;
        }
    }
}
