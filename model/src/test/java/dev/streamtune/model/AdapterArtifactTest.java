package dev.streamtune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterArtifactTest {

    /** SHA-256("abc"), the FIPS 180-2 test vector. */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path home;
    Path store;
    /** A file next to the store, standing for /etc/shadow. */
    Path secret;

    @BeforeEach
    void layout() throws Exception {
        store = Files.createDirectories(AdapterArtifact.storeUnder(home).resolve("sentiment")).getParent();
        secret = Files.writeString(home.resolve("secret.txt"), "root:$6$hash:19000:0:99999:7:::");
    }

    @Test
    void aPublishedFileInTheStoreVerifiesUntilItsBytesChange() throws Exception {
        Path file = Files.writeString(store.resolve("sentiment/a.adapter"), "abc");
        AdapterArtifact artifact = AdapterArtifact.of(file);
        assertEquals(ABC, artifact.sha256());
        assertEquals(file.toRealPath(), AdapterArtifact.of(artifact.uri().toString(), artifact.sha256())
                .verifiedPath(store));

        Files.writeString(file, "abd");
        var error = assertThrows(CorruptAdapterException.class, () -> artifact.verifiedPath(store));
        assertTrue(error.getMessage().contains("checksum mismatch"), error.getMessage());
        assertFalse(error.getMessage().contains(AdapterArtifact.sha256(file)), "the file's own hash stays unsaid");
        assertFalse(error.getMessage().contains(home.toString()), "no absolute path");
    }

    @Test
    void anAbsolutePathOutsideTheStoreIsRefusedWithoutLookingAtIt() throws Exception {
        String sha = AdapterArtifact.sha256(secret); // even with the right checksum
        assertOutside(secret.toUri().toString(), sha);
        assertOutside("file:///etc/shadow", sha);
        assertOutside("file:///nonexistent/x.adapter", sha);
        assertOutside(store.toUri().toString(), sha); // the store itself is not a file in it
    }

    @Test
    void dotDotIsRefusedEvenWhenItWouldEndInsideTheStore() throws Exception {
        Path file = Files.writeString(store.resolve("sentiment/a.adapter"), "abc");
        assertOutside("file://" + store + "/../secret.txt", AdapterArtifact.sha256(secret));
        assertOutside("file://" + store + "/sentiment/../sentiment/a.adapter", ABC);
        assertOutside("file://" + store + "/sentiment/%2e%2e/%2e%2e/secret.txt", AdapterArtifact.sha256(secret));
        assertEquals(file.toRealPath(), AdapterArtifact.of(file.toUri().toString(), ABC).verifiedPath(store));
    }

    @Test
    void aSymbolicLinkOutOfTheStoreIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(store.resolve("sentiment/evil.adapter"), secret);
        assertOutside(link.toUri().toString(), AdapterArtifact.sha256(secret));

        Path linkedDirectory = Files.createSymbolicLink(store.resolve("elsewhere"), home);
        assertOutside(linkedDirectory.resolve("secret.txt").toUri().toString(), AdapterArtifact.sha256(secret));
    }

    @Test
    void missingFilesAndForeignSchemesAreRefusedWithTheReason() {
        var missing = assertThrows(AdapterLoadException.class,
                () -> AdapterArtifact.of(store.resolve("sentiment/nope.adapter").toUri().toString(), "00")
                        .verifiedPath(store));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        assertTrue(missing.getMessage().contains("sentiment/nope.adapter"), "named inside the store");
        assertFalse(missing.getMessage().contains(home.toString()), missing.getMessage());

        assertOutside("s3://bucket/a.adapter", "00");
        assertOutside("file://otherhost" + store + "/sentiment/a.adapter", "00");
        assertOutside("relative/a.adapter", "00");
        assertThrows(IllegalArgumentException.class, () -> AdapterArtifact.of("not a uri", "00"));
    }

    private void assertOutside(String uri, String sha) {
        var error = assertThrows(AdapterLoadException.class, () -> AdapterArtifact.of(uri, sha).verifiedPath(store),
                uri);
        assertTrue(error.getMessage().contains("outside the store"), error.getMessage());
        assertFalse(error.getMessage().contains(home.toString()), error.getMessage());
        assertFalse(error.getMessage().contains("secret"), error.getMessage());
    }
}
