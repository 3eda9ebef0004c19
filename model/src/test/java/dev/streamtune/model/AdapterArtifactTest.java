package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterArtifactTest {

    @TempDir
    Path dir;

    @Test
    void aPublishedFileVerifiesUntilItsBytesChange() throws Exception {
        Path file = dir.resolve("a.adapter");
        Files.writeString(file, "abc");
        AdapterArtifact artifact = AdapterArtifact.of(file);
        // SHA-256("abc"), the FIPS 180-2 test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", artifact.sha256());
        assertEquals(file.toAbsolutePath(), AdapterArtifact.of(artifact.uri().toString(), artifact.sha256())
                .verifiedPath());

        Files.writeString(file, "abd");
        var error = assertThrows(CorruptAdapterException.class, artifact::verifiedPath);
        assertTrue(error.getMessage().contains("expected ba7816bf"), error.getMessage());
    }

    @Test
    void missingFilesAndForeignSchemesAreRefusedWithTheReason() {
        var missing = assertThrows(AdapterLoadException.class,
                () -> AdapterArtifact.of(dir.resolve("nope").toUri().toString(), "00").verifiedPath());
        assertTrue(missing.getMessage().contains("does not exist"));
        var remote = assertThrows(AdapterLoadException.class,
                () -> AdapterArtifact.of("s3://bucket/a.adapter", "00").verifiedPath());
        assertTrue(remote.getMessage().contains("only file: URIs"));
        assertThrows(IllegalArgumentException.class, () -> AdapterArtifact.of("not a uri", "00"));
    }
}
