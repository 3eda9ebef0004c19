package dev.streamtune.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;
import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of every process of the running system while data flows, one at a time, each restarted on its own state:
 * ingest mid-transaction, the broker, the trainer mid-round, the evaluator while it judges a candidate, and serving
 * under predict load; then everything at once. One broker and one set of service JVMs for the whole class, started the way the run command
 * starts them; the steps run in order and each names the behaviour it checks.
 *
 * <p>What must hold: every example the broker acknowledged is in {@code examples.clean} exactly once (read
 * committed); every closed window is trained into exactly one candidate; every candidate is decided exactly once and
 * every approval deployed once; serving answers again, with the same adapter, within a bounded time; and after the
 * broker and every service are killed together and restarted, the task catalogue (a task created and grown through
 * the API), the served adapter and every topic's count are exactly as they were. The measured
 * figures (records produced, lost, duplicated after each kill; recovery times) are logged and written to
 * {@code target/kill-recovery.md}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillRecoveryIT {

    private static final Logger LOG = LoggerFactory.getLogger(KillRecoveryIT.class);

    /** The README walkthrough's rate order of magnitude, and the rate of the measurement this test automates. */
    private static final double EXAMPLES_PER_SECOND = 20;
    /** Small count windows: one closes every 5 s at that rate, so every stage is busy throughout. */
    private static final int WINDOW_SIZE = 100;
    private static final int PREDICT_CLIENTS = 4;
    private static final String ADMIN_TOKEN = "kill-recovery-admin";

    /** Generous bounds for a loaded 2-core CI machine; the measured times are reported beside them. */
    private static final Duration START_PATIENCE = Duration.ofMinutes(4);
    private static final Duration RECOVERY_BOUND = Duration.ofMinutes(3);
    private static final Duration DRAIN_PATIENCE = Duration.ofMinutes(6);

    /**
     * Today's configuration keys (each service's application.yml), small enough that a window is trained, judged and
     * deployed in seconds.
     */
    private static final Map<String, String> SETTINGS = Map.ofEntries(
            Map.entry("evaluator.tasks.sentiment.window-max-count", Integer.toString(WINDOW_SIZE)),
            Map.entry("evaluator.tasks.sentiment.window-max-age", "30s"),
            Map.entry("trainer.hyperparameters.epochs", "1"),
            Map.entry("trainer.hyperparameters.max-steps", "12"),
            Map.entry("trainer.hyperparameters.batch-size", "8"),
            Map.entry("trainer.hyperparameters.max-sequence-length", "32"),
            Map.entry("trainer.hyperparameters.evaluate-every-steps", "6"),
            // A checkpoint every 2 steps: the test sees a round in progress through its checkpoint file.
            Map.entry("trainer.checkpoint-every-steps", "2"),
            Map.entry("trainer.ewc.fisher-samples", "16"),
            Map.entry("evaluator.candidate-wait-seconds", "10"),
            Map.entry("evaluator.retention-size", "50"),
            Map.entry("evaluator.canary-size", "20"),
            // A 100-example window has about 15 test examples.
            Map.entry("evaluator.gate.min-test-examples", "5"),
            // The last step changes the task catalogue through the evaluator's authenticated API.
            Map.entry("evaluator.admin-token", KillRecoveryIT.ADMIN_TOKEN));

    private final Map<String, String> figures = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private Path home;
    private RunningSystem system;
    private PipelineTranscript transcript;
    private LabelledExampleStream examples;

    @BeforeAll
    void startTheSystemAndTheStream() throws Exception {
        Path repo = Path.of(System.getProperty("streamtune.repo", "..")).toAbsolutePath().normalize();
        Path target = repo.resolve("faults").resolve("target");
        home = Files.createDirectories(target.resolve("kill-recovery-home"));
        RunningSystem.deleteQuietly(home);
        Files.createDirectories(home);
        long started = System.nanoTime();
        system = RunningSystem.start(repo, home, SETTINGS);
        for (String service : RunningSystem.SERVICES) {
            system.awaitHealthy(service, START_PATIENCE);
        }
        record("system up (broker + 4 service JVMs healthy)", since(started));
        transcript = new PipelineTranscript(system.bootstrapServers());
        examples = new LabelledExampleStream(system.bootstrapServers(), EXAMPLES_PER_SECOND);
        examples.start();
        examples.flowSteadily();
    }

    @AfterAll
    void stopEverything() throws Exception {
        try {
            if (examples != null) {
                examples.close();
            }
            if (transcript != null) {
                transcript.close();
            }
        } finally {
            if (system != null) {
                system.close();
            }
            String report = figures.entrySet().stream().map(e -> "| " + e.getKey() + " | " + e.getValue() + " |")
                    .collect(Collectors.joining("\n", "| measured | |\n|---|---|\n", "\n"));
            LOG.info("Kill recovery figures (logs in {}):\n{}", home, report);
            if (home != null) {
                Files.writeString(home.resolveSibling("kill-recovery.md"), report);
            }
        }
    }

    @Test
    @Order(1)
    void ingestKilledMidTransactionLosesAndRepeatsNoExample() throws Exception {
        awaitExamplesFlowing(150);
        // Ingest commits its transaction every second and examples arrive every 50 ms: one is open now.
        long killed = System.nanoTime();
        system.killService("ingest");
        Thread.sleep(2_000); // examples keep arriving at examples.labelled while ingest is gone
        system.startService("ingest");
        system.awaitHealthy("ingest", RECOVERY_BOUND);
        record("ingest: kill -> healthy again", since(killed));
        PipelineTranscript.await(RECOVERY_BOUND, "clean examples flowing after the ingest restart",
                () -> transcript.lastCleanNanos() > killed);
        record("ingest: kill -> clean examples flowing again", since(killed));

        assertEveryAcknowledgedExampleCleanExactlyOnce("ingest kill");
    }

    @Test
    @Order(2)
    void brokerKilledWhileExamplesFlowLosesAndRepeatsNoExample() throws Exception {
        awaitExamplesFlowing(transcript.cleanRecords() + 40);
        long killed = System.nanoTime();
        system.killBroker();
        Thread.sleep(1_000);
        system.startBroker();
        record("broker: kill -> answering again (same data dir and port)", since(killed));
        PipelineTranscript.await(RECOVERY_BOUND, "clean examples flowing after the broker restart",
                () -> transcript.lastCleanNanos() > killed);
        record("broker: kill -> clean examples flowing again", since(killed));
        for (String service : RunningSystem.SERVICES) {
            system.awaitHealthy(service, RECOVERY_BOUND);
        }
        record("broker: kill -> every service healthy", since(killed));
        // The later kills need no steady flow; a bounded number of windows keeps the class short.
        examples.stopAtMultipleOf(WINDOW_SIZE);
        examples.awaitSent(RECOVERY_BOUND);

        assertEveryAcknowledgedExampleCleanExactlyOnce("broker kill");
    }

    @Test
    @Order(3)
    void trainerKilledMidRoundTrainsTheRoundsWindowsIntoExactlyOneCandidate() throws Exception {
        Path round = home.resolve("trainer").resolve("tasks").resolve(LabelledExampleStream.TASK)
                .resolve("round.properties");
        examples.produceMore(WINDOW_SIZE); // one more window to train, should the trainer be idle by now
        long killed = 0;
        Properties progress = null;
        for (int attempt = 0; progress == null && attempt < 3; attempt++) {
            PipelineTranscript.await(DRAIN_PATIENCE, "a training round in progress (its checkpoint " + round + ")",
                    () -> Files.exists(round));
            killed = System.nanoTime();
            system.killService("trainer");
            if (Files.exists(round)) {
                progress = readProperties(round);
            } else {
                // The round ended between the check and the kill: try again on the next round.
                system.startService("trainer");
                system.awaitHealthy("trainer", RECOVERY_BOUND);
            }
        }
        assertTrue(progress != null, "the trainer was killed with a round in progress");
        String candidateId = progress.getProperty("candidate");
        // A round is named after its last window ("cand-" + window id).
        String lastWindow = candidateId.substring("cand-".length());
        record("trainer: killed in round " + candidateId, "after " + progress.getProperty("batches") + " batches");
        assertTrue(transcript.candidates().stream().noneMatch(c -> c.getWindowIds().contains(lastWindow)),
                "the round was still in progress when the trainer was killed");

        system.startService("trainer");
        system.awaitHealthy("trainer", RECOVERY_BOUND);
        record("trainer: kill -> healthy again", since(killed));
        PipelineTranscript.await(DRAIN_PATIENCE, "window " + lastWindow + " trained into a candidate after the restart",
                () -> transcript.candidates().stream().anyMatch(c -> c.getWindowIds().contains(lastWindow)));
        record("trainer: kill -> interrupted round's windows published as a candidate", since(killed));
        // The checkpoint is resumed when the restarted trainer forms the same round; windows that completed while
        // it was down join the round instead, under a new name, and it trains from the start (nothing repeated).
        record("trainer: interrupted round", Files.readString(system.logFile("trainer"))
                .contains(candidateId + ": resuming after") ? "resumed from its checkpoint"
                : "regrouped with windows that completed meanwhile and trained from the start");

        assertEquals(1, transcript.candidates().stream().filter(c -> c.getWindowIds().contains(lastWindow)).count(),
                "window " + lastWindow + " in exactly one candidate");
    }

    @Test
    @Order(4)
    void evaluatorKilledWhileJudgingDecidesTheCandidateOnce() throws Exception {
        examples.produceMore(WINDOW_SIZE); // one more window, trained into a candidate after the one in progress
        Set<String> seen = transcript.candidates().stream().map(AdapterCandidate::getCandidateId)
                .collect(Collectors.toSet());
        // The decision and its deployment are one transaction, so "between decision and deployment" is not a
        // state the evaluator can be in; the nearest is a candidate that has arrived and is being judged.
        PipelineTranscript.await(DRAIN_PATIENCE, "a new candidate to judge",
                () -> transcript.undecidedCandidates().stream().anyMatch(c -> !seen.contains(c.getCandidateId())));
        AdapterCandidate judged = transcript.undecidedCandidates().stream()
                .filter(c -> !seen.contains(c.getCandidateId())).findFirst().orElseThrow();
        Instant killedAt = Instant.now();
        long killed = System.nanoTime();
        system.killService("evaluator");
        system.startService("evaluator");
        system.awaitHealthy("evaluator", RECOVERY_BOUND);
        record("evaluator: kill -> healthy again", since(killed));
        PipelineTranscript.await(RECOVERY_BOUND, "a decision on " + judged.getCandidateId(),
                () -> decisionsOf(judged.getCandidateId()).size() > 0);
        record("evaluator: kill -> decision on " + judged.getCandidateId(), since(killed));
        Thread.sleep(2_000); // a repeated decision would follow the first closely
        List<PromotionDecision> decisions = decisionsOf(judged.getCandidateId());
        record("evaluator: decision on the judged candidate committed",
                decisions.get(0).getDecidedAt().isBefore(killedAt) ? "before the kill" : "after the restart");

        assertEquals(1, decisions.size(), "one decision on " + judged.getCandidateId());
    }

    @Test
    @Order(5)
    void everyExampleWindowCandidateDecisionAndDeploymentExistsExactlyOnce() throws Exception {
        examples.awaitSent(RECOVERY_BOUND);
        record("examples produced (acknowledged / failed)", examples.acknowledged().size() + " / "
                + examples.failed().size());
        long drained = System.nanoTime();
        assertEveryAcknowledgedExampleCleanExactlyOnce("all kills");
        PipelineTranscript.await(DRAIN_PATIENCE, "every clean example in a closed window",
                () -> transcript.examplesInClosedWindows() == transcript.cleanRecords());
        PipelineTranscript.await(DRAIN_PATIENCE, "every closed window trained into a candidate and every candidate "
                + "decided", () -> everyWindowTrained() && transcript.undecidedCandidates().isEmpty());
        record("pipeline drained after the stream stopped", since(drained));
        Thread.sleep(3_000); // anything repeated would arrive now

        List<String> windowIds = transcript.windows().stream().map(w -> w.getWindowId()).toList();
        List<AdapterCandidate> candidates = transcript.candidates();
        List<PromotionDecision> decisions = transcript.decisions();
        List<Deployment> deployments = transcript.deployments();
        record("windows / candidates / decisions / deployments", windowIds.size() + " / " + candidates.size()
                + " / " + decisions.size() + " / " + deployments.size());

        assertTrue(examples.failed().isEmpty(), "no send failed: " + examples.failed());
        assertEquals(Map.of(), repeated(windowIds, Function.identity()), "windows closed once");
        List<String> trainedWindowIds = candidates.stream().flatMap(c -> c.getWindowIds().stream()).toList();
        assertEquals(Map.of(), repeated(trainedWindowIds, Function.identity()), "no window in two candidates");
        assertEquals(Set.copyOf(windowIds), Set.copyOf(trainedWindowIds), "every window trained");
        assertEquals(Map.of(), repeated(candidates, AdapterCandidate::getCandidateId), "candidates published once");
        assertEquals(Map.of(), repeated(decisions, PromotionDecision::getCandidateId), "no candidate decided twice");
        assertEquals(Map.of(), repeated(deployments, Deployment::getDecisionId), "no decision deployed twice");
        Set<String> approvals = decisions.stream().filter(d -> d.getVerdict() == Verdict.APPROVED)
                .map(PromotionDecision::getDecisionId).collect(Collectors.toSet());
        assertEquals(approvals, deployments.stream().map(Deployment::getDecisionId).collect(Collectors.toSet()),
                "every approval deployed, and nothing else");
    }

    @Test
    @Order(6)
    void servingKilledUnderLoadAnswersAgainWithTheSameAdapter() throws Exception {
        List<Deployment> deployments = transcript.deployments();
        assertFalse(deployments.isEmpty(), "an adapter is deployed for serving to answer with");
        String deployed = deployments.get(deployments.size() - 1).getAdapterId();
        try (PredictClients clients = new PredictClients(system.url("serving"), LabelledExampleStream.TASK,
                PREDICT_CLIENTS)) {
            clients.start();
            PipelineTranscript.await(RECOVERY_BOUND, "predict answering", () -> clients.answered() >= 20);
            assertEquals(Set.of(deployed), clients.drainAdapters(), "serving answers with the deployed adapter");

            long answeredBefore = clients.answered();
            long failedBefore = clients.failed();
            long killed = System.nanoTime();
            system.killService("serving");
            // Only an answer that arrives after the old process is gone comes from the restarted one: a call
            // answered between taking `killed` and the kill would otherwise pass for the recovery.
            long gone = System.nanoTime();
            system.startService("serving");
            PipelineTranscript.await(RECOVERY_BOUND, "predict answering after the serving restart",
                    () -> clients.lastAnswerNanos() > gone);
            record("serving: kill -> first predict answered", since(killed));
            record("serving: calls answered before the kill / failed while it was down",
                    answeredBefore + " / " + (clients.failed() - failedBefore));
            Thread.sleep(1_000); // calls already in flight when serving came back have answered or failed
            long failedAfterRecovery = clients.failed();
            long answeredAfterRecovery = clients.answered();
            Thread.sleep(5_000);
            record("serving: calls in the 5 s after recovery (answered / failed)",
                    (clients.answered() - answeredAfterRecovery) + " / " + (clients.failed() - failedAfterRecovery));

            assertEquals(Set.of(deployed), clients.drainAdapters(), "the same adapter answers after the restart");
            assertEquals(failedAfterRecovery, clients.failed(), "no failed call once serving is back");
        }
        system.awaitHealthy("serving", RECOVERY_BOUND);
    }

    @Test
    @Order(7)
    void everythingRestartedKeepsTheCatalogueTheAdapterAndEveryCount() throws Exception {
        // A catalogue beyond the bootstrap: a task created through the API and a label appended to it (version 2).
        assertEquals(201, admin("POST", "/tasks", "{\"task\":\"intents\",\"labels\":[\"refund\",\"upgrade\"]}")
                .statusCode());
        assertEquals(200, admin("POST", "/tasks/intents/labels", "{\"labels\":[\"cancel\"]}").statusCode());
        String catalogueBefore = admin("GET", "/tasks", null).body();
        String adapterBefore = servedAdapter();
        Thread.sleep(2_000); // nothing is in flight: the stream has stopped and step 5 drained the pipeline
        List<Long> countsBefore = pipelineCounts();

        long stopped = System.nanoTime();
        for (String service : RunningSystem.SERVICES) {
            system.killService(service);
        }
        system.killBroker();
        system.startBroker();
        for (String service : RunningSystem.SERVICES) {
            system.startService(service);
        }
        for (String service : RunningSystem.SERVICES) {
            system.awaitHealthy(service, START_PATIENCE);
        }
        record("everything: kill -9 of the broker and every service -> all healthy again", since(stopped));
        PipelineTranscript.await(RECOVERY_BOUND, "serving answering after the restart",
                () -> servedAdapterOrNull() != null);
        Thread.sleep(10_000); // anything a restart repeated (a window, a round, a decision) would arrive now
        List<Long> countsAfter = pipelineCounts();
        record("clean examples / windows / candidates / decisions / deployments, before and after the restart",
                countsBefore + " / " + countsAfter);

        assertEquals(catalogueBefore, admin("GET", "/tasks", null).body(),
                "the catalogue is as it was: no bootstrap re-applied, no version lost");
        assertTrue(catalogueBefore.contains("\"cancel\""), catalogueBefore);
        assertEquals(adapterBefore, servedAdapter(), "serving answers with the adapter it had");
        assertEquals(countsBefore, countsAfter, "nothing repeated or lost by the restart");
    }

    /** Every id the broker acknowledged so far reaches examples.clean; none is there twice. */
    private void assertEveryAcknowledgedExampleCleanExactlyOnce(String after) throws InterruptedException {
        Set<String> acknowledged = examples.acknowledged();
        Duration waited = PipelineTranscript.await(RECOVERY_BOUND, acknowledged.size()
                + " acknowledged examples in examples.clean", () -> transcript.cleanCopies().keySet()
                .containsAll(acknowledged));
        Map<String, Integer> copies = transcript.cleanCopies();
        List<String> lost = acknowledged.stream().filter(id -> !copies.containsKey(id)).sorted().toList();
        Map<String, Integer> duplicated = new TreeMap<>(copies);
        duplicated.values().removeIf(n -> n == 1);
        record(after + ": produced / lost / duplicated", acknowledged.size() + " / " + lost.size() + " / "
                + duplicated.size() + " (caught up " + waited.toMillis() + " ms after the check began)");
        assertEquals(List.of(), lost, "no acknowledged example lost");
        assertEquals(Map.of(), duplicated, "no example in examples.clean twice");
    }

    private List<Long> pipelineCounts() {
        return List.of(transcript.cleanRecords(), (long) transcript.windows().size(),
                (long) transcript.candidates().size(), (long) transcript.decisions().size(),
                (long) transcript.deployments().size());
    }

    /** The adapter id in serving's model view of the stream's task. */
    private String servedAdapter() throws Exception {
        String adapter = servedAdapterOrNull();
        assertTrue(adapter != null, "serving names a deployed adapter");
        return adapter;
    }

    private String servedAdapterOrNull() {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(system.url("serving")
                    .resolve("/v1/tasks/" + LabelledExampleStream.TASK + "/model")).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? json.readTree(answer.body()).path("adapterId").asText(null) : null;
        } catch (IOException | InterruptedException notAnswering) {
            return null;
        }
    }

    private HttpResponse<String> admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(system.url("evaluator").resolve(path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitExamplesFlowing(long cleanRecords) throws InterruptedException {
        PipelineTranscript.await(RECOVERY_BOUND, cleanRecords + " clean examples, the latest under a second old",
                () -> transcript.cleanRecords() >= cleanRecords
                        && System.nanoTime() - transcript.lastCleanNanos() < 1_000_000_000L);
    }

    private boolean everyWindowTrained() {
        Set<String> trained = transcript.candidates().stream().flatMap(c -> c.getWindowIds().stream())
                .collect(Collectors.toSet());
        return transcript.windows().stream().allMatch(w -> trained.contains(w.getWindowId()));
    }

    private List<PromotionDecision> decisionsOf(String candidateId) {
        return transcript.decisions().stream().filter(d -> d.getCandidateId().equals(candidateId)).toList();
    }

    private static <T> Map<String, Long> repeated(List<T> items, Function<T, String> key) {
        Map<String, Long> counts = items.stream().collect(Collectors.groupingBy(key, TreeMap::new,
                Collectors.counting()));
        counts.values().removeIf(n -> n == 1);
        return counts;
    }

    private static Properties readProperties(Path file) throws IOException {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties;
    }

    private static String since(long startedNanos) {
        return String.format("%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    private void record(String what, String value) {
        figures.put(what, value);
        LOG.info("{}: {}", what, value);
    }
}
