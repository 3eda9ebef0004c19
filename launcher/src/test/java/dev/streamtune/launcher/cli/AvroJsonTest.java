package dev.streamtune.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.schema.TaskDefinition;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

    @Test
    void unionsShowTheirValueEnumsTheirSymbolTimesIsoAndBytesBase64() {
        TaskDefinition definition = TaskDefinition.newBuilder(TaskCatalogue.newTask("intents",
                        List.of("refund", "upgrade"), "alice", Instant.parse("2026-12-01T09:00:00Z")))
                .setPositiveLabel("refund").setGateOverrides(Map.of("max-quality-drop", Double.NaN))
                .setSignature(ByteBuffer.wrap(new byte[]{1, 2, 3})).build();
        JsonNode json = AvroJson.of(definition);
        assertEquals("refund", json.get("positiveLabel").asText());
        assertEquals("ACTIVE", json.get("state").asText());
        assertEquals("2026-12-01T09:00:00Z", json.get("changedAt").asText());
        assertEquals("AQID", json.get("signature").asText());
        assertEquals("NaN", json.get("gateOverrides").get("max-quality-drop").asText());
        assertEquals(500, json.get("window").get("maxCount").asInt());
        assertTrue(json.get("openLabels").isNull());
        assertEquals("[\"refund\",\"upgrade\"]", json.get("labels").toString());
    }
}
