package dev.streamtune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.model.InferenceEngine;
import dev.streamtune.schema.Deployment;
import dev.streamtune.serving.adapter.ModelAdapterLoader;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients keep predicting while six deployments arrive, three of them unusable (checksum mismatch, wrong base
 * model, corrupt tensors): no request may fail, none may be answered by an unusable adapter, each client sees the
 * versions only move forward, every replaced adapter is released, and latency stays bounded.
 */
@WithKafka
class HotSwapIT {

    /** One task per engine: the two runs share the broker and its compacted deployments topic. */
    private String task;
    private static final int CLIENTS = 8;
    private static final Duration STEADY = Duration.ofSeconds(3);
    private static final Duration BETWEEN_DEPLOYMENTS = Duration.ofMillis(1200);
    /** Generous: a 2-core CI machine also runs the broker and the adapter loads; measured values are printed. */
    private static final long MAX_SWAP_P99_MILLIS = 2500;

    @TempDir
    Path dir;

    private record Call(long startNanos, long nanos, int status, String adapterId, String error) {
    }

    /** On the default engine and on the fast path (ONNX Runtime int8: compiled per adapter at load). */
    @ParameterizedTest
    @ValueSource(strings = {"pytorch", "onnx-int8"})
    void swapsAdaptersUnderLoadWithoutFailingARequest(String engine, KafkaBroker broker) throws Exception {
        task = "hotswap-it-" + engine;
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        Path store = TestAdapters.store(dir);
        List<String> valid = List.of("v1", "v2", "v3", "v4");
        Map<String, Path> files = new TreeMap<>();
        for (int i = 0; i < valid.size(); i++) {
            files.put(valid.get(i), TestAdapters.create(store, valid.get(i), TestAdapters.SENTIMENT, 100 + i));
        }
        Path tamperedSource = TestAdapters.create(store, "tampered-original", TestAdapters.SENTIMENT, 7);
        String tamperedSha = TestAdapters.sha256(tamperedSource); // published before the bytes changed
        Path tampered = TestAdapters.corrupt(tamperedSource, store.resolve("tampered.adapter"));
        Path alien = TestAdapters.wrongBase(files.get("v2"), store.resolve("alien.adapter"));
        Path garbled = TestAdapters.corrupt(files.get("v3"), store.resolve("garbled.adapter"));
        List<Deployment> during = List.of(
                TestAdapters.deployment(task, "v2", files.get("v2"), "v1"),
                TestAdapters.deployment(task, "tampered", tampered, tamperedSha, "decision-tampered", "v2"),
                TestAdapters.deployment(task, "v3", files.get("v3"), "v2"),
                TestAdapters.deployment(task, "alien", alien, "v3"),
                TestAdapters.deployment(task, "garbled", garbled, "v3"),
                TestAdapters.deployment(task, "v4", files.get("v4"), "v3"));

        TestAdapters.defineTasks(broker, TestAdapters.SENTIMENT, task);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            TestAdapters.send(producer, Topics.DEPLOYMENTS, task, TestAdapters.deployment(task, "v1", files.get("v1"), null));
        }
        try (ApplicationContext context = TestAdapters.start(broker, dir, Map.of(InferenceEngine.CONFIG_KEY, engine))) {
            Http http = new Http(TestAdapters.url(context));
            assertEquals(200, http.awaitOk("/health/readiness", Duration.ofSeconds(60)).status());
            assertEquals("v1", http.get("/v1/tasks/" + task + "/model").json().get("adapterId").asText());
            ModelAdapterLoader loader = context.getBean(ModelAdapterLoader.class);
            int arraysWithOneAdapter = loader.baseModel().liveArrayCount();

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
            Thread.sleep(3000); // warm-up: JIT compilation, first batches, the dashboard feed replaying predictions.log
            long swapsFrom = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
                for (Deployment deployment : during) {
                    TestAdapters.send(producer, Topics.DEPLOYMENTS, task, deployment);
                    Thread.sleep(BETWEEN_DEPLOYMENTS.toMillis());
                }
            }
            await(() -> {
                JsonNode model = http.get("/v1/tasks/" + task + "/model").json();
                return "v4".equals(model.path("adapterId").asText()) && (model.path("loadingAdapterId").isNull()
                        || model.path("loadingAdapterId").isMissingNode());
            });
            Thread.sleep(500);
            long swapsUntil = System.nanoTime();
            // Steady state for comparison, measured after the swaps so that both phases run on a warm JVM.
            Thread.sleep(STEADY.toMillis());
            long steadyUntil = System.nanoTime();
            stop.set(true);
            for (Thread thread : clients) {
                thread.join();
            }

