package dev.streamtune.evaluator.deadletters;

import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.json;
import static dev.streamtune.evaluator.deadletters.DeadLetterFixture.letter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.RecordSigner;
import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TaskCatalogueFollower;
import dev.streamtune.kafka.TaskTopicFixture;
import dev.streamtune.schema.OpenLabelPolicy;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Open-label tasks on a real broker, no ingest process: UNKNOWN_LABEL dead letters are written as ingest writes
 * them, a test {@link LabelAppender} writes the next version of the task as the catalogue writer would, and the
 * monitor adds a label once it has N examples, replays the waiting ones, keeps to the cap, and after a restart
 * goes on from the counts it rebuilt from the topic.
 */
@WithKafka
class OpenLabelMonitorIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** The catalogue writer's part, as the test plays it: appends labels to the version it wrote last. */
    private static final class TestAppender implements LabelAppender {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final AtomicReference<TaskDefinition> current;
        final String bootstrap;
        final RecordSigner signer;

        TestAppender(TaskDefinition first, String bootstrap, RecordSigner signer) {
            this.current = new AtomicReference<>(first);
            this.bootstrap = bootstrap;
            this.signer = signer;
        }

        @Override
        public synchronized TaskDefinition addLabels(String task, List<String> labels, String changedBy) {
            calls.add(task + " " + labels + " by " + changedBy);
            List<String> grown = new ArrayList<>(current.get().getLabels());
            grown.addAll(labels);
            TaskDefinition next = TaskCatalogue.nextVersion(current.get(), changedBy, Instant.now(),
                    "added labels: " + labels).setLabels(grown).build();
            TaskTopicFixture.publish(bootstrap, signer, next);
            current.set(next);
            return next;
        }
    }

    @Test
    void addsALabelAfterNExamplesReplaysItsWaitingExamplesKeepsToTheCapAndSurvivesARestart(KafkaBroker broker,
            @TempDir Path keysDir) throws Exception {
        LocalSigningKeys keys = LocalSigningKeys.ensure(keysDir);
        RecordSigner signer = keys.signer(SignerRole.EVALUATOR);
        TaskDefinition v1 = TaskDefinition.newBuilder(TaskCatalogue.newTask("intent", List.of("billing"), "alice",
                Instant.now())).setOpenLabels(new OpenLabelPolicy(3, 3)).build();
        TaskTopicFixture.publish(broker.bootstrapServers(), signer, v1);
        KafkaConnection kafka = KafkaConnection.plaintext(broker.bootstrapServers());
        DeadLetterTopics topics = new DeadLetterTopics(kafka);
        TestAppender appender = new TestAppender(v1, broker.bootstrapServers(), signer);
        RecordVerifier verifier = new RecordVerifier(keys.trusted(), RecordVerifier.Rejections.NONE);
        DeadLetterSettings.OpenLabels settings = new DeadLetterSettings.OpenLabels(true, Duration.ofMillis(200),
                100, 100, 3);

        // given three examples of "refund" (one dead-lettered twice) and two of "upgrade"
        topics.deadLetter(
                letter("UNKNOWN_LABEL", "intent", "refund", json("intent", "refund", "r-1", "money back"), 1),
                letter("UNKNOWN_LABEL", "intent", "Refund", json("intent", "Refund", null, "refund me"), 2),
                letter("UNKNOWN_LABEL", "intent", "refund", json("intent", "refund", "r-1", "money back"), 3),
                letter("UNKNOWN_LABEL", "intent", "upgrade", json("intent", "upgrade", "u-1", "more please"), 4),
                letter("UNKNOWN_LABEL", "intent", "upgrade", json("intent", "upgrade", "u-2", "bigger plan"), 5),
                letter("TEXT_TOO_LONG", "intent", "refund", json("intent", "refund", "long-1", "too long"), 6));
        DeadLetterReplayer replayer = new DeadLetterReplayer(kafka);
        try (OpenLabelMonitor monitor = monitor(kafka, verifier, replayer, appender, settings)) {
            await(monitor::caughtUp, "caught up");
            Thread.sleep(1000);
            assertEquals(List.of(), appender.calls, "two distinct refund examples are not three");

            // when the third distinct one arrives, refund is added and the task's waiting examples replayed
            topics.deadLetter(letter("UNKNOWN_LABEL", "intent", "REFUND", json("intent", "REFUND", "r-3", "refund"), 7));
            await(() -> appender.calls.size() == 1, "refund added");
            assertEquals(List.of("intent [refund] by open-labels"), appender.calls);
            await(() -> monitor.openLabels("intent").waiting().equals(Map.of("upgrade", 2)), "refund no longer waits");
            // r-1 twice (two dead letters), the one without an id, u-1, u-2, r-3: the TEXT_TOO_LONG one stays
            assertEquals(6, topics.read(Topics.LABELLED_EXAMPLES, 6, PATIENCE).size());
            assertEquals(Map.of("UNKNOWN_LABEL", 6L, "TEXT_TOO_LONG", 1L), monitor.counts("intent").byReason());
        }

        // after a restart the counts are rebuilt: one more upgrade example adds it; cancel is over the cap
        topics.deadLetter(
                letter("UNKNOWN_LABEL", "intent", "upgrade", json("intent", "upgrade", "u-3", "upgrade me"), 8),
                letter("UNKNOWN_LABEL", "intent", "cancel", json("intent", "cancel", "c-1", "stop it"), 9),
                letter("UNKNOWN_LABEL", "intent", "cancel", json("intent", "cancel", "c-2", "stop it now"), 10),
                letter("UNKNOWN_LABEL", "intent", "cancel", json("intent", "cancel", "c-3", "cancel it"), 11));
        try (OpenLabelMonitor monitor = monitor(kafka, verifier, replayer, appender, settings)) {
            await(() -> appender.calls.size() == 2, "upgrade added");
            assertEquals("intent [upgrade] by open-labels", appender.calls.get(1));
            await(() -> monitor.openLabels("intent").overCap().equals(List.of("cancel")), "cancel over the cap");
            // only what arrived after the first replay goes back: the four new dead letters
            assertEquals(10, topics.read(Topics.LABELLED_EXAMPLES, 10, PATIENCE).size());
            Thread.sleep(1000);
            assertEquals(2, appender.calls.size(), "nothing beyond the cap is added");
            assertEquals(10, topics.read(Topics.LABELLED_EXAMPLES, 10, Duration.ofSeconds(2)).size());
        } finally {
            replayer.close();
        }
    }

    private static OpenLabelMonitor monitor(KafkaConnection kafka, RecordVerifier verifier,
                                            DeadLetterReplayer replayer, LabelAppender appender,
                                            DeadLetterSettings.OpenLabels settings) {
        TaskCatalogueFollower catalogue = new TaskCatalogueFollower("it", kafka, verifier).start();
        return new OpenLabelMonitor(kafka, verifier, catalogue, replayer, Optional.of(appender), settings).start();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
            Thread.sleep(100);
        }
    }
}
