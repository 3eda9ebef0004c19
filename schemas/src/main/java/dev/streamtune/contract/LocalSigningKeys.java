package dev.streamtune.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A directory of key pairs for running on one machine (the run command uses {@code $STREAMTUNE_HOME/keys}, tests a
 * temporary directory): {@code trainer.key} and {@code evaluator.key} (private, owner-only) and
 * {@code trusted.keys} (their public halves). Created on first use; existing keys are kept.
 */
public record LocalSigningKeys(Path directory) {

    public static final String TRUSTED_KEYS_FILE = "trusted.keys";

    /** Creates whichever key pairs are missing under {@code directory} and returns it. */
    public static LocalSigningKeys ensure(Path directory) {
        LocalSigningKeys keys = new LocalSigningKeys(directory.toAbsolutePath());
        try {
            if (!Files.isDirectory(directory)) {
                try {
                    Files.createDirectories(directory,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createDirectories(directory);
                }
            }
            List<TrustedKey> trusted = new ArrayList<>();
            Path trustedFile = keys.trustedKeys();
            if (Files.exists(trustedFile)) {
                trusted.addAll(TrustedKeys.load(trustedFile).all());
            }
            Set<String> trustedIds = new HashSet<>();
            trusted.forEach(k -> trustedIds.add(k.keyId()));
            boolean changed = false;
            for (SignerRole role : SignerRole.values()) {
                Path file = keys.privateKey(role);
                if (!Files.exists(file)) {
                    SigningKey.Generated generated = SigningKey.generate(role, newKeyId(role));
                    generated.signingKey().write(file);
                    trusted.add(generated.trustedKey());
                    changed = true;
                } else if (!trustedIds.contains(SigningKey.load(file).keyId())) {
                    throw new IllegalStateException(file + " is not listed in " + trustedFile
                            + ": add its public key there (or remove both files to start afresh)");
                }
            }
            if (changed) {
                Files.writeString(trustedFile, TrustedKeys.of(trusted).format(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create signing keys under " + directory, e);
        }
        return keys;
    }

    /**
     * Creates the key pairs in the directory given as the only argument (what docker compose's {@code signing-keys}
     * step runs, and how keys for Kubernetes Secrets are made) and prints where they are.
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: LocalSigningKeys <directory>   (creates trainer.key, evaluator.key, trusted.keys)");
            System.exit(64);
        }
        LocalSigningKeys keys = ensure(Path.of(args[0]));
        for (SignerRole role : SignerRole.values()) {
            System.out.println(role.label() + " private key: " + keys.privateKey(role));
        }
        System.out.println("trusted public keys: " + keys.trustedKeys());
    }

    /** e.g. {@code evaluator-20261201-3f9a0c12}: the role, the day it was made, and a random part. */
    public static String newKeyId(SignerRole role) {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        return role.label() + "-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE) + "-"
                + HexFormat.of().formatHex(random);
    }

    public Path privateKey(SignerRole role) {
        return directory.resolve(role.label() + ".key");
    }

    public Path trustedKeys() {
        return directory.resolve(TRUSTED_KEYS_FILE);
    }

    /** Environment variables for a service signing as {@code role}, or only verifying when {@code role} is null. */
    public Map<String, String> environment(SignerRole role) {
        Map<String, String> environment = new HashMap<>();
        environment.put(SigningConfig.TRUSTED_KEYS_VARIABLE, trustedKeys().toString());
        if (role != null) {
            environment.put(SigningConfig.PRIVATE_KEY_VARIABLE, privateKey(role).toString());
        }
        return environment;
    }

    /** The same as configuration properties, for services started in-process (tests, bench). */
    public Map<String, Object> properties(SignerRole role) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(SigningConfig.TRUSTED_KEYS_PROPERTY, trustedKeys().toString());
        if (role != null) {
            properties.put(SigningConfig.PRIVATE_KEY_PROPERTY, privateKey(role).toString());
        }
        return properties;
    }

    /** A signer with this directory's key for {@code role}. */
    public RecordSigner signer(SignerRole role) {
        return new RecordSigner(SigningKey.load(privateKey(role)));
    }

    public TrustedKeys trusted() {
        return TrustedKeys.load(trustedKeys());
    }
}
