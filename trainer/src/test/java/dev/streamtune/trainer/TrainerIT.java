package dev.streamtune.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TaskTopicFixture;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.AdapterFile;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.Split;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import dev.streamtune.trainer.training.SyntheticTasks;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer on a real broker with the real MiniLM base: a closed window becomes a published candidate. */
@WithKafka
class TrainerIT {

    @TempDir
    Path home;

    @Test
    void aClosedWindowBecomesACandidateAndAnInterruptedRoundResumesWithoutDuplicates(KafkaBroker broker)
            throws Exception {
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        TaskTopicFixture.publish(broker.bootstrapServers(), keys().signer(SignerRole.EVALUATOR),
                TaskCatalogue.newTask("synthetic", SyntheticTasks.LABELS, "trainer-it", Instant.now()));
        String window = "synthetic-000000";
        List<CleanExample> train = SyntheticTasks.examples(0, 160, 1, Split.TRAIN);
        List<CleanExample> validation = SyntheticTasks.examples(0, 30, 2, Split.VALIDATION);
        WindowRecords.sendWindow(broker, "synthetic", window, 0, train, validation);
        // A deployment nobody signed: the trainer must not start from it.
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            producer.send(new ProducerRecord<>(Topics.DEPLOYMENTS.name(), "synthetic".getBytes(),
                    Topics.DEPLOYMENTS.encode(Deployment.newBuilder().setTask("synthetic").setAdapterId("forged")
                            .setArtifactUri("file:///etc/passwd").setArtifactSha256("0".repeat(64))
                            .setBaseModelId("x").setDecisionId("forged").setDeployedAt(Instant.now()).build())))
                    .get();
        }

        // First run: stop it as soon as it has checkpointed part of the round.
        Path round = home.resolve("trainer/tasks/synthetic/round.properties");
        try (ApplicationContext first = start(broker)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!Files.exists(round) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(Files.exists(round), "a mid-round checkpoint was written");
        }
        assertTrue(Files.exists(home.resolve("trainer/tasks/synthetic/round.optimizer")),
                "with the optimizer's moments");
        assertEquals(0, candidates(broker, 1, Duration.ofSeconds(3)).size(), "nothing published by the stopped run");

        // Second run resumes the round from the checkpoint and publishes once.
        try (ApplicationContext second = start(broker)) {
            AdapterCandidate candidate = candidates(broker, 1, Duration.ofMinutes(5)).get(0);
            assertEquals("cand-" + window, candidate.getCandidateId());
            assertEquals(List.of(window), candidate.getWindowIds());
            assertTrue(candidate.getLineage().stream().anyMatch(line -> line.startsWith("resumed after")),
                    candidate.getLineage().toString());
            assertEquals(null, candidate.getParentAdapterId(), "the forged deployment was not trained from");
            assertTrue(candidate.getLineage().get(0).startsWith("fresh adapter"), candidate.getLineage().toString());
            assertEquals(java.util.Optional.empty(), new RecordVerifier(keys().trusted(),
                    RecordVerifier.Rejections.NONE).check(candidate), "signed by the trainer");
            assertTrue(candidate.getValidationMetrics().get("validation.accuracy") >= 0.8,
                    candidate.getValidationMetrics().toString());
            Path file = AdapterArtifact.of(candidate.getArtifactUri(), candidate.getArtifactSha256())
                    .verifiedPath(AdapterArtifact.storeUnder(home));
            assertTrue(file.startsWith(home.resolve("adapters/synthetic")), file.toString());
            assertEquals(train.stream().map(CleanExample::getLabel).distinct().sorted().toList(),
                    AdapterFile.read(file).metadata().learnedLabels().stream().sorted().toList(),
                    "the adapter records the labels it was trained on, across the resume");
            // The default strategies' state: replay keeps a buffer (LwF and weight aligning keep nothing between rounds).
            assertTrue(Files.exists(home.resolve("trainer/tasks/synthetic/replay.bin")));
        }

        // Third run: the window already has its candidate; nothing is trained or published again.
        try (ApplicationContext third = start(broker)) {
            TrainerService service = third.getBean(TrainerService.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!service.isConsuming() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, candidates(broker, 2, Duration.ofSeconds(5)).size());
        }
    }

    private LocalSigningKeys keys() {
        return LocalSigningKeys.ensure(home.resolve("keys"));
    }

    private ApplicationContext start(KafkaBroker broker) {
        Map<String, Object> properties = new java.util.HashMap<>(keys().properties(SignerRole.TRAINER));
        properties.putAll(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap-servers", broker.bootstrapServers(),
                "trainer.home", home.toString(),
                "trainer.checkpoint-every-steps", 3,
                "trainer.hyperparameters.max-steps", 40,
                "trainer.hyperparameters.evaluate-every-steps", 20,
                "trainer.hyperparameters.max-sequence-length", 32));
        return ApplicationContext.run(properties);
    }

    private static List<AdapterCandidate> candidates(KafkaBroker broker, int atLeast, Duration timeout) {
        return WindowRecords.candidates(broker, List.of("synthetic"), atLeast, timeout);
    }
}
