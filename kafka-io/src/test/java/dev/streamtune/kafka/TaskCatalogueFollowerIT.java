package dev.streamtune.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;

/** A service's view of the catalogue: replayed at start, then live; forged and out-of-order records ignored. */
@WithKafka
class TaskCatalogueFollowerIT {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    @Test
    void replaysTheCatalogueThenFollowsChangesAndIgnoresWhatTheEvaluatorDidNotSign(KafkaBroker broker,
                                                                                   @TempDir Path keysDir)
            throws Exception {
        LocalSigningKeys keys = LocalSigningKeys.ensure(keysDir);
        TaskDefinition v1 = TaskCatalogue.newTask("intents", List.of("refund"), "alice", T0);
        TaskTopicFixture.publish(broker.bootstrapServers(), keys.signer(SignerRole.EVALUATOR), v1);

        KafkaConnection kafka = KafkaConnection.plaintext(broker.bootstrapServers());
        List<String> changes = new CopyOnWriteArrayList<>();
        try (TaskCatalogueFollower follower = new TaskCatalogueFollower("test", kafka,
                new RecordVerifier(keys.trusted(), RecordVerifier.Rejections.NONE))) {
            follower.onChange(d -> changes.add(d.getTask() + " v" + d.getVersion()));
            follower.start();
            assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(60)), "caught up");
            assertEquals(List.of("refund"), follower.current().labels("intents"));

            TaskDefinition v2 = TaskCatalogue.nextVersion(v1, "bob", T0.plusSeconds(1), "added cancel")
                    .setLabels(List.of("refund", "cancel")).build();
            // not signed by the evaluator: ignored
            TaskDefinition forged = TaskCatalogue.nextVersion(v1, "mallory", T0, "forged")
                    .setLabels(List.of("refund", "forged")).build();
            TaskTopicFixture.write(broker.bootstrapServers(), forged);
            TaskTopicFixture.publish(broker.bootstrapServers(), keys.signer(SignerRole.EVALUATOR), v2, v1);

            // Read-your-writes: what was acknowledged before now is applied once the wait returns, no polling.
            assertTrue(follower.awaitReadAsOf(Instant.now(), Duration.ofSeconds(30)), "read as of now");
            assertEquals(List.of("refund", "cancel"), follower.current().labels("intents"));
            assertTrue(follower.awaitReadAsOf(T0, Duration.ZERO), "a moment already covered answers at once");
            assertEquals(2, follower.current().find("intents").orElseThrow().getVersion());
            assertEquals(List.of("intents v1", "intents v2"), changes);
        }
    }
}
