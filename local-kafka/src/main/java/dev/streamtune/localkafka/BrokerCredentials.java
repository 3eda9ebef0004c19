package dev.streamtune.localkafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The passwords of a secured local broker's users, generated once and kept in one owner-only file: the super
 * user's (the broker's own login and whoever provisions it) and one per service principal.
 *
 * @param superUser the user the broker and the launcher's provisioning log in as
 * @param passwords user name -> password, the super user's included
 */
public record BrokerCredentials(String superUser, Map<String, String> passwords) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    public BrokerCredentials {
        passwords = Map.copyOf(passwords);
        if (!passwords.containsKey(superUser)) {
            throw new IllegalArgumentException("No password for the super user " + superUser);
        }
    }

    /**
     * Reads the file, adds a random password for every listed user it lacks, and writes it back readable by its
     * owner only. The same file on every start means the same passwords, so a broker's stored credentials and
     * the services' logins agree across restarts.
     */
    public static BrokerCredentials loadOrCreate(Path file, String superUser, List<String> users) throws IOException {
        Properties stored = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                stored.load(reader);
            }
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        boolean added = false;
        for (String user : users) {
            String password = stored.getProperty(user);
            if (password == null || password.isBlank()) {
                password = randomPassword();
                added = true;
            }
            passwords.put(user, password);
        }
        if (added || !Files.exists(file)) {
            write(file, passwords);
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        return new BrokerCredentials(superUser, passwords);
    }

    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("No Kafka password for user " + user);
        }
        return password;
    }

    public String superUserPassword() {
        return password(superUser);
    }

    /** Never prints a password. */
    @Override
    public String toString() {
        return "BrokerCredentials[superUser=" + superUser + ", users=" + passwords.keySet() + "]";
    }

    /** 144 random bits in URL-safe Base64: no character a JAAS string or a shell needs escaped. */
    private static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void write(Path file, Map<String, String> passwords) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Properties properties = new Properties();
        properties.putAll(passwords);
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            properties.store(writer, "Kafka passwords of the local broker's users (STREAMTUNE_KAFKA_AUTH=scram)");
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
