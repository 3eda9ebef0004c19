package dev.streamtune.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The public keys a consumer accepts signed records from, by key id. Several keys per role may be trusted at once:
 * that is how a key is rotated (trust the new key, switch the signer to it, drop the old key once no record it
 * signed needs to be read).
 *
 * <p>File format, one key per line, {@code #} comments: {@code <role> <key-id> <base64 X.509 public key>}.
 */
public final class TrustedKeys {

    private final Map<String, TrustedKey> byId;

    private TrustedKeys(Map<String, TrustedKey> byId) {
        this.byId = Map.copyOf(byId);
    }

    public static TrustedKeys of(Collection<TrustedKey> keys) {
        Map<String, TrustedKey> byId = new LinkedHashMap<>();
        for (TrustedKey key : keys) {
            if (byId.put(key.keyId(), key) != null) {
                throw new IllegalArgumentException("Key id " + key.keyId() + " is listed twice");
            }
        }
        return new TrustedKeys(byId);
    }

    /** @throws IllegalArgumentException naming the file and line when it cannot be used */
    public static TrustedKeys load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the trusted keys " + file + ": " + e.getMessage(), e);
        }
        Map<String, TrustedKey> byId = new LinkedHashMap<>();
        int number = 0;
        for (String line : text.lines().toList()) {
            number++;
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            TrustedKey key;
            try {
                key = TrustedKey.parse(line);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + number + ": " + e.getMessage(), e);
            }
            if (byId.put(key.keyId(), key) != null) {
                throw new IllegalArgumentException(file + " line " + number + ": key id " + key.keyId()
                        + " is listed twice");
            }
        }
        if (byId.isEmpty()) {
            throw new IllegalArgumentException("The trusted keys " + file + " list no key: nothing would be accepted");
        }
        return new TrustedKeys(byId);
    }

    public Optional<TrustedKey> get(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    public Collection<TrustedKey> all() {
        return byId.values();
    }

    /** The file text for these keys. */
    public String format() {
        StringBuilder text = new StringBuilder("# Streamtune trusted signing keys: <role> <key-id> <base64 public key>\n"
                + "# To rotate: add the new key here, switch the signer to it, remove the old line later.\n");
        byId.values().forEach(key -> text.append(key.line()).append('\n'));
        return text.toString();
    }
}