            List<Call> all = new ArrayList<>();
            calls.forEach(all::addAll);
            List<Call> failed = all.stream().filter(c -> c.status() != 200).toList();
            assertTrue(failed.isEmpty(), failed.size() + " of " + all.size() + " calls failed, e.g. "
                    + failed.subList(0, Math.min(5, failed.size())));
            Set<String> answeredBy = new java.util.TreeSet<>();
            all.forEach(c -> answeredBy.add(c.adapterId()));
            assertTrue(valid.containsAll(answeredBy), "answered by " + answeredBy);
            assertTrue(answeredBy.containsAll(List.of("v1", "v4")), "answered by " + answeredBy);
            for (List<Call> mine : calls) {
                for (int i = 1; i < mine.size(); i++) {
                    assertTrue(valid.indexOf(mine.get(i).adapterId()) >= valid.indexOf(mine.get(i - 1).adapterId()),
                            "a client saw " + mine.get(i - 1).adapterId() + " then " + mine.get(i).adapterId());
                }
            }

            JsonNode model = http.get("/v1/tasks/" + task + "/model").json();
            assertEquals("garbled", model.at("/lastSwapError/adapterId").asText(), model.toString());
            assertEquals("CORRUPT", model.at("/lastSwapError/kind").asText(), model.toString());
            String metrics = http.get("/prometheus").body();
            assertEquals(3, swaps(metrics, "rejected"), metrics);
            assertEquals(4, swaps(metrics, "swapped"));
            List<String> rejected = new ArrayList<>();
            http.get("/v1/tasks/" + task + "/dashboard").json().get("swaps").forEach(s -> {
                if (s.get("outcome").asText().equals("REJECTED")) {
                    rejected.add(s.get("adapterId").asText() + " " + s.get("detail").asText().split(":")[0]);
                }
            });
            assertEquals(List.of("tampered CORRUPT", "alien WRONG_BASE", "garbled CORRUPT"), rejected);

            // Every replaced adapter has been closed: the base model holds its weights plus one adapter again.
            await(() -> loader.baseModel().liveArrayCount() == arraysWithOneAdapter);

            long[] steady = latencies(all, swapsUntil, steadyUntil);
            long[] swapping = latencies(all, swapsFrom, swapsUntil);
            double seconds = (steadyUntil - swapsFrom) / 1e9;
            System.out.printf(Locale.ROOT, "%nHot swap under load (%s): %d clients, %d calls in %.1f s (%.0f calls/s), "
                            + "0 failed, answered by %s%n  steady: p50 %.1f ms, p99 %.1f ms (%d calls)%n"
                            + "  during 6 deployments (3 rejected): p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d calls)%n%n",
                    engine, CLIENTS, all.size(), seconds, all.size() / seconds, answeredBy, percentile(steady, 50),
                    percentile(steady, 99), steady.length, percentile(swapping, 50), percentile(swapping, 99),
                    percentile(swapping, 100), swapping.length);
            assertTrue(steady.length > 50 && swapping.length > 50, "too few calls measured");
            assertTrue(percentile(swapping, 99) < MAX_SWAP_P99_MILLIS,
                    "p99 during swaps " + percentile(swapping, 99) + " ms");
        }
    }

    private void drive(Http http, int client, AtomicBoolean stop, List<Call> calls) {
        String single = Http.json(Map.of("text", "client " + client + " says the delivery was quick and friendly"));
        String batch = Http.json(Map.of("texts", List.of("terrible", "fine", "the parcel was damaged", "great")));
        for (int i = 0; !stop.get(); i++) {
            long started = System.nanoTime();
            try {
                Http.Answer answer = http.post("/v1/tasks/" + task + "/predict", i % 5 == 4 ? batch : single);
                String adapter = answer.status() == 200 ? answer.json().get("adapterId").asText() : null;
                calls.add(new Call(started, System.nanoTime() - started, answer.status(), adapter,
                        answer.status() == 200 ? null : answer.body()));
            } catch (RuntimeException e) {
                calls.add(new Call(started, System.nanoTime() - started, -1, null, e.toString()));
            }
        }
    }

    private static long[] latencies(List<Call> calls, long from, long until) {
        return calls.stream().filter(c -> c.startNanos() >= from && c.startNanos() < until)
                .mapToLong(Call::nanos).sorted().toArray();
    }

    static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
    }

    private int swaps(String metrics, String outcome) {
        return Arrays.stream(metrics.split("\n"))
                .filter(l -> l.startsWith("serving_adapter_swaps_total{") && l.contains("task=\"" + task + "\"")
                        && l.contains("outcome=\"" + outcome + "\""))
                .mapToInt(l -> (int) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
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
