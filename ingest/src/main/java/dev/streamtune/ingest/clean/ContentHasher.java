package dev.streamtune.ingest.clean;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The content hash of an example: hex SHA-256 of {@code task + "\u0000" + cleaned text}. It is the example's
 * identity for de-duplication and decides its split, so the same text in the same task always lands in the same
 * split. Not thread-safe: one per processor.
 */
public final class ContentHasher {

    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest sha256;

    public ContentHasher() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    public String hash(String task, String cleanedText) {
        sha256.update(task.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        sha256.update(cleanedText.getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(sha256.digest());
    }
}
