package dev.streamtune.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.SigningConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamtuneTest {

    @TempDir
    Path home;

    @Test
    void eachSigningServiceGetsOnlyItsOwnPrivateKeyAndAllGetTheTrustedKeys() {
        LocalSigningKeys keys = LocalSigningKeys.ensure(home.resolve(Streamtune.KEYS_DIRECTORY));
        Map<String, String> trainer = keys.environment(Streamtune.signingRole(Streamtune.service("trainer")));
        Map<String, String> evaluator = keys.environment(Streamtune.signingRole(Streamtune.service("evaluator")));
        Map<String, String> serving = keys.environment(Streamtune.signingRole(Streamtune.service("serving")));

        assertEquals(home.resolve("keys/trainer.key").toString(), trainer.get(SigningConfig.PRIVATE_KEY_VARIABLE));
        assertEquals(home.resolve("keys/evaluator.key").toString(), evaluator.get(SigningConfig.PRIVATE_KEY_VARIABLE));
        assertFalse(serving.containsKey(SigningConfig.PRIVATE_KEY_VARIABLE), "serving verifies, never signs");
        for (Map<String, String> environment : java.util.List.of(trainer, evaluator, serving)) {
            assertEquals(home.resolve("keys/trusted.keys").toString(),
                    environment.get(SigningConfig.TRUSTED_KEYS_VARIABLE));
        }
    }
}
