package dev.streamtune.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamtune.contract.Topics;
import dev.streamtune.kafka.KafkaConnection;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.PerformanceEstimate;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.TrainingWindow;
import dev.streamtune.schema.Verdict;
import dev.streamtune.schema.WindowCloseReason;
import dev.streamtune.testsupport.KafkaBroker;
import dev.streamtune.testsupport.WithKafka;
import io.micronaut.context.ApplicationContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift dashboard rendered by a real headless Chromium (Debian package {@code chromium}) from two hours of
 * drift reports, windows, predictions, feedback and deployments: the screenshot must be the right size and not
 * blank, and the DOM after the page's script ran must hold every chart's elements.
 */
@WithKafka
class DashboardIT {

    private static final String TASK = "dash-it";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private static final Instant START = NOW.minus(Duration.ofHours(2));
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;

    @TempDir
    Path dir;

    @Test
    void rendersEveryChartInHeadlessChromium(KafkaBroker broker) throws Exception {
        Path chromium = chromium();
        Assumptions.assumeTrue(chromium != null,
                "Debian chromium is not installed (apt-get install chromium): skipping the dashboard screenshot test");
        new TopicProvisioner(KafkaConnection.plaintext(broker.bootstrapServers())).ensureAll();
        Path store = TestAdapters.store(dir);
        Path a1 = TestAdapters.create(store, "dash-a1", TestAdapters.SENTIMENT, 1);
        Path a2 = TestAdapters.create(store, "dash-a2", TestAdapters.SENTIMENT, 2);
        TestAdapters.defineTasks(broker, TestAdapters.SENTIMENT, TASK);
        publishHistory(broker, a1, a2);

        try (ApplicationContext context = TestAdapters.start(broker, dir, Map.of("serving.dashboard.bucket", "4m"))) {
            Http http = new Http(TestAdapters.url(context));
            assertEquals(200, http.awaitOk("/health/readiness", Duration.ofSeconds(60)).status());
            try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
                Path garbled = TestAdapters.corrupt(a2, store.resolve("dash-a3.adapter"));
                TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK,
                        TestAdapters.deployment(TASK, "dash-a3", garbled, "dash-a1"));
            }
            JsonNode data = awaitDashboard(http);
            assertEquals(6, data.get("drift").size());
            assertEquals(6, data.get("windows").size());
            assertEquals(4, data.get("deployments").size());
            assertEquals("ROLLED_BACK", data.get("deployments").get(2).get("verdict").asText());

            Path png = Path.of("target", "dashboard-it.png").toAbsolutePath();
            Files.deleteIfExists(png);
            String url = TestAdapters.url(context) + "/dashboard?task=" + TASK;
            chrome(chromium, "--screenshot=" + png, url);
            assertTrue(Files.size(png) > 10_000, "screenshot " + png + " is " + Files.size(png) + " bytes");
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(WIDTH, image.getWidth());
            assertEquals(HEIGHT, image.getHeight());
            Set<Integer> colours = new HashSet<>();
            int background = image.getRGB(WIDTH / 2, HEIGHT - 2);
            long different = 0;
            for (int y = 0; y < HEIGHT; y += 2) {
                for (int x = 0; x < WIDTH; x += 2) {
                    int rgb = image.getRGB(x, y) & 0xffffff;
                    colours.add(rgb);
                    if (rgb != (background & 0xffffff)) {
                        different++;
                    }
                }
            }
            assertTrue(colours.size() > 200, "only " + colours.size() + " colours: blank or unstyled page?");
            assertTrue(different > WIDTH * HEIGHT / 4 / 10, "less than 10% of the page differs from its background");
            // Series colours of the charts (palette blue, orange, green) are on screen, i.e. the SVGs were drawn.
            for (int colour : new int[] {0x2e90fa, 0xf79009, 0x12b76a}) {
                assertTrue(colours.contains(colour), String.format("colour #%06x not drawn", colour));
            }

