package dev.streamtune.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.contract.TopicSpec;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.WindowCloseReason;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench's tap on a real broker: a window is handed over only once all of its examples arrived, an undecodable
 * record is skipped, a candidate counts only when signed by the run's trainer key, and a dead service ends a wait.
 */
@WithKafka
class PipelineTapIT {

    private static final String WINDOW = "nouns-000000";
    private static final Instant AT = Instant.parse("2026-12-01T09:00:00Z");

    @TempDir
    Path dir;

    @Test
    void handsOverCompleteWindowsAndTrainerSignedCandidatesOnly(KafkaBroker broker) throws Exception {
        KafkaConnection kafka = KafkaConnection.plaintext(broker.bootstrapServers());
        new TopicProvisioner(kafka).ensureAll();
        LocalSigningKeys keys = LocalSigningKeys.ensure(dir.resolve("keys"));
        try (PipelineTap tap = new PipelineTap(broker.bootstrapServers(), keys.trusted());
             KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka, "pipeline-tap-it", 0)) {
            tap.awaitLeaders(List.of(Topics.CLEAN_EXAMPLES, Topics.CLOSED_WINDOWS), Duration.ofSeconds(30));

            send(producer, Topics.CLOSED_WINDOWS, WINDOW, Topics.CLOSED_WINDOWS.encode(window(2)));
            send(producer, Topics.CLEAN_EXAMPLES, "e1", Topics.CLEAN_EXAMPLES.encode(example("e1", Split.TRAIN)));
            send(producer, Topics.CLEAN_EXAMPLES, "junk", "not avro".getBytes(StandardCharsets.UTF_8));
            IllegalStateException early = assertThrows(IllegalStateException.class,
                    () -> tap.awaitWindow(0, Duration.ofSeconds(2), () -> true));
            assertTrue(early.getMessage().contains("timed out"), early.getMessage());

            send(producer, Topics.CLEAN_EXAMPLES, "e2", Topics.CLEAN_EXAMPLES.encode(example("e2", Split.TEST)));
            assertEquals(WINDOW, tap.awaitWindow(0, Duration.ofSeconds(30), () -> true).getWindowId());
            assertEquals(2, tap.examples(WINDOW).size());
            assertEquals("e2", tap.examples(WINDOW, Split.TEST).get(0).getId());

            send(producer, Topics.ADAPTER_CANDIDATES, "forged",
                    Topics.ADAPTER_CANDIDATES.encode(candidate("forged", "forged-window")));
            send(producer, Topics.ADAPTER_CANDIDATES, "c1", Topics.ADAPTER_CANDIDATES.encode(
                    keys.signer(SignerRole.TRAINER).sign(candidate("c1", WINDOW))));
            assertEquals("c1", tap.awaitCandidate(WINDOW, Duration.ofSeconds(30), () -> true).getCandidateId());
            assertThrows(IllegalStateException.class,
                    () -> tap.awaitCandidate("forged-window", Duration.ofSeconds(2), () -> true),
                    "an unsigned candidate is not handed over");

            IllegalStateException died = assertThrows(IllegalStateException.class,
                    () -> tap.awaitCandidate("nouns-000001", Duration.ofSeconds(30), () -> false));
            assertTrue(died.getMessage().contains("stopped"), died.getMessage());
            assertEquals(Map.of(), tap.rejections());
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, TopicSpec topic, String key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    private static TrainingWindow window(long examples) {
        return TrainingWindow.newBuilder().setWindowId(WINDOW).setTask("nouns").setSequence(0).setStart(AT)
                .setEnd(AT.plusSeconds(60)).setClosedAt(AT.plusSeconds(60)).setCloseReason(WindowCloseReason.COUNT)
                .setTrainCount(examples - 1).setValidationCount(0).setTestCount(1)
                .setLabelHistogram(Map.of("animal", examples)).setSliceHistogram(Map.of()).setImbalanceRatio(1)
                .setLengthHistogram(List.of()).setLengthBucketBounds(List.of()).setMeanLength(10)
                .setTopTokens(Map.of()).build();
    }

    private static CleanExample example(String id, Split split) {
        return CleanExample.newBuilder().setId(id).setTask("nouns").setText("a dog " + id).setLabel("animal")
                .setSource("bench").setOrigin(ExampleOrigin.LABELLED).setEventTime(AT).setSplit(split)
                .setContentHash(id).setWindowId(WINDOW).build();
    }

    private static AdapterCandidate candidate(String id, String windowId) {
        return AdapterCandidate.newBuilder().setCandidateId(id).setTask("nouns").setBaseModelId("base")
                .setBaseModelChecksum("00").setWindowIds(List.of(windowId)).setArtifactUri("file:///x")
                .setArtifactSha256("00").setCreatedAt(AT).setHyperparameters(Map.of())
                .setValidationMetrics(Map.of()).build();
    }
}
