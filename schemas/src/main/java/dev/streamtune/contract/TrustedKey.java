package dev.streamtune.contract;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Pattern;

/** A public key consumers accept signatures from, for one role, under the id signed records name it by. */
public record TrustedKey(String keyId, SignerRole role, PublicKey publicKey) {

    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public TrustedKey {
        checkKeyId(keyId);
    }

    static void checkKeyId(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("A key id is 1-64 letters, digits, '.', '_' or '-'");
        }
    }

    /** One line of a trusted-keys file: {@code <role> <key-id> <base64 X.509 public key>}. */
    public String line() {
        return role.label() + " " + keyId + " " + Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    static TrustedKey parse(String line) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected '<role> <key-id> <base64 public key>'");
        }
        try {
            PublicKey key = KeyFactory.getInstance(SigningKey.ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(parts[2])));
            return new TrustedKey(parts[1], SignerRole.parse(parts[0]), key);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an " + SigningKey.ALGORITHM + " public key", e);
        }
    }
}
