package dev.streamtune.serving.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How much of the machine other processes used while something was measured, from /proc (Linux): the benchmark
 * runs on shared machines, and its figures mean little if other builds took half the cores. "Ours" is this JVM and
 * its child processes (the Kafka broker).
 */
final class CpuShare {

    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final long machineStart;
    private final long oursStart;
    private final long wallStart;

    private CpuShare() {
        this.machineStart = machineBusyTicks();
        this.oursStart = ourTicks();
        this.wallStart = System.nanoTime();
    }

    static CpuShare start() {
        return new CpuShare();
    }

    /** Share of all cores used by other processes since {@link #start}, 0 to 1; NaN where /proc is unreadable. */
    double others() {
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        long machine = machineBusyTicks() - machineStart;
        long ours = ourTicks() - oursStart;
        if (machineStart < 0 || wallSeconds <= 0) {
            return Double.NaN;
        }
        double capacity = wallSeconds * TICKS_PER_SECOND * Runtime.getRuntime().availableProcessors();
        return Math.max(0, Math.min(1, (machine - ours) / capacity));
    }

    /** Share of all cores this JVM and its children used since {@link #start}. */
    double ours() {
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        double capacity = wallSeconds * TICKS_PER_SECOND * Runtime.getRuntime().availableProcessors();
        return (ourTicks() - oursStart) / capacity;
    }

    private static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long ourTicks() {
        long ticks = ticks(ProcessHandle.current().pid());
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            ticks += ticks(child.pid());
        }
        return ticks;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the ")" that ends the command name: state is field 3, utime 14, stime 15
            List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            return Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
