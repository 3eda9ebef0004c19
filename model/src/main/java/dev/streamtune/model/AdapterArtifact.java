package dev.streamtune.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where an adapter file lives and what its bytes must hash to. Candidates and deployments carry both, so every
 * reader checks it has the very file the trainer wrote before loading it. Locations are URIs; {@code file:} is what
 * this version reads (a volume shared by the services).
 */
public record AdapterArtifact(URI uri, String sha256) {

    /** Describes a finished adapter file, hashing it. */
    public static AdapterArtifact of(Path file) throws IOException {
        return new AdapterArtifact(file.toAbsolutePath().toUri(), sha256(file));
    }

    public static AdapterArtifact of(String uri, String sha256) {
        try {
            return new AdapterArtifact(URI.create(uri), sha256);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a valid adapter location: " + uri, e);
        }
    }

    /**
     * The local path of the artifact once its checksum is confirmed.
     *
     * @throws AdapterLoadException when the file is missing, unreadable or not the expected bytes
     */
    public Path verifiedPath() throws AdapterLoadException {
        if (!"file".equals(uri.getScheme())) {
            throw new AdapterLoadException("Unsupported adapter location " + uri + ": only file: URIs are readable");
        }
        Path path = Path.of(uri);
        if (!Files.isRegularFile(path)) {
            throw new AdapterLoadException("Adapter file " + path + " does not exist");
        }
        String actual;
        try {
            actual = sha256(path);
        } catch (IOException e) {
            throw new AdapterLoadException("Cannot read adapter file " + path, e);
        }
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new CorruptAdapterException("Adapter file " + path + " has SHA-256 " + actual + ", expected " + sha256
                    + ": it was changed or truncated after publication");
        }
        return path;
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM provides SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
