package dev.streamtune.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TaskTopicFixture;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.Split;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.PoisonPayloads;
import dev.streamtune.testsupport.WithKafka;
import dev.streamtune.trainer.training.SyntheticTasks;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer survives what used to end it: undecodable records on the control topics it reads, and an adapter file
 * that cannot be written. The round is retried once the fault clears and its candidate published once.
 */
@WithKafka
class TrainerRecoveryIT {

    private static final String TASK = "recovery";

    @TempDir
    Path home;

    @Test
    void skipsUndecodableRecordsAndPublishesOnceTheAdapterCanBeWrittenAgain(KafkaBroker broker) throws Exception {
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        TaskTopicFixture.publish(broker.bootstrapServers(), keys().signer(SignerRole.EVALUATOR),
                TaskCatalogue.newTask(TASK, SyntheticTasks.LABELS, "trainer-recovery-it", Instant.now()));
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            poison(producer, Topics.ADAPTER_CANDIDATES.name(), PoisonPayloads.garbage());
            poison(producer, Topics.DEPLOYMENTS.name(), PoisonPayloads.garbage());
            poison(producer, Topics.CLOSED_WINDOWS.name(), PoisonPayloads.garbage());
        }
        String window = TASK + "-000000";
        WindowRecords.sendWindow(broker, TASK, window, 0, ofTask(window, SyntheticTasks.examples(0, 48, 1, Split.TRAIN)),
                ofTask(window, SyntheticTasks.examples(0, 16, 2, Split.VALIDATION)));
        // Where the adapter directory should be, a file: creating the directory fails like a read-only disk would.
        Path adapters = home.resolve("adapters");
        Files.writeString(adapters, "in the way");

        try (ApplicationContext context = start(broker)) {
            TrainerService service = context.getBean(TrainerService.class);
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (service.loop().faults() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(service.loop().faults() > 0, "the round failed writing its adapter");
            assertTrue(service.alive(), "and the trainer did not stop");
            assertTrue(service.loop().ongoingFault().contains(adapters.toString()), service.loop().ongoingFault());
            assertEquals(0, candidates(broker, 1, Duration.ofSeconds(1)).size());

            Files.delete(adapters); // the fault clears

            AdapterCandidate candidate = candidates(broker, 1, Duration.ofMinutes(10)).get(0);
            assertEquals("cand-" + window, candidate.getCandidateId());
            assertTrue(Files.exists(home.resolve("adapters").resolve(TASK).resolve("cand-" + window + ".adapter")));
            assertEquals(1, candidates(broker, 2, Duration.ofSeconds(5)).size(), "published once");
            assertTrue(service.skippedRecords().keySet().containsAll(List.of(Topics.ADAPTER_CANDIDATES.name(),
                    Topics.DEPLOYMENTS.name())), service.skippedRecords().toString());
            assertTrue(service.alive());
        }
    }

    private ApplicationContext start(KafkaBroker broker) {
        Map<String, Object> properties = new java.util.HashMap<>(keys().properties(SignerRole.TRAINER));
        properties.putAll(Map.of(
                "micronaut.server.port", -1,
                "kafka.bootstrap-servers", broker.bootstrapServers(),
                "trainer.group-id", "trainer-recovery-it",
                "trainer.home", home.toString(),
                "trainer.checkpoint-every-steps", 2,
                "trainer.ewc.fisher-samples", 16,
                "trainer.hyperparameters.max-steps", 6,
                "trainer.hyperparameters.evaluate-every-steps", 3,
                "trainer.hyperparameters.max-sequence-length", 32));
        return ApplicationContext.run(properties);
    }

    private LocalSigningKeys keys() {
        return LocalSigningKeys.ensure(home.resolve("keys"));
    }

    private static List<CleanExample> ofTask(String window, List<CleanExample> examples) {
        return examples.stream().map(e -> CleanExample.newBuilder(e).setId(TASK + "-" + e.getId()).setTask(TASK)
                .setWindowId(window).build()).toList();
    }

    private static void poison(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, TASK.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    private static List<AdapterCandidate> candidates(KafkaBroker broker, int atLeast, Duration timeout) {
        return WindowRecords.candidates(broker, List.of(TASK), atLeast, timeout);
    }
}
