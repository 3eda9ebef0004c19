package dev.streamtune.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.Topics;
import org.junit.jupiter.api.Test;

class WatchCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anAvroRecordIsOneLineOfJson() throws Exception {
        byte[] avro = Topics.TASKS.encode(TaskCatalogue.newTask("intents", List.of("refund"), "alice",
                Instant.parse("2026-12-01T09:00:00Z")));
        String line = WatchCommand.line(Topics.TASKS, avro).orElseThrow();
        assertTrue(!line.contains("\n"));
        JsonNode node = JSON.readTree(line);
        assertEquals("intents", node.get("task").asText());
        assertEquals("2026-12-01T09:00:00Z", node.get("changedAt").asText());
    }

    @Test
    void aJsonRecordIsPrintedAsItIsOnOneLine() {
        byte[] json = "{\"id\": \"e1\",\n \"task\": \"sentiment\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("{\"id\":\"e1\",\"task\":\"sentiment\"}",
                WatchCommand.line(Topics.LABELLED_EXAMPLES, json).orElseThrow());
    }

    @Test
    void anUnreadableRecordIsSaidSoAndATombstoneIsSkipped() throws Exception {
        JsonNode note = JSON.readTree(WatchCommand.line(Topics.TASKS, new byte[]{1, 2, 3}).orElseThrow());
        assertEquals(3, note.get("bytes").asInt());
        assertEquals(Optional.empty(), WatchCommand.line(Topics.TASKS, null));
    }

    @Test
    void theTopicMustBeOneOfTheCatalogue() {
        assertEquals(Topics.CLEAN_EXAMPLES, WatchCommand.parse(List.of("examples.clean")).topic());
        assertTrue(WatchCommand.parse(List.of("--from-beginning", "tasks")).fromBeginning());
        assertThrows(TasksCommand.UsageException.class, () -> WatchCommand.parse(List.of("nope")));
        assertThrows(TasksCommand.UsageException.class, () -> WatchCommand.parse(List.of()));
    }
}
