package dev.streamtune.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * WordNet 3.0's database files from Debian's {@code wordnet-base} package, fetched at bench time into a cache
 * directory (never into the repository): {@code apt-get download} (no root needed) and {@code dpkg-deb -x}.
 * The second run finds the extracted files and downloads nothing.
 */
public final class WordnetPackage {

    static final String PACKAGE = "wordnet-base";

    private WordnetPackage() {
    }

    /** The default cache: {@code ~/.cache/streamtune/wordnet-base}. */
    public static Path defaultCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "streamtune", PACKAGE);
    }

    /** The directory holding data.noun and the other database files, fetching the package first if needed. */
    public static Path install(Path cache) throws IOException, InterruptedException {
        Path database = cache.resolve("root/usr/share/wordnet");
        if (Files.isRegularFile(database.resolve("data.noun"))) {
            return database;
        }
        Path download = Files.createDirectories(cache.resolve("download"));
        System.out.printf("Fetching Debian package %s into %s%n", PACKAGE, cache);
        run(download, "apt-get", "download", PACKAGE);
        Path deb;
        try (Stream<Path> files = Files.list(download)) {
            deb = files.filter(p -> p.getFileName().toString().startsWith(PACKAGE + "_")
                    && p.getFileName().toString().endsWith(".deb")).sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new IOException("apt-get download left no " + PACKAGE + " .deb in " + download));
        }
        run(cache, "dpkg-deb", "-x", deb.toString(), cache.resolve("root").toString());
        if (!Files.isRegularFile(database.resolve("data.noun"))) {
            throw new IOException(deb + " has no usr/share/wordnet/data.noun");
        }
        return database;
    }

    private static void run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", List.of(command)) + " did not finish within 5 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", List.of(command)) + " failed with exit code "
                    + process.exitValue() + " (needs Debian's apt and a reachable package mirror)");
        }
    }
}
