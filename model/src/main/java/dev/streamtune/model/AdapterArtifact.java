package dev.streamtune.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where an adapter file lives and what its bytes must hash to. Candidates and deployments carry both, so every
 * reader checks it has the very file the trainer wrote before loading it. Locations are {@code file:} URIs inside
 * the adapter store ({@code $STREAMTUNE_HOME/adapters}, a volume the services share); this is the one place that
 * turns a location into a path, and it never opens anything outside the store.
 *
 * <p>Errors name the failure ({@code outside the store}, {@code not found}, {@code checksum mismatch}) and at most
 * the file's path inside the store: a location comes from a record, and the answer must not tell its author
 * anything about other files (their existence, size, bytes or hash).
 */
public record AdapterArtifact(URI uri, String sha256) {

    /** The adapter store's directory under {@code $STREAMTUNE_HOME}. */
    public static final String STORE_DIRECTORY = "adapters";

    /** The adapter store of a Streamtune home directory. */
    public static Path storeUnder(Path home) {
        return home.resolve(STORE_DIRECTORY).toAbsolutePath().normalize();
    }

    /** Describes a finished adapter file, hashing it. */
    public static AdapterArtifact of(Path file) throws IOException {
        return new AdapterArtifact(file.toAbsolutePath().toUri(), sha256(file));
    }

    /** @throws IllegalArgumentException when {@code uri} is not a URI at all */
    public static AdapterArtifact of(String uri, String sha256) {
        try {
            return new AdapterArtifact(URI.create(uri), sha256);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a valid adapter location (not a URI)", e);
        }
    }

    /**
     * The local path of the artifact once it is confirmed to be a regular file inside {@code store} (compared as
     * real paths: no {@code ..}, no symbolic link out of it) whose bytes hash to {@link #sha256}.
     *
     * @throws AdapterLoadException when the location is outside the store, the file is missing or its bytes are
     *                              not the published ones ({@link CorruptAdapterException})
     */
    public Path verifiedPath(Path store) throws AdapterLoadException {
        Path path = confined(store);
        String actual;
        try {
            actual = sha256(path);
        } catch (IOException e) {
            throw new AdapterLoadException("Adapter file " + inStore(store, path) + " cannot be read", e);
        }
        if (!actual.equalsIgnoreCase(sha256)) {
            throw new CorruptAdapterException("Adapter file " + inStore(store, path)
                    + ": checksum mismatch, its SHA-256 is not the published one (changed or truncated since)");
        }
        return path;
    }

    private Path confined(Path store) throws AdapterLoadException {
        if (!"file".equals(uri.getScheme()) || uri.getRawAuthority() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawPath() == null) {
            throw outside();
        }
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw outside();
        }
        for (Path part : path) {
            if (part.toString().equals("..") || part.toString().equals(".")) {
                throw outside();
            }
        }
        Path root = store.toAbsolutePath().normalize();
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new AdapterLoadException("Adapter file not found: the adapter store does not exist");
        }
        // Decided on the text of the path first: nothing outside the store is ever looked at, not even to see
        // whether it exists.
        if (!path.isAbsolute() || !(path.startsWith(root) || path.startsWith(realRoot)) || path.equals(root)
                || path.equals(realRoot)) {
            throw outside();
        }
        Path realParent;
        try {
            realParent = path.getParent().toRealPath();
        } catch (IOException e) {
            throw new AdapterLoadException("Adapter file " + inStore(root, path) + " not found");
        }
        if (!realParent.startsWith(realRoot)) {
            throw outside(); // a directory in the store links out of it
        }
        Path real = realParent.resolve(path.getFileName());
        if (Files.isSymbolicLink(real)) {
            throw outside(); // the trainer writes regular files; a link could point anywhere
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new AdapterLoadException("Adapter file " + inStore(root, path) + " not found");
        }
        return real;
    }

    private static AdapterLoadException outside() {
        return new AdapterLoadException("Adapter location is outside the store: only regular files under "
                + "$STREAMTUNE_HOME/" + STORE_DIRECTORY + " are read");
    }

    /** The path relative to the store, for messages (never an absolute path). */
    private static String inStore(Path store, Path path) {
        Path root = store.toAbsolutePath().normalize();
        return path.startsWith(root) ? root.relativize(path).toString() : path.getFileName().toString();
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
