package dev.streamtune.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import dev.streamtune.schema.AdapterCandidate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSigningKeysTest {

    @TempDir
    Path dir;

    @Test
    void firstUseCreatesOwnerOnlyPrivateKeysAndTheirTrustedPublicHalves() throws Exception {
        LocalSigningKeys keys = LocalSigningKeys.ensure(dir.resolve("keys"));

        for (SignerRole role : SignerRole.values()) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.privateKey(role))));
            String id = SigningKey.load(keys.privateKey(role)).keyId();
            assertEquals(role, keys.trusted().get(id).orElseThrow().role());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.directory())));
        AdapterCandidate signed = keys.signer(SignerRole.TRAINER).sign(SampleRecords.adapterCandidate());
        assertEquals(Optional.empty(),
                new RecordVerifier(keys.trusted(), RecordVerifier.Rejections.NONE).check(signed));
    }

    @Test
    void laterStartsKeepTheKeys() throws Exception {
        LocalSigningKeys first = LocalSigningKeys.ensure(dir);
        String trusted = Files.readString(first.trustedKeys());
        String evaluatorKey = Files.readString(first.privateKey(SignerRole.EVALUATOR));

        LocalSigningKeys second = LocalSigningKeys.ensure(dir);
        assertEquals(trusted, Files.readString(second.trustedKeys()));
        assertEquals(evaluatorKey, Files.readString(second.privateKey(SignerRole.EVALUATOR)));
    }

    @Test
    void aPrivateKeyMissingFromTheTrustedSetIsNamed() throws Exception {
        LocalSigningKeys keys = LocalSigningKeys.ensure(dir);
        Files.writeString(keys.trustedKeys(), Files.readString(keys.trustedKeys()).lines()
                .filter(line -> !line.startsWith("trainer")).reduce("", (a, b) -> a + b + "\n"));
        var error = assertThrows(IllegalStateException.class, () -> LocalSigningKeys.ensure(dir));
        assertTrue(error.getMessage().contains("trainer.key is not listed"), error.getMessage());
    }

    @Test
    void configurationRefusesMissingKeysAndKeysOfAnotherRole() {
        LocalSigningKeys keys = LocalSigningKeys.ensure(dir);
        var unset = assertThrows(IllegalStateException.class, () -> SigningConfig.trustedKeys(" "));
        assertTrue(unset.getMessage().contains(SigningConfig.TRUSTED_KEYS_VARIABLE), unset.getMessage());
        var wrongRole = assertThrows(IllegalStateException.class, () -> SigningConfig.signer(
                keys.privateKey(SignerRole.TRAINER).toString(), SignerRole.EVALUATOR));
        assertTrue(wrongRole.getMessage().contains("names a trainer key"), wrongRole.getMessage());
        assertEquals(SignerRole.EVALUATOR, SigningConfig.signer(keys.privateKey(SignerRole.EVALUATOR).toString(),
                SignerRole.EVALUATOR).key().role());
    }

    @Test
    void aMalformedTrustedKeysFileNamesTheLine() throws Exception {
        Path file = dir.resolve("trusted.keys");
        Files.writeString(file, "# comment\nevaluator e1 not-base64!\n");
        var error = assertThrows(IllegalArgumentException.class, () -> TrustedKeys.load(file));
        assertTrue(error.getMessage().contains("line 2"), error.getMessage());
    }
}
