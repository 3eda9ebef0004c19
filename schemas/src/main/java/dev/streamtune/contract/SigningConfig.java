package dev.streamtune.contract;

import java.nio.file.Path;

/**
 * The two settings of record signing, declared once: each service's {@code application.yml} binds the properties
 * to the environment variables, the launcher and the tests set them through these names.
 */
public final class SigningConfig {

    /** This service's private signing key file (trainer and evaluator; blank elsewhere). */
    public static final String PRIVATE_KEY_PROPERTY = "streamtune.signing.private-key";
    public static final String PRIVATE_KEY_VARIABLE = "STREAMTUNE_SIGNING_KEY";
    /** The trusted public keys file every consumer of control records verifies against. */
    public static final String TRUSTED_KEYS_PROPERTY = "streamtune.signing.trusted-keys";
    public static final String TRUSTED_KEYS_VARIABLE = "STREAMTUNE_TRUSTED_KEYS";

    private SigningConfig() {
    }

    /** @throws IllegalStateException when the key is not configured or unusable, so the service refuses to start */
    public static RecordSigner signer(String privateKeyFile, SignerRole role) {
        SigningKey key = SigningKey.load(required(privateKeyFile, PRIVATE_KEY_PROPERTY, PRIVATE_KEY_VARIABLE));
        if (key.role() != role) {
            throw new IllegalStateException(PRIVATE_KEY_PROPERTY + " names a " + key.role().label()
                    + " key; this service signs as the " + role.label());
        }
        return new RecordSigner(key);
    }

    /** @throws IllegalStateException when the trusted keys are not configured or unusable */
    public static TrustedKeys trustedKeys(String trustedKeysFile) {
        return TrustedKeys.load(required(trustedKeysFile, TRUSTED_KEYS_PROPERTY, TRUSTED_KEYS_VARIABLE));
    }

    private static Path required(String value, String property, String variable) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(property + " is not set (environment variable " + variable
                    + "): control records are signed, see schemas/README.md");
        }
        return Path.of(value);
    }
}
