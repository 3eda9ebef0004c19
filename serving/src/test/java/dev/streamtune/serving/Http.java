package dev.streamtune.serving;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain JDK HTTP client for the integration tests: every status comes back as a value, never as an exception. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** An answer: status, raw body, and the body as JSON when it is JSON. */
    public record Answer(int status, String body, String contentType, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private final String base;
    /** Sent as {@code Authorization: Bearer <token>} with every request that names no other; null: none. */
    private final String token;

    public Http(String base) {
        this(base, null);
    }

    public Http(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    /** The same client without its token. */
    public Http anonymous() {
        return new Http(base, null);
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Answer post(String path, String json) {
        return post(path, json, token);
    }

    public Answer post(String path, String json, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request);
    }

    public Answer send(HttpRequest.Builder request) {
        if (token != null && !request.build().headers().firstValue("Authorization").isPresent()) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""), response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code path} until it answers 200 or the timeout passes; returns the last answer. */
    public Answer awaitOk(String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Answer answer = get(path);
        while (answer.status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            answer = get(path);
        }
        return answer;
    }
}
