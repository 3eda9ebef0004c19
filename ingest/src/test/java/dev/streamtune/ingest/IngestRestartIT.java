package dev.streamtune.ingest;

import static dev.streamtune.ingest.Inputs.labelledJson;
import static dev.streamtune.ingest.Inputs.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.Topics;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop the service while records are still arriving, start it again on the same application id, and once more on
 * an empty state directory (state rebuilt from the changelogs): no example lost, none doubled, duplicates of texts
 * seen before the restarts still dropped, and window sequences carry on where they stopped.
 */
@WithKafka
class IngestRestartIT {

    private static final int WINDOW = 50;

    @TempDir
    Path stateDir;
    @TempDir
    Path freshStateDir;
    @TempDir
    Path keysDir;

    @Test
    void aRestartMidStreamLosesNothingAndDoublesNothing(KafkaBroker broker) throws Exception {
        String run = "restart" + UUID.randomUUID().toString().substring(0, 8);
        String task = run;
        LocalSigningKeys keys = IngestApp.keys(keysDir);
        Map<String, Object> config = IngestApp.config(broker.bootstrapServers(), "it-" + run, stateDir, keys);
        // By count only: sequences are deterministic.
        IngestApp.define(broker.bootstrapServers(), keys, Tasks.withWindow(Tasks.task(task, "negative", "positive"),
                WINDOW, Duration.ZERO));

        int firstBatch = 1000;
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            // 1. Records keep arriving while the first instance is stopped, part-way through.
            CompletableFuture<Void> feeding;
            try (EmbeddedServer first = IngestApp.start(config)) {
                feeding = CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < firstBatch; i++) {
                        send(producer, run, task, i, "text " + i);
                        if (i % 25 == 0) { // about 3 s in all: the stop lands in the middle
                            producer.flush();
                            IngestApp.sleep(75);
                        }
                    }
                    producer.flush();
                });
                int before = IngestPipelineIT.ofTask(broker.read(Topics.CLEAN_EXAMPLES.name(),
                        all -> IngestPipelineIT.ofTask(all, task).size() >= 200, Duration.ofSeconds(60)), task).size();
                assertTrue(before >= 200 && !feeding.isDone(), "stopped mid-stream, after " + before);
            }

            // 2. Same application id, same state directory.
            try (EmbeddedServer second = IngestApp.start(config)) {
                feeding.get(60, TimeUnit.SECONDS);
                for (int i = 0; i < 50; i++) {
                    send(producer, run, task, firstBatch + i, "text " + i); // duplicates of texts seen before
                }
                producer.flush();
                assertEquals(firstBatch, IngestPipelineIT.readClean(broker, task, firstBatch).size());
            }

            // 3. Same application id, empty state directory: dedupe and window state come back from the changelogs.
            config.put("ingest.state-dir", freshStateDir.toString());
            try (EmbeddedServer third = IngestApp.start(config)) {
                for (int i = 0; i < 100; i++) {
                    send(producer, run, task, firstBatch + 50 + i, i < 50 ? "text " + (500 + i)
                            : "new text " + i); // 50 duplicates, 50 new
                }
                producer.flush();
                int total = firstBatch + 50;
                List<CleanExample> clean = IngestPipelineIT.readClean(broker, task, total);

                Map<String, Long> timesSeen = clean.stream()
                        .collect(Collectors.groupingBy(CleanExample::getId, Collectors.counting()));
                Set<String> expected = IntStream.concat(IntStream.range(0, firstBatch),
                                IntStream.range(firstBatch + 100, firstBatch + 150))
                        .mapToObj(i -> run + "-" + i).collect(Collectors.toSet());
                assertEquals(expected, timesSeen.keySet(), "no loss, and duplicates dropped across restarts");
                assertTrue(timesSeen.values().stream().allMatch(n -> n == 1), "no example twice");

                List<TrainingWindow> manifests = IngestPipelineIT.readManifests(broker, task, total);
                assertEquals(total / WINDOW, manifests.size());
                List<String> windowIds = new ArrayList<>();
                for (int s = 0; s < manifests.size(); s++) {
                    TrainingWindow manifest = manifests.get(s);
                    assertEquals(s, manifest.getSequence(), "sequences continue across restarts");
                    assertEquals(WINDOW, IngestPipelineIT.size(manifest));
                    windowIds.add(manifest.getWindowId());
                }
                Map<String, Long> perWindow = clean.stream()
                        .collect(Collectors.groupingBy(CleanExample::getWindowId, Collectors.counting()));
                assertEquals(Set.copyOf(windowIds), perWindow.keySet());
                assertTrue(perWindow.values().stream().allMatch(n -> n == WINDOW), perWindow.toString());
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String run, String task, int i, String text) {
        String id = run + "-" + i;
        producer.send(new ProducerRecord<>(Topics.LABELLED_EXAMPLES.name(), utf8(id),
                labelledJson(id, task, text + " of " + run, i % 2 == 0 ? "positive" : "negative")));
    }

}
