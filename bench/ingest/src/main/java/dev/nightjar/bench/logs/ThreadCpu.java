package dev.nightjar.bench.logs;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this process' live threads, grouped by name (numbers dropped), so the figure can say where
 * the server's CPU goes. Threads that ended in between (Lucene's merge threads) and the JVM's own work
 * (JIT, GC) show as the rest of the process' CPU time; the JIT compilers' busy time is shown on its own.
 */
record ThreadCpu(Map<Long, Long> byThread, Map<Long, String> names, long compileMillis) {

    static ThreadCpu now() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new TreeMap<>();
        Map<Long, String> names = new TreeMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long t = mx.getThreadCpuTime(info.getThreadId());
            if (t >= 0) {
                cpu.put(info.getThreadId(), t);
                names.put(info.getThreadId(), info.getThreadName().replaceAll("\\d+", "N"));
            }
        }
        return new ThreadCpu(
                cpu, names, ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
    }

    /** CPU seconds per thread group between {@code before} and this, and the rest of {@code processCpu}. */
    String minus(ThreadCpu before, double processCpu) {
        Map<String, Double> groups = new TreeMap<>();
        double sum = 0;
        for (var e : byThread.entrySet()) {
            double s = (e.getValue() - before.byThread.getOrDefault(e.getKey(), 0L)) / 1e9;
            groups.merge(names.get(e.getKey()), s, Double::sum);
            sum += s;
        }
        StringBuilder out = new StringBuilder();
        groups.entrySet().stream()
                .filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.append(String.format("%s %.2f, ", e.getKey(), e.getValue())));
        double jit = (compileMillis - before.compileMillis) / 1e3;
        return out.append(String.format(
                        "ended threads, JIT and GC %.2f (of which JIT compiler threads busy %.2f s)",
                        processCpu - sum, jit))
                .toString();
    }
}
