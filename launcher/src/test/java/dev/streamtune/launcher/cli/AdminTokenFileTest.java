package dev.streamtune.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenFileTest {

    @TempDir
    Path keys;

    @Test
    void aTokenIsMadeOnceReadableByItsOwnerOnlyAndReadBackByTheTasksCommand() throws Exception {
        assertEquals(Optional.empty(), AdminTokenFile.read(keys, Map.of()));
        String token = AdminTokenFile.ensure(keys, Map.of());
        assertTrue(token.length() >= 40, token);
        assertEquals(token, AdminTokenFile.ensure(keys, Map.of()), "kept across starts");
        assertEquals(Optional.of(token), AdminTokenFile.read(keys, Map.of()));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys.resolve(AdminTokenFile.FILE))));
    }

    @Test
    void theEnvironmentWinsAndNoFileIsMade() {
        Map<String, String> env = Map.of(AdminTokenFile.VARIABLE, "given");
        assertEquals("given", AdminTokenFile.ensure(keys, env));
        assertEquals(Optional.of("given"), AdminTokenFile.read(keys, env));
        assertFalse(Files.exists(keys.resolve(AdminTokenFile.FILE)));
    }
}
