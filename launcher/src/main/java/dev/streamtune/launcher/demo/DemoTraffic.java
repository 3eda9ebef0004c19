package dev.streamtune.launcher.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaClients;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.schema.LabelledExample;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's two kinds of outside traffic: an annotation team producing labelled examples to Kafka at a steady
 * rate, and users calling the serving API, then correcting wrong answers (and sometimes rating right ones) through
 * its feedback endpoint, exactly as a client application would.
 */
public final class DemoTraffic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("demo");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Distinct users calling predict (each its own routing key). */
    private static final int USERS = 500;

    private final DriftingReviews reviews;
    private final KafkaConnection kafka;
    private final URI servingUrl;
    /** A client token of SERVING_API_TOKENS, when serving requires one. */
    private final Optional<String> clientToken;
    private final double examplesPerSecond;
    private final double predictionsPerSecond;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong produced = new AtomicLong();
    private final AtomicLong predictions = new AtomicLong();
    private final AtomicLong corrections = new AtomicLong();
    private final Thread annotators;
    private final Thread users;
    private volatile boolean running = true;

    public DemoTraffic(DriftingReviews reviews, KafkaConnection kafka, URI servingUrl, Optional<String> clientToken,
                       double examplesPerSecond, double predictionsPerSecond) {
        this.reviews = reviews;
        this.kafka = kafka;
        this.servingUrl = servingUrl;
        this.clientToken = clientToken;
        this.examplesPerSecond = examplesPerSecond;
        this.predictionsPerSecond = predictionsPerSecond;
        this.annotators = new Thread(this::produceExamples, "demo-annotators");
        this.users = new Thread(this::actLikeUsers, "demo-users");
    }

    public void start() {
        annotators.start();
        users.start();
    }

    public long examplesProduced() {
        return produced.get();
    }

    public long predictionsMade() {
        return predictions.get();
    }

    public long correctionsSent() {
        return corrections.get();
    }

    public String currentEra() {
        synchronized (reviews) {
            return reviews.currentEra();
        }
    }

    private DriftingReviews.Review nextReview() {
        synchronized (reviews) {
            return reviews.next();
        }
    }

    private void produceExamples() {
        long intervalNanos = (long) (1e9 / examplesPerSecond);
        String era = null;
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(kafka, "demo-annotators", 20)) {
            long due = System.nanoTime();
            while (running) {
                DriftingReviews.Review review = nextReview();
                if (!review.era().equals(era)) {
                    era = review.era();
                    LOG.info("annotators: now labelling {} ({} examples/s to {})", era, examplesPerSecond,
                            Topics.LABELLED_EXAMPLES.name());
                }
                LabelledExample example = LabelledExample.newBuilder()
                        .setId("demo-" + UUID.randomUUID()).setTask(DriftingReviews.TASK).setText(review.text())
                        .setLabel(review.label()).setSource("demo-annotators").setEventTime(Instant.now())
                        .setAttributes(review.attributes()).build();
                producer.send(new ProducerRecord<>(Topics.LABELLED_EXAMPLES.name(),
                        example.getId().getBytes(StandardCharsets.UTF_8), Topics.LABELLED_EXAMPLES.encode(example)),
                        (metadata, error) -> {
                            if (error != null) {
                                LOG.warn("annotators: an example was not written: {}", error.getMessage());
                            }
                        });
                produced.incrementAndGet();
                due += intervalNanos;
                sleepUntil(due);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void actLikeUsers() {
        long intervalNanos = (long) (1e9 / predictionsPerSecond);
        long due = System.nanoTime();
        try {
            while (running) {
                try {
                    askAndGiveFeedback(nextReview());
                } catch (java.io.IOException e) {
                    LOG.debug("users: serving not reachable: {}", e.getMessage());
                }
                due += intervalNanos;
                sleepUntil(due);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void askAndGiveFeedback(DriftingReviews.Review review) throws java.io.IOException, InterruptedException {
        // Each call comes from one of the demo's users: with a canary running, a user always gets the same model.
        HttpResponse<String> answer = post("/v1/tasks/" + DriftingReviews.TASK + "/predict",
                Map.of("text", review.text(), "routingKey", "user-" + ThreadLocalRandom.current().nextInt(USERS)));
        if (answer.statusCode() != 200) {
            return; // 404 until the first adapter is deployed, 503 while it loads
        }
        predictions.incrementAndGet();
        JsonNode prediction = JSON.readTree(answer.body()).path("predictions").path(0);
        String predicted = prediction.path("label").asText();
        Map<String, Object> feedback = new LinkedHashMap<>();
        feedback.put("requestId", prediction.path("predictionId").asText());
        if (!predicted.equals(review.label())) {
            feedback.put("correctedLabel", review.label());
            corrections.incrementAndGet();
        } else if (ThreadLocalRandom.current().nextInt(4) == 0) {
            feedback.put("rating", 5);
        } else {
            return;
        }
        HttpResponse<String> accepted = post("/v1/feedback", feedback);
        if (accepted.statusCode() != 202) {
            LOG.warn("users: feedback refused with {}: {}", accepted.statusCode(), accepted.body());
        }
    }

    private HttpResponse<String> post(String path, Map<String, ?> body) throws java.io.IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(servingUrl.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        clientToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void sleepUntil(long dueNanos) throws InterruptedException {
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        users.interrupt(); // the annotators finish their current send (interrupting a Kafka producer breaks it)
        annotators.join(10_000);
        users.join(10_000);
    }
}
