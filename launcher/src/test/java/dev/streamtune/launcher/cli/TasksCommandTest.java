package dev.streamtune.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TasksCommandTest {

    private static final Map<String, String> ENV = Map.of("USER", "alice");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void listAndShowAreReads() {
        assertEquals(new TasksCommand.ApiCall("GET", "/tasks", java.util.Optional.empty(), false),
                parse("list"));
        TasksCommand.ApiCall show = parse("show", "intents", "--json");
        assertEquals("/tasks/intents", show.path());
        assertTrue(show.json());
    }

    @Test
    void createSendsTheLabelsPositiveLabelAndSettings() throws Exception {
        TasksCommand.ApiCall call = parse("create", "intents", "--labels", "refund, upgrade", "--positive", "refund",
                "window.max-count=200", "window.max-age=5m", "text.overflow=reject", "gate.max-quality-drop=0.02",
                "training.epochs=2", "pii=none", "--by", "bob");
        assertEquals("POST", call.method());
        assertEquals("/tasks?by=bob", call.path());
        assertEquals(JSON.readTree("""
                {"window": {"maxCount": 200, "maxAgeMillis": 300000}, "text": {"overflow": "reject"},
                 "gateOverrides": {"max-quality-drop": 0.02}, "trainingOverrides": {"epochs": "2"}, "pii": [],
                 "task": "intents", "labels": ["refund", "upgrade"], "positiveLabel": "refund"}""").toString(),
                call.body().orElseThrow().toString());
    }

    @Test
    void deadLettersAndReplayCallTheDeadLetterEndpointsAndPrintTheirReports() {
        TasksCommand.ApiCall counts = parse("dead-letters", "intents");
        assertEquals(new TasksCommand.ApiCall("GET", "/tasks/intents/dead-letters", java.util.Optional.empty(), true),
                counts);
        TasksCommand.ApiCall replay = parse("replay", "intents", "--reason", "UNKNOWN_LABEL", "--wait", "10");
        assertEquals("POST", replay.method());
        assertEquals("/tasks/intents/dead-letters/replay?reason=UNKNOWN_LABEL&wait=10", replay.path());
        assertTrue(replay.json());
        assertThrows(TasksCommand.UsageException.class, () -> parse("replay", "intents"));
    }

    @Test
    void addLabelsAppendsAndWhoDefaultsToTheUser() {
        TasksCommand.ApiCall call = parse("add-labels", "intents", "cancel,billing");
        assertEquals("/tasks/intents/labels?by=alice", call.path());
        assertEquals("[\"cancel\",\"billing\"]", call.body().orElseThrow().get("labels").toString());
    }

    @Test
    void setPatchesAndAnEmptyValueRemovesAnOverride() {
        TasksCommand.ApiCall call = parse("set", "intents", "positive=", "gate.max-quality-drop=",
                "open-labels.min-examples=20", "open-labels.max-labels=50");
        assertEquals("PATCH", call.method());
        JsonNode body = call.body().orElseThrow();
        assertEquals("", body.get("positiveLabel").asText());
        assertTrue(body.get("gateOverrides").get("max-quality-drop").isNull());
        assertEquals(20, body.get("openLabels").get("minExamples").asInt());
    }

    @Test
    void stateChangesArePosts() {
        for (String command : List.of("pause", "resume", "retire")) {
            TasksCommand.ApiCall call = parse(command, "intents");
            assertEquals("POST", call.method());
            assertEquals("/tasks/intents/" + command + "?by=alice", call.path());
            assertFalse(call.body().isPresent());
        }
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        for (String[] args : List.of(new String[]{}, new String[]{"frobnicate"}, new String[]{"show"},
                new String[]{"create", "x"}, new String[]{"create", "x", "--labels", ","},
                new String[]{"set", "x"}, new String[]{"set", "x", "window.max-count=lots"},
                new String[]{"set", "x", "colour=blue"}, new String[]{"set", "x", "window.max-age=soon"},
                new String[]{"list", "extra"}, new String[]{"add-labels", "x"}, new String[]{"show", "x", "--by"})) {
            assertThrows(TasksCommand.UsageException.class, () -> TasksCommand.parse(List.of(args), ENV),
                    String.join(" ", args));
        }
    }

    @Test
    void durationsReadAsMilliseconds() {
        assertEquals(90_000, TasksCommand.millis("k", "90s"));
        assertEquals(3_600_000, TasksCommand.millis("k", "1h"));
        assertEquals(500, TasksCommand.millis("k", "500ms"));
        assertEquals(1234, TasksCommand.millis("k", "1234"));
    }

    @Test
    void aTaskIsShownForPeople() throws Exception {
        String text = TasksCommand.task(JSON.readTree("""
                {"task": "intents", "version": 3, "labels": ["refund", "upgrade"], "positiveLabel": "refund",
                 "state": "ACTIVE", "window": {"maxCount": 500, "maxAgeMillis": 60000},
                 "text": {"minChars": 3, "maxChars": 2000, "overflow": "TRUNCATE_HEAD", "maxTokens": 0},
                 "pii": ["email"], "openLabels": null, "gateOverrides": {"max-quality-drop": 0.02},
                 "trainingOverrides": {}, "changedBy": "bob", "changedAt": "2026-12-01T09:00:00Z",
                 "change": "added labels: upgrade"}"""));
        assertEquals("""
                intents  v3  ACTIVE
                  labels       refund, upgrade  (positive: refund)
                  window       500 examples or 1m
                  text         3-2000 characters, longer: truncate-head, the model's token limit
                  pii masked   email
                  open labels  off
                  gate         max-quality-drop=0.02
                  training     defaults
                  changed      2026-12-01T09:00:00Z by bob: added labels: upgrade""", text);
    }

    @Test
    void theListIsOneLinePerTask() throws Exception {
        assertEquals("intents              v3    ACTIVE   refund, upgrade\n"
                        + "topic                v1    RETIRED  world",
                TasksCommand.list(JSON.readTree("""
                        [{"task": "intents", "version": 3, "state": "ACTIVE", "labels": ["refund", "upgrade"]},
                         {"task": "topic", "version": 1, "state": "RETIRED", "labels": ["world"]}]""")));
        assertEquals("no tasks", TasksCommand.list(JSON.readTree("[]")));
    }

    private static TasksCommand.ApiCall parse(String... args) {
        return TasksCommand.parse(List.of(args), ENV);
    }
}
