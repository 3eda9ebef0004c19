package dev.streamtune.kafka;

import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class AccessControlTest {

    @Test
    void eachTopicHasExactlyTheDeclaredWriters() {
        Map<String, List<String>> writers = new LinkedHashMap<>();
        Topics.ALL.forEach(topic -> writers.put(topic.name(), AccessControl.writersOf(topic)));
        assertEquals(Map.ofEntries(
                Map.entry("tasks", List.of("evaluator")),
                Map.entry("examples.labelled", List.of("evaluator", "producer")),
                Map.entry("feedback.events", List.of("evaluator", "serving", "producer")),
                Map.entry("examples.clean", List.of("ingest")),
                Map.entry("examples.rejected", List.of("ingest")),
                Map.entry("windows.closed", List.of("ingest")),
                Map.entry("adapters.candidates", List.of("trainer")),
                Map.entry("promotion.decisions", List.of("evaluator")),
                Map.entry("deployments", List.of("evaluator")),
                Map.entry("drift.reports", List.of("evaluator")),
                Map.entry("retrain.requests", List.of("evaluator")),
                Map.entry("predictions.log", List.of("serving")),
                Map.entry("annotation.requests", List.of("serving"))), writers);
    }

    @Test
    void onlyTheEvaluatorGetsWriteOnDeployments() {
        Set<String> principals = AccessControl.bindings().stream()
                .filter(b -> b.entry().operation() == AclOperation.WRITE || b.entry().operation() == AclOperation.ALL)
                .filter(b -> b.pattern().resourceType() == ResourceType.TOPIC)
                .filter(b -> b.pattern().patternType() == PatternType.LITERAL
                        ? b.pattern().name().equals("deployments") : "deployments".startsWith(b.pattern().name()))
                .map(b -> b.entry().principal()).collect(Collectors.toSet());
        assertEquals(Set.of("User:evaluator"), principals);
    }

    @Test
    void everyBindingAllowsAndNoneIsAWildcard() {
        for (AclBinding binding : AccessControl.bindings()) {
            assertEquals(AclPermissionType.ALLOW, binding.entry().permissionType(), binding.toString());
            assertFalse(binding.pattern().name().equals("*"), binding.toString());
            assertFalse(binding.entry().principal().equals("User:*"), binding.toString());
        }
    }

    @Test
    void ingestOwnsItsStreamsInternalTopicsGroupAndTransactionalIds() {
        List<AclBinding> ingest = AccessControl.bindings(AccessControl.INGEST);
        assertTrue(has(ingest, ResourceType.TOPIC, "streamtune-ingest-", PatternType.PREFIXED, AclOperation.ALL));
        assertTrue(has(ingest, ResourceType.GROUP, "streamtune-ingest", PatternType.LITERAL, AclOperation.READ));
        assertTrue(has(ingest, ResourceType.TRANSACTIONAL_ID, "streamtune-ingest-", PatternType.PREFIXED,
                AclOperation.WRITE));
        assertTrue(has(ingest, ResourceType.TOPIC, "examples.labelled", PatternType.LITERAL, AclOperation.READ));
        assertFalse(has(ingest, ResourceType.TOPIC, "examples.labelled", PatternType.LITERAL, AclOperation.WRITE));
    }

    @Test
    void trainerJoinsItsGroupAndTheEvaluatorWritesUnderItsTransactionalId() {
        assertTrue(has(AccessControl.bindings(AccessControl.TRAINER), ResourceType.GROUP, "streamtune-trainer",
                PatternType.LITERAL, AclOperation.READ));
        assertTrue(has(AccessControl.bindings(AccessControl.EVALUATOR), ResourceType.TRANSACTIONAL_ID,
                "streamtune-evaluator", PatternType.LITERAL, AclOperation.WRITE));
    }

    @Test
    void theEvaluatorReplaysDeadLettersUnderItsOwnTransactionalIdAndGroups() {
        List<AclBinding> evaluator = AccessControl.bindings(AccessControl.EVALUATOR);
        assertTrue(has(evaluator, ResourceType.TOPIC, "examples.rejected", PatternType.LITERAL, AclOperation.READ));
        assertTrue(has(evaluator, ResourceType.TOPIC, "examples.labelled", PatternType.LITERAL, AclOperation.WRITE));
        assertTrue(has(evaluator, ResourceType.TOPIC, "feedback.events", PatternType.LITERAL, AclOperation.WRITE));
        assertTrue(has(evaluator, ResourceType.TRANSACTIONAL_ID, "streamtune-evaluator-replay", PatternType.LITERAL,
                AclOperation.WRITE));
        assertTrue(has(evaluator, ResourceType.GROUP, "streamtune-evaluator-replay.", PatternType.PREFIXED,
                AclOperation.READ));
        assertFalse(AccessControl.bindings(AccessControl.INGEST).stream()
                .anyMatch(b -> b.pattern().name().startsWith("streamtune-evaluator-replay")));
    }

    @Test
    void servicesMayDescribeTheCatalogueButTheOutsideProducerOnlyItsTopics() {
        for (TopicSpec topic : Topics.ALL) {
            assertTrue(has(AccessControl.bindings(AccessControl.SERVING), ResourceType.TOPIC, topic.name(),
                    PatternType.LITERAL, AclOperation.DESCRIBE), topic.name());
        }
        Set<String> producerTopics = AccessControl.bindings(AccessControl.PRODUCER).stream()
                .map(b -> b.pattern().name()).collect(Collectors.toSet());
        assertEquals(Set.of("examples.labelled", "feedback.events", "annotation.requests"), producerTopics);
    }

    @Test
    void theSuperUserComesFirstAmongTheUsers() {
        assertEquals(List.of("admin", "ingest", "trainer", "evaluator", "serving", "producer"),
                AccessControl.userNames());
    }

    private static boolean has(List<AclBinding> bindings, ResourceType type, String name, PatternType pattern,
                               AclOperation operation) {
        return bindings.stream().anyMatch(b -> b.pattern().resourceType() == type && b.pattern().name().equals(name)
                && b.pattern().patternType() == pattern && b.entry().operation() == operation);
    }
}
