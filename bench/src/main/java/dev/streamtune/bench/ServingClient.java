package dev.streamtune.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The two calls the freshness bench makes to serving, as any client would: which adapter answers for a task
 * ({@code GET /v1/tasks/{task}/model}) and batch predictions ({@code POST /v1/tasks/{task}/predict}).
 */
final class ServingClient {

    /** serving.max-texts-per-request in serving's application.yml: a larger batch is refused with 413. */
    static final int MAX_TEXTS_PER_REQUEST = 64;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param base serving's URL, e.g. http://127.0.0.1:8080 */
    ServingClient(String base) {
        this.base = base;
    }

    /** The adapter answering for the task now; empty while none does (404) or serving does not answer. */
    Optional<String> adapterId(String task) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(task, "model"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.ofNullable(JSON.readTree(response.body()).path("adapterId").textValue());
        } catch (IOException notAnswering) {
            return Optional.empty();
        }
    }

    /** What serving answered for a batch: the adapter that made every prediction and the labels in text order. */
    record Answer(String adapterId, List<String> labels) {
    }

    /** Predicts the texts in batches serving accepts; every batch must come from the same adapter. */
    Answer predict(String task, List<String> texts) throws IOException, InterruptedException {
        String adapterId = null;
        List<String> labels = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += MAX_TEXTS_PER_REQUEST) {
            ObjectNode body = JSON.createObjectNode();
            body.putArray("texts").addAll(texts.subList(from, Math.min(texts.size(), from + MAX_TEXTS_PER_REQUEST))
                    .stream().map(JSON.getNodeFactory()::textNode).toList());
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(task, "predict"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("predict answered HTTP " + response.statusCode() + ": " + response.body());
            }
            JsonNode answer = JSON.readTree(response.body());
            String by = answer.path("adapterId").asText();
            if (adapterId != null && !adapterId.equals(by)) {
                throw new IOException("serving swapped adapters during the batch: " + adapterId + ", then " + by);
            }
            adapterId = by;
            answer.path("predictions").forEach(p -> labels.add(p.path("label").asText()));
        }
        return new Answer(adapterId, labels);
    }

    private URI uri(String task, String what) {
        return URI.create(base + "/v1/tasks/" + URLEncoder.encode(task, StandardCharsets.UTF_8) + "/" + what);
    }
}
