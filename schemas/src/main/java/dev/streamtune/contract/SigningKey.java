package dev.streamtune.contract;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Properties;

/**
 * One signer's Ed25519 private key, with the id consumers look its public half up by. Stored as a small properties
 * file ({@code key-id}, {@code role}, {@code private-key} = base64 PKCS#8) readable by its owner only.
 */
public record SigningKey(String keyId, SignerRole role, PrivateKey privateKey) {

    /** The JDK's name for the algorithm, for KeyPairGenerator, KeyFactory and Signature alike. */
    public static final String ALGORITHM = "Ed25519";

    public SigningKey {
        TrustedKey.checkKeyId(keyId);
    }

    /** A new key pair for {@code role}: the private key to sign with and the public key to add to the trusted set. */
    public static Generated generate(SignerRole role, String keyId) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            return new Generated(new SigningKey(keyId, role, pair.getPrivate()),
                    new TrustedKey(keyId, role, pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM has no " + ALGORITHM + " (Java 15+ has)", e);
        }
    }

    /** Both halves of a fresh key pair. */
    public record Generated(SigningKey signingKey, TrustedKey trustedKey) {
    }

    /** @throws IllegalArgumentException naming the file when it is missing or not a signing key */
    public static SigningKey load(Path file) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the signing key " + file + ": " + e.getMessage(), e);
        }
        String keyId = properties.getProperty("key-id");
        String role = properties.getProperty("role");
        String encoded = properties.getProperty("private-key");
        if (keyId == null || role == null || encoded == null) {
            throw new IllegalArgumentException("Signing key " + file + " needs key-id, role and private-key");
        }
        try {
            PrivateKey key = KeyFactory.getInstance(ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(encoded.strip())));
            return new SigningKey(keyId.strip(), SignerRole.parse(role), key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Signing key " + file + " does not hold an " + ALGORITHM
                    + " private key", e);
        }
    }

    /** Writes the key to a new file readable and writable by its owner only (where the file system has owners). */
    public void write(Path file) {
        String text = "# Streamtune " + role.label() + " signing key. Private: never copy it to another service.\n"
                + "# Its public half is listed in the trusted-keys file under the same key-id.\n"
                + "key-id=" + keyId + "\nrole=" + role.label() + "\nprivate-key="
                + Base64.getEncoder().encodeToString(privateKey.getEncoded()) + "\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the signing key " + file, e);
        }
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId + ", " + role.label() + "]"; // never the key itself
    }
}
