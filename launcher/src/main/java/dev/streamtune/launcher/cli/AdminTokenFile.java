package dev.streamtune.launcher.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The local run's evaluator admin token: when {@code EVALUATOR_ADMIN_TOKEN} is not set, the run command makes one
 * at first start in {@code $STREAMTUNE_HOME/keys/evaluator-admin.token} (readable by its owner only, like the
 * signing keys next to it) and gives it to the evaluator; {@code ./streamtune tasks} reads the same file, so a
 * newcomer needs no setup.
 */
public final class AdminTokenFile {

    public static final String VARIABLE = "EVALUATOR_ADMIN_TOKEN";
    static final String FILE = "evaluator-admin.token";

    private AdminTokenFile() {
    }

    /** The token from the environment, else the one in {@code keys} (made now if there is none). */
    public static String ensure(Path keys, Map<String, String> env) {
        Optional<String> given = fromEnvironment(env);
        if (given.isPresent()) {
            return given.get();
        }
        Path file = keys.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(keys);
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Path fresh = Files.createTempFile(keys, FILE, ".new");
                Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-------"));
                Files.writeString(fresh, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
                Files.move(fresh, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make the admin token " + file, e);
        }
    }

    /** The token from the environment, else from {@code keys}; empty when neither has one. */
    public static Optional<String> read(Path keys, Map<String, String> env) {
        Optional<String> given = fromEnvironment(env);
        if (given.isPresent()) {
            return given;
        }
        Path file = keys.resolve(FILE);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
                    .filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the admin token " + file, e);
        }
    }

    private static Optional<String> fromEnvironment(Map<String, String> env) {
        return Optional.ofNullable(env.get(VARIABLE)).map(String::strip).filter(s -> !s.isEmpty());
    }
}
