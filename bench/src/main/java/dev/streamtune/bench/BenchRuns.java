package dev.streamtune.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/** What every bench driver does around its measurements: progress lines, the machine's load, a fresh run directory. */
final class BenchRuns {

    private BenchRuns() {
    }

    /** One progress line on stdout: time of day, {@code [bench]}, the formatted message. */
    static void log(String bench, String format, Object... args) {
        System.out.printf(Locale.ROOT, "%s [%s] %s%n", LocalTime.now().truncatedTo(ChronoUnit.SECONDS), bench,
                String.format(Locale.ROOT, format, args));
    }

    /** The one-minute load average: a report states it, so a reader can tell a run had the machine to itself. */
    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Removes {@code dir} and everything under it; nothing when it does not exist. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
