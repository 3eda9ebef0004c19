package dev.streamtune.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.model.AdapterFile;
import dev.streamtune.model.nn.ClassifierHead;
import dev.streamtune.schema.TaskDefinition;
import dev.streamtune.serving.adapter.ModelAdapterLoader;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A label is appended to a task while clients keep predicting, then an adapter whose head was grown by that label
 * (K rows to K+1, the old rows kept) is swapped in: no request fails, every call is answered whole by one adapter
 * (K probabilities before the swap, K+1 after), the new label starts being returned, and the old adapter is released.
 */
@WithKafka
class GrowingLabelsHotSwapIT {

    private static final String TASK = "grow-it";
    private static final String NEW_LABEL = "mixed";
    private static final List<String> GROWN = List.of("negative", "positive", NEW_LABEL);
    private static final int CLIENTS = 8;

    @TempDir
    Path dir;

    private record Call(int status, String adapterId, List<String> labels, int probabilities, String error) {
    }

    @Test
    void swapsAHeadGrownByOneLabelUnderLoadWithoutFailingARequest(KafkaBroker broker) throws Exception {
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        Path store = TestAdapters.store(dir);
        Path before = TestAdapters.create(store, "g1", TestAdapters.SENTIMENT, 1);
        // A large bias on the new row: the grown adapter answers the new label, so its arrival is visible.
        Path grown = TestAdapters.grown(before, store.resolve("g2.adapter"), NEW_LABEL, 20f);
        assertOldRowsKept(before, grown);

        TaskDefinition v1 = TaskCatalogue.newTask(TASK, TestAdapters.SENTIMENT, "test", Instant.now());
        TestAdapters.defineTasks(broker, v1);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK, TestAdapters.deployment(TASK, "g1", before, null));
        }
        try (ApplicationContext context = TestAdapters.start(broker, dir, Map.of())) {
            Http http = new Http(TestAdapters.url(context));
            assertEquals(200, http.awaitOk("/health/readiness", Duration.ofSeconds(60)).status());
            ModelAdapterLoader loader = context.getBean(ModelAdapterLoader.class);
            int arraysWithOneAdapter = loader.baseModel().liveArrayCount();

            // The label is appended first (the catalogue runs ahead of the adapter while the grown one is trained).
            TestAdapters.defineTasks(broker, TaskCatalogue.nextVersion(v1, "alice", Instant.now(),
                    "added labels: " + NEW_LABEL).setLabels(GROWN).build());
            await(() -> http.get("/v1/tasks/" + TASK + "/model").json().path("labelsNotYetLearned").toString()
                    .equals("[\"" + NEW_LABEL + "\"]"));

            AtomicBoolean stop = new AtomicBoolean();
            List<List<Call>> calls = new ArrayList<>();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                List<Call> mine = new ArrayList<>();
                calls.add(mine);
                int client = c;
                Thread thread = new Thread(() -> drive(http, client, stop, mine), "client-" + c);
                clients.add(thread);
                thread.start();
            }
            Thread.sleep(2000);
            try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
                TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK, TestAdapters.deployment(TASK, "g2", grown, "g1"));
            }
            await(() -> "g2".equals(http.get("/v1/tasks/" + TASK + "/model").json().path("adapterId").asText()));
            Thread.sleep(2000);
            stop.set(true);
            for (Thread thread : clients) {
                thread.join();
            }

            List<Call> all = new ArrayList<>();
            calls.forEach(all::addAll);
            List<Call> failed = all.stream().filter(c -> c.status() != 200).toList();
            assertTrue(failed.isEmpty(), failed.size() + " of " + all.size() + " calls failed, e.g. "
                    + failed.subList(0, Math.min(5, failed.size())));
            List<Call> byOld = all.stream().filter(c -> c.adapterId().equals("g1")).toList();
            List<Call> byGrown = all.stream().filter(c -> c.adapterId().equals("g2")).toList();
            assertEquals(all.size(), byOld.size() + byGrown.size());
            assertTrue(byOld.size() > 10 && byGrown.size() > 10, byOld.size() + " calls by g1, " + byGrown.size()
                    + " by g2");
            for (Call call : byOld) {
                assertEquals(2, call.probabilities(), call.toString());
                assertTrue(TestAdapters.SENTIMENT.containsAll(call.labels()), call.toString());
            }
            for (Call call : byGrown) {
                assertEquals(3, call.probabilities(), call.toString());
                assertTrue(call.labels().stream().allMatch(NEW_LABEL::equals), "the grown head answers the new "
                        + "label: " + call);
            }
            for (List<Call> mine : calls) {
                for (int i = 1; i < mine.size(); i++) {
                    assertTrue(!(mine.get(i - 1).adapterId().equals("g2") && mine.get(i).adapterId().equals("g1")),
                            "a client went back from g2 to g1");
                }
            }
            JsonNode model = http.get("/v1/tasks/" + TASK + "/model").json();
            assertEquals(GROWN.toString(), model.get("labels").toString().replace("\"", "").replace(",", ", "));
            assertEquals("[]", model.get("labelsNotYetLearned").toString(), model.toString());
            assertEquals(2, model.at("/catalogue/version").asLong(), model.toString());
            // The K-label adapter was closed after its last request: one adapter's arrays again.
            await(() -> loader.baseModel().liveArrayCount() == arraysWithOneAdapter);
            System.out.printf(Locale.ROOT, "%nGrown-head hot swap: %d calls by %d clients, 0 failed; %d answered by "
                    + "the 2-label adapter, %d by the 3-label one%n%n", all.size(), CLIENTS, byOld.size(),
                    byGrown.size());
        }
    }

    /** The fixture grows the head as the trainer does: the first K rows and biases are the old ones, unchanged. */
    private static void assertOldRowsKept(Path before, Path grown) throws java.io.IOException {
        var old = AdapterFile.read(before).tensors();
        var now = AdapterFile.read(grown).tensors();
        float[] oldWeight = old.get(ClassifierHead.WEIGHT).data();
        assertArrayEquals(oldWeight, Arrays.copyOf(now.get(ClassifierHead.WEIGHT).data(), oldWeight.length));
        float[] oldBias = old.get(ClassifierHead.BIAS).data();
        assertArrayEquals(oldBias, Arrays.copyOf(now.get(ClassifierHead.BIAS).data(), oldBias.length));
        assertEquals(3, now.get(ClassifierHead.BIAS).data().length);
    }

    private static void drive(Http http, int client, AtomicBoolean stop, List<Call> calls) {
        String single = Http.json(Map.of("text", "client " + client + " says it was fine, mostly"));
        String batch = Http.json(Map.of("texts", List.of("terrible", "fine", "the parcel was damaged", "great")));
        for (int i = 0; !stop.get(); i++) {
            try {
                Http.Answer answer = http.post("/v1/tasks/" + TASK + "/predict", i % 4 == 3 ? batch : single);
                if (answer.status() != 200) {
                    calls.add(new Call(answer.status(), null, List.of(), 0, answer.body()));
                    continue;
                }
                JsonNode body = answer.json();
                List<String> labels = new ArrayList<>();
                java.util.Set<Integer> sizes = new java.util.HashSet<>();
                body.get("predictions").forEach(p -> {
                    labels.add(p.get("label").asText());
                    sizes.add(p.get("probabilities").size());
                });
                // Every text of one call is answered by the same head: one probability count per call.
                calls.add(new Call(200, body.get("adapterId").asText(), labels,
                        sizes.size() == 1 ? sizes.iterator().next() : -1, null));
            } catch (RuntimeException e) {
                calls.add(new Call(-1, null, List.of(), 0, e.toString()));
            }
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(50);
        }
    }
}
