package dev.nightjar.sensors;

import dev.nightjar.sensors.NetworkState.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TCP sockets that were already listening when the sensor started, from {@code /proc/net/tcp{,6}} (address,
 * port, inode) and {@code /proc/<pid>/fd} (which process holds that inode). The kernel programs only see a
 * listen() made while they run, and without this a server started before the sensor has no listening port,
 * so the service map cannot tell that a connection to it reaches it.
 */
final class ProcNetListeners {
    /** Bounds on what one scan reads, however busy the host. */
    static final int MAX_LINES = 65_536;

    static final int MAX_PROCESSES = 65_536;
    static final int MAX_FDS_PER_PROCESS = 65_536;
    private static final String LISTEN = "0A";

    private ProcNetListeners() {}

    record Socket(String address, int port) {}

    /** Listening sockets with the process holding each (a forked server's parent, as listen() saw it). */
    static List<Listener> scan(Path proc) {
        Map<Long, Socket> sockets = new HashMap<>();
        sockets.putAll(read(proc.resolve("net/tcp"), false));
        sockets.putAll(read(proc.resolve("net/tcp6"), true));
        if (sockets.isEmpty()) {
            return List.of();
        }
        Map<Long, Integer> owners = owners(proc, sockets);
        List<Listener> out = new ArrayList<>();
        owners.forEach((inode, pid) -> {
            Socket s = sockets.get(inode);
            out.add(new Listener(pid, s.address(), s.port()));
        });
        return out;
    }

    private static Map<Long, Socket> read(Path table, boolean v6) {
        Map<Long, Socket> out = new HashMap<>();
        try (var lines = Files.lines(table)) {
            lines.skip(1)
                    .limit(MAX_LINES)
                    .forEach(line -> parse(line, v6).ifPresent(e -> out.put(e.getKey(), e.getValue())));
        } catch (IOException | java.io.UncheckedIOException e) {
            // No such table (IPv6 off) or not readable: nothing to learn from it.
        }
        return out;
    }

    /** One table line as (inode, socket) when it is a listening socket; empty for anything else or malformed. */
    static Optional<Map.Entry<Long, Socket>> parse(String line, boolean v6) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !f[3].equals(LISTEN)) {
            return Optional.empty();
        }
        int colon = f[1].indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        try {
            byte[] address = address(f[1].substring(0, colon), v6);
            int port = Integer.parseInt(f[1].substring(colon + 1), 16);
            long inode = Long.parseLong(f[9]);
            if (address == null || port < 0 || port > 65_535 || inode <= 0) {
                return Optional.empty();
            }
            return Optional.of(Map.entry(
                    inode, new Socket(InetAddress.getByAddress(address).getHostAddress(), port)));
        } catch (NumberFormatException | UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The kernel prints each 32-bit word of the address in host order (little-endian here). */
    private static byte[] address(String hex, boolean v6) {
        int bytes = v6 ? 16 : 4;
        if (hex.length() != bytes * 2) {
            return null;
        }
        byte[] out = new byte[bytes];
        for (int word = 0; word < bytes / 4; word++) {
            long value = Long.parseLong(hex.substring(word * 8, word * 8 + 8), 16);
            for (int b = 0; b < 4; b++) {
                out[word * 4 + b] = (byte) (value >>> (8 * b));
            }
        }
        return out;
    }

    /**
     * Which process holds each inode: among those with an fd on it, the one whose parent holds none
     * (a pre-forked server's master, as listen() saw it, not a worker that inherited the socket;
     * after pids wrapped a worker can have the lower pid), the lowest pid when that leaves several.
     */
    private static Map<Long, Integer> owners(Path proc, Map<Long, Socket> sockets) {
        Map<Long, java.util.Set<Integer>> holders = holders(proc, sockets);
        Map<Long, Integer> owners = new HashMap<>();
        Map<Integer, Integer> parents = new HashMap<>();
        holders.forEach((inode, pids) -> {
            int owner = pids.stream()
                    .filter(pid ->
                            pids.size() == 1 || !pids.contains(parents.computeIfAbsent(pid, p -> parent(proc, p))))
                    .min(Integer::compare)
                    .orElseGet(() -> pids.stream().min(Integer::compare).orElseThrow());
            owners.put(inode, owner);
        });
        return owners;
    }

    /** The parent pid from {@code /proc/<pid>/stat} (the field after the command's closing parenthesis), or 0. */
    static int parent(Path proc, int pid) {
        try {
            String stat = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 1).trim().split("\\s+", 3);
            return f.length >= 2 ? Integer.parseInt(f[1]) : 0;
        } catch (IOException | RuntimeException e) {
            return 0; // exited, or not a stat line
        }
    }

    /** The pids with an fd on each listening socket's inode. */
    private static Map<Long, java.util.Set<Integer>> holders(Path proc, Map<Long, Socket> sockets) {
        Map<Long, java.util.Set<Integer>> owners = new HashMap<>();
        int processes = 0;
        try (DirectoryStream<Path> pids =
                Files.newDirectoryStream(proc, p -> isNumber(p.getFileName().toString()))) {
            for (Path dir : pids) {
                if (++processes > MAX_PROCESSES) {
                    break;
                }
                int pid = Integer.parseInt(dir.getFileName().toString());
                int fds = 0;
                try (DirectoryStream<Path> fdDir = Files.newDirectoryStream(dir.resolve("fd"))) {
                    for (Path fd : fdDir) {
                        if (++fds > MAX_FDS_PER_PROCESS) {
                            break;
                        }
                        long inode = socketInode(fd);
                        if (sockets.containsKey(inode)) {
                            owners.computeIfAbsent(inode, i -> new java.util.TreeSet<>())
                                    .add(pid);
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // The process exited, or its fds are not ours to read: skip it.
                }
            }
        } catch (IOException e) {
            return owners;
        }
        return owners;
    }

    private static long socketInode(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[") && target.endsWith("]")) {
                return Long.parseLong(target.substring(8, target.length() - 1));
            }
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
            // Closed meanwhile, or not a socket.
        }
        return -1;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 7) { // pid_max is at most 2^22
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
