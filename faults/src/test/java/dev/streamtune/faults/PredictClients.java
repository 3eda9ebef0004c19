package dev.streamtune.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Clients calling serving's predict endpoint back to back, each on its own thread, counting answers and failures
 * and remembering which adapters answered and when the latest answer came.
 */
final class PredictClients implements AutoCloseable {

    private final URI predict;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastAnswerNanos = new AtomicLong();
    private final Set<String> adapters = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    PredictClients(URI serving, String task, int clients) {
        this.predict = serving.resolve("/v1/tasks/" + task + "/predict");
        for (int i = 0; i < clients; i++) {
            int client = i;
            Thread thread = new Thread(() -> call(client), "predict-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    private void call(int client) {
        int n = 0;
        while (!stopped) {
            String text = "Order " + client + "-" + n++ + (n % 2 == 0 ? " arrived early and works great"
                    : " arrived broken and nobody answered");
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(predict)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                                java.util.Map.of("text", text))))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode body = json.readTree(response.body());
                    adapters.add(body.path("adapterId").asText());
                    answered.incrementAndGet();
                    lastAnswerNanos.set(System.nanoTime());
                    continue;
                }
                failed.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                failed.incrementAndGet();
            }
            // Serving is down or not ready: try again soon, without spinning.
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    long answered() {
        return answered.get();
    }

    long failed() {
        return failed.get();
    }

    /** System.nanoTime() of the latest answer; 0 before the first. */
    long lastAnswerNanos() {
        return lastAnswerNanos.get();
    }

    /** The adapters that answered since the last call, which forgets them. */
    Set<String> drainAdapters() {
        Set<String> seen = Set.copyOf(adapters);
        adapters.removeAll(seen);
        return seen;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(5_000);
        }
    }
}
