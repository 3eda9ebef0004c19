package dev.streamtune.model.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the machine's CPU other processes used while a sample was timed, from /proc/stat (machine-wide)
 * minus /proc/self/stat (this JVM). The bench drops samples taken while something else was running, so a build
 * in a neighbouring shell does not end up in the README's figures.
 */
final class CpuMeter {

    /** Samples where other processes used more than this share of all CPUs are discarded. */
    static final double MAX_FOREIGN_SHARE = 0.10;

    private final long busy0;
    private final long total0;
    private final long self0;

    private CpuMeter(long[] machine, long self) {
        this.busy0 = machine[0];
        this.total0 = machine[1];
        this.self0 = self;
    }

    static CpuMeter start() {
        return new CpuMeter(machine(), self());
    }

    /** Share of all CPU time since {@link #start()} spent by other processes (0..1). */
    double foreignShare() {
        long[] m = machine();
        long total = m[1] - total0;
        if (total <= 0) {
            return 0;
        }
        long foreign = (m[0] - busy0) - (self() - self0);
        return Math.max(0, (double) foreign / total);
    }

    /** {busy, total} jiffies over all CPUs. */
    private static long[] machine() {
        String cpu = read("/proc/stat").lines().findFirst().orElseThrow();
        String[] f = cpu.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new long[] {total - idle, total};
    }

    /** utime + stime of this process, jiffies. */
    private static long self() {
        String s = read("/proc/self/stat");
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
