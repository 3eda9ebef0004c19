package dev.streamtune.localkafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void passwordsAreRandomPerUserAndKeptInAnOwnerOnlyFile() throws Exception {
        Path file = dir.resolve("kafka-credentials.properties");
        BrokerCredentials first = BrokerCredentials.loadOrCreate(file, "admin", List.of("admin", "ingest", "serving"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertNotEquals(first.password("ingest"), first.password("serving"));
        assertTrue(first.password("ingest").matches("[A-Za-z0-9_-]{24}"), first.password("ingest"));
        assertEquals(first, BrokerCredentials.loadOrCreate(file, "admin", List.of("admin", "ingest", "serving")));
    }

    @Test
    void aNewUserGetsAPasswordAndTheOthersKeepTheirs() throws Exception {
        Path file = dir.resolve("credentials");
        BrokerCredentials before = BrokerCredentials.loadOrCreate(file, "admin", List.of("admin", "ingest"));
        BrokerCredentials after = BrokerCredentials.loadOrCreate(file, "admin", List.of("admin", "ingest", "trainer"));
        assertEquals(before.password("ingest"), after.password("ingest"));
        assertEquals(before.superUserPassword(), after.superUserPassword());
        assertFalse(after.password("trainer").isBlank());
    }

    @Test
    void toStringShowsNoPassword() throws Exception {
        BrokerCredentials credentials = BrokerCredentials.loadOrCreate(dir.resolve("c"), "admin", List.of("admin"));
        assertFalse(credentials.toString().contains(credentials.superUserPassword()));
    }
}