            String dom = chrome(chromium, "--dump-dom", url);
            assertTrue(dom.contains("data-rendered=\"" + TASK + "\""), "the page script did not finish:\n" + dom);
            assertTrue(count(svg(dom, "chart-drift"), "class=\"point exceeded\"") >= 1);
            assertEquals(12, count(svg(dom, "chart-windows"), "class=\"bar\""), svg(dom, "chart-windows"));
            assertTrue(count(svg(dom, "chart-predictions"), "class=\"bar\"") >= 40, svg(dom, "chart-predictions"));
            assertEquals(2, count(svg(dom, "chart-feedback"), "class=\"series line\""), "estimated and measured");
            assertTrue(svg(dom, "chart-feedback").contains("data-series=\"estimated from confidence\""));
            assertEquals(2, count(svg(dom, "chart-embedding"), "class=\"series line\""), svg(dom, "chart-embedding"));
            assertEquals(2, count(svg(dom, "chart-embedding"), "class=\"threshold\""), "a threshold per report");
            assertTrue(count(svg(dom, "chart-embedding"), "class=\"point exceeded\"") >= 1);
            assertTrue(svg(dom, "chart-embedding").contains("dim 17 +1.21 sd"), "the evidence is in the tooltip");
            assertEquals(2, count(svg(dom, "chart-slices"), "class=\"series line\""), svg(dom, "chart-slices"));
            assertEquals(4, count(svg(dom, "chart-drift"), "class=\"series line\""),
                    "words, lengths, labels and predictions; embeddings and slices have their own charts");
            assertEquals(4, count(svg(dom, "chart-deployments"), "class=\"deployment\""));
            assertEquals(1, count(svg(dom, "chart-deployments"), "class=\"swap rejected\""));
            assertTrue(dom.contains("dash-a3 (CORRUPT)"), "the summary reports the rejected deployment");
            // The task as the catalogue defines it, and its last rejected candidate with the gate's reasons.
            assertTrue(dom.contains("ACTIVE (v1)") && dom.contains("negative, positive"), "task state and labels");
            String rejection = dom.substring(dom.indexOf("id=\"rejection\""));
            assertTrue(rejection.contains("dash-c4 · rejected by gate"), rejection);
            assertTrue(rejection.contains("FAIL calibration") && rejection.indexOf("<li class=\"fail\">FAIL calibration: ECE 0.285 vs champion 0.179</li>")
                    < rejection.indexOf("PASS quality"), "the failed check is listed first and marked:\n" + rejection);
            assertEquals(4, count(dom.substring(dom.indexOf("<tbody>")), "<tr>"));
        }
    }

    private static JsonNode awaitDashboard(Http http) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode data = null;
        while (System.nanoTime() < deadline) {
            Http.Answer answer = http.get("/v1/tasks/" + TASK + "/dashboard");
            if (answer.status() == 200) {
                data = answer.json();
                boolean rejected = false;
                for (JsonNode swap : data.get("swaps")) {
                    rejected |= swap.get("outcome").asText().equals("REJECTED");
                }
                if (data.get("predictions").size() >= 30 && data.get("feedback").size() >= 30
                        && data.get("drift").size() == 6 && data.get("windows").size() == 6
                        && data.get("deployments").size() == 4 && rejected) {
                    return data;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("dashboard data incomplete: " + data);
    }

    private static void publishHistory(KafkaBroker broker, Path a1, Path a2) {
        java.util.Random random = new java.util.Random(3);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            for (int w = 0; w < 6; w++) {
                Instant closed = START.plus(Duration.ofMinutes(20L * w + 10));
                long positive = 70 - 9L * w;
                TestAdapters.send(producer, Topics.CLOSED_WINDOWS, TASK, TrainingWindow.newBuilder()
                        .setWindowId(TASK + "-00000" + w).setTask(TASK).setSequence(w).setStart(closed.minusSeconds(1200))
                        .setEnd(closed).setClosedAt(closed).setCloseReason(WindowCloseReason.TIME).setTrainCount(80)
                        .setValidationCount(10).setTestCount(10)
                        .setLabelHistogram(Map.of("positive", positive, "negative", 100 - positive))
                        .setSliceHistogram(Map.of()).setImbalanceRatio(1.2).setLengthHistogram(List.of(10L, 80L, 10L))
                        .setLengthBucketBounds(List.of(8, 32)).setMeanLength(12).setTopTokens(Map.of()).build());
                double d = 0.05 + 0.07 * w;
                TestAdapters.send(producer, Topics.DRIFT_REPORTS, TASK, DriftReport.newBuilder()
                        .setReportId("dr" + w).setTask(TASK).setWindowId(TASK + "-00000" + w)
                        .setReferenceWindowId(TASK + "-000000").setCreatedAt(closed.plusSeconds(5))
                        .setScores(Map.of("input.token.js", d, "input.length.psi", d * 0.6, "label.js", d * 0.8,
                                "prediction.js", d * 1.1, "input.embedding.auc", 0.5 + d, "input.embedding.mmd", d / 2,
                                "slice.locale=fr.input.token.js", d * 1.3, "slice.locale.js", d / 3))
                        .setThresholds(Map.of("input.token.js", 0.3, "input.length.psi", 0.25, "label.js", 0.3,
                                "prediction.js", 0.3, "input.embedding.auc", 0.58 + 0.01 * w,
                                "input.embedding.mmd", 0.12, "slice.locale=fr.input.token.js", 0.35,
                                "slice.locale.js", 0.2))
                        .setPValues(Map.of("input.embedding.auc", d > 0.08 ? 0.001 : 0.4))
                        .setEvidence(Map.of("input.embedding.auc", "dim 17 +1.21 sd, dim 203 -0.87 sd"))
                        .setFalseAlarmRate(0.01)
                        .setPerformance(PerformanceEstimate.newBuilder().setServedPredictions(100)
                                .setEstimatedAccuracy(0.9 - d / 2).setJudgedByFeedback(10).setFeedbackAccuracy(0.8)
                                .build())
                        .setExceeded(d > 0.3 ? List.of("input.token.js", "input.embedding.auc") : List.of())
                        .setRetrainTriggered(d > 0.3)
                        .build());
            }
            for (int minute = 0; minute < 120; minute++) {
                Instant at = START.plus(Duration.ofMinutes(minute));
                double negativeShare = 0.2 + 0.5 * minute / 120.0;
                for (int i = 0; i < 3 + random.nextInt(4); i++) {
                    boolean negative = random.nextDouble() < negativeShare;
                    double confidence = 0.6 + 0.35 * random.nextDouble();
                    String label = negative ? "negative" : "positive";
                    TestAdapters.send(producer, Topics.PREDICTION_LOG, "p" + minute + "-" + i, PredictionLog.newBuilder()
                            .setRequestId("p" + minute + "-" + i).setTask(TASK).setAdapterId("dash-a1").setText("text")
                            .setPredictedLabel(label)
                            .setProbabilities(Map.of(label, confidence, negative ? "positive" : "negative", 1 - confidence))
                            .setServedAt(at.plusSeconds(i)).setLatencyMicros(3000 + random.nextInt(5000)).build());
                }
                double accuracy = 0.92 - 0.3 * minute / 120.0;
                if (minute % 2 == 0) {
                    for (int i = 0; i < 4; i++) {
                        boolean right = random.nextDouble() < accuracy;
                        TestAdapters.send(producer, Topics.FEEDBACK_EVENTS, "f" + minute + "-" + i, FeedbackEvent.newBuilder()
                                .setRequestId("f" + minute + "-" + i).setTask(TASK).setModelVersion("dash-a1")
                                .setText("text").setPredictedLabel("positive")
                                .setCorrectedLabel(i % 2 == 0 ? (right ? "positive" : "negative") : null)
                                .setRating(i % 2 == 0 ? null : (right ? 5 : 1)).setEventTime(at).build());
                    }
                }
            }
            deploy(producer, a1, "dash-a1", null, "d1", Verdict.APPROVED, START.plus(Duration.ofMinutes(5)));
            deploy(producer, a2, "dash-a2", "dash-a1", "d2", Verdict.APPROVED, START.plus(Duration.ofMinutes(55)));
            deploy(producer, a1, "dash-a1", null, "d3", Verdict.ROLLED_BACK, START.plus(Duration.ofMinutes(95)));
            // A later candidate the gate refused: the page shows it with its reasons, the failed check first.
            TestAdapters.send(producer, Topics.PROMOTION_DECISIONS, TASK, PromotionDecision.newBuilder()
                    .setDecisionId("d4").setCandidateId("dash-c4").setTask(TASK).setVerdict(Verdict.REJECTED)
                    .setReasons(List.of("PASS quality: accuracy 0.914 >= 0.000",
                            "FAIL calibration: ECE 0.285 vs champion 0.179"))
                    .setDecidedBy("gate").setDecidedAt(START.plus(Duration.ofMinutes(100))).build());
        }
    }

    private static void deploy(KafkaProducer<byte[], byte[]> producer, Path file, String adapter, String previous,
                               String decisionId, Verdict verdict, Instant at) {
        TestAdapters.send(producer, Topics.PROMOTION_DECISIONS, TASK, PromotionDecision.newBuilder()
                .setDecisionId(decisionId).setCandidateId(verdict == Verdict.ROLLED_BACK ? "dash-a2" : adapter)
                .setTask(TASK).setVerdict(verdict).setReasons(List.of(verdict == Verdict.ROLLED_BACK
                        ? "OVERRIDE dash-a2 rolled back by alice" : "PASS quality"))
                .setDecidedBy(verdict == Verdict.ROLLED_BACK ? "alice" : "gate").setDecidedAt(at).build());
        Deployment deployment = TestAdapters.deployment(TASK, adapter, file, TestAdapters.sha256(file), decisionId,
                previous);
        deployment.setDeployedAt(at);
        TestAdapters.send(producer, Topics.DEPLOYMENTS, TASK, deployment);
    }

    private static Path chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    /** Runs headless Chromium on {@code url} and returns its standard output. */
    private String chrome(Path chromium, String action, String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        Path stderr = dir.resolve("chromium-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=" + WIDTH + "," + HEIGHT,
                "--virtual-time-budget=10000", action, url));
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s");
        }
        assertEquals(0, process.exitValue(), "chromium failed: " + Files.readString(stderr));
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The markup of the SVG with {@code id}. */
    private static String svg(String dom, String id) {
        int start = dom.indexOf("id=\"" + id + "\"");
        assertTrue(start >= 0, id + " missing");
        return dom.substring(start, dom.indexOf("</svg>", start));
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
