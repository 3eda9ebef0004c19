package dev.streamtune.evaluator.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import dev.streamtune.evaluator.gate.GateCheck;
import dev.streamtune.evaluator.gate.GatePolicy;
import dev.streamtune.evaluator.gate.PromotionGate;
import dev.streamtune.evaluator.metrics.SliceScorer;
import dev.streamtune.evaluator.sets.EvaluationSets;
import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.LabeledText;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.TrainingOptions;
import dev.streamtune.model.TrainingSession;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real MiniLM + LoRA on a class-incremental stream: four topics declared up front, window 0 teaches two, window
 * 1 the other two. The champion (window 0 only) never answers the new topics; the candidate trained from it on
 * window 1 with replay of window 0 does, and the gate, reading what each adapter file says it learned, approves it.
 */
class ModelAdapterScorersTest {

    private static final List<String> TOPICS = List.of("food", "music", "sport", "weather");
    private static final Map<String, List<String>> CUES = Map.of(
            "weather", List.of("rain", "snow", "storm", "fog", "drizzle", "hail", "thunder", "frost"),
            "food", List.of("pizza", "pasta", "bread", "soup", "salad", "cheese", "noodles", "pancakes"),
            "sport", List.of("football", "tennis", "golf", "rugby", "hockey", "cricket", "volleyball", "boxing"),
            "music", List.of("guitar", "piano", "violin", "drums", "jazz", "opera", "cello", "trumpet"));
    private static final List<String> OPENINGS = List.of("i noticed", "we talked about", "they mentioned",
            "she asked about", "he wrote about", "the report described");
    private static final List<String> FILLERS = List.of("this morning", "at the station", "on the radio",
            "near the office", "during lunch", "on the way home");

    private static ModelAdapterScorers scorers;

    @TempDir
    static Path dir;

    @BeforeAll
    static void loadBase() {
        scorers = new ModelAdapterScorers("", dir.toString(), 64, "onnx-fp32");
    }

    @AfterAll
    static void closeBase() {
        scorers.close();
    }

    @Test
    void aClassIncrementalCandidateThatLearnedNewLabelsIsApproved() throws Exception {
        List<String> window0 = List.of("food", "weather");
        List<String> window1 = List.of("music", "sport");
        EvaluationSets sets = new EvaluationSets(1000, 40, 10);
        examples(window0, 20, new Random(10)).forEach(e -> sets.add(test(e, "t-000000")));
        examples(window1, 20, new Random(11)).forEach(e -> sets.add(test(e, "t-000001")));

        Path store = java.nio.file.Files.createDirectories(dev.streamtune.model.AdapterArtifact.storeUnder(dir));
        Path championFile = store.resolve("champion.adapter");
        Path candidateFile = store.resolve("candidate.adapter");
        try (TextClassifier champion = TextClassifier.create(scorers.base(),
                ClassifierConfig.of(TOPICS).withMaxSequenceLength(32))) {
            train(champion, examples(window0, 400, new Random(1)), List.of(), 60);
            champion.save(championFile, Map.of("windows", "t-000000"));
        }
        try (TextClassifier candidate = TextClassifier.load(scorers.base(), championFile)) {
            // Replay: half of every batch from window 0, as the trainer's replay buffer would give.
            train(candidate, examples(window1, 400, new Random(2)), examples(window0, 400, new Random(3)), 60);
            candidate.save(candidateFile, Map.of("windows", "t-000001"));
        }

        try (AdapterScorer champion = open(championFile); AdapterScorer candidate = open(candidateFile)) {
            assertEquals(Optional.of(window0), champion.learnedLabels());
            assertEquals(Optional.of(TOPICS), candidate.learnedLabels());
            EvaluationReport report = new CandidateEvaluator(sets, new SliceScorer("weather", 20)).evaluate(
                    record("t-000001"), candidate, LearnedLabels.of(candidate, Set.of()), "champion", champion,
                    LearnedLabels.of(champion, Set.of()), Instant.EPOCH);
            List<GateCheck> checks = new PromotionGate(GatePolicy.defaults()).checks(report);

            assertEquals(0.0, report.getChampion().getTest().getAccuracy(), 1e-9, "never trained on music, sport");
            assertEquals(window1, report.getLabelScope().getNewLabels());
            assertEquals("adapter", report.getLabelScope().getChampionLabelsSource());
            assertTrue(report.getLabelScope().getNewLabelMetrics().getAccuracy() >= 0.9, report.toString());
            assertTrue(PromotionGate.approves(checks), checks.toString());
            assertTrue(candidate.exact().isEmpty(), "onnx-fp32 is scored exactly, by the PyTorch classifier");
        }

        // Served on int8: scored as int8, and the gate weighs what int8 costs against the same adapter in fp32.
        try (ModelAdapterScorers int8 = new ModelAdapterScorers("", dir.toString(), 64, "onnx-int8")) {
            AdapterArtifact artifact = AdapterArtifact.of(candidateFile);
            try (AdapterScorer candidate = int8.open(artifact.uri().toString(), artifact.sha256())) {
                assertTrue(candidate.exact().isPresent());
                CandidateEvaluator evaluator = new CandidateEvaluator(sets, new SliceScorer("weather", 20));
                Optional<QuantisationCost> cost = evaluator.quantisationCost(record("t-000001"), candidate,
                        int8.engine().configName());
                assertTrue(cost.isPresent());
                assertEquals(sets.test("t", List.of("t-000001")).size(), cost.get().examples());
                assertTrue(Math.abs(cost.get().loss()) < 0.1, cost.toString());
                assertTrue(cost.get().exactAccuracy() >= 0.9, cost.toString());
                EvaluationReport report = evaluator.evaluate(record("t-000001"), candidate,
                        LearnedLabels.of(candidate, Set.of()), null, null, null, Instant.EPOCH);
                GateCheck lenient = quantisationCheck(new PromotionGate(GatePolicy.defaults()
                        .withOverrides(Map.of("max-quantisation-loss", 0.2))).checks(report, cost));
                GateCheck impossible = quantisationCheck(new PromotionGate(GatePolicy.defaults()
                        .withOverrides(Map.of("max-quantisation-loss", -0.2))).checks(report, cost));
                assertTrue(lenient.passed(), lenient.toString());
                assertTrue(!impossible.passed() && impossible.detail().contains("onnx-int8"), impossible.toString());
            }
        }
    }

    private static GateCheck quantisationCheck(List<GateCheck> checks) {
        return checks.stream().filter(c -> c.rule().equals("quantisation")).findFirst().orElseThrow();
    }

    private static AdapterScorer open(Path file) throws Exception {
        AdapterArtifact artifact = AdapterArtifact.of(file);
        return scorers.open(artifact.uri().toString(), artifact.sha256());
    }

    /** Plain LoRA steps (batch 16, learning rate 2e-3 with a linear decay); half of each batch replayed if given. */
    private static void train(TextClassifier classifier, List<LabeledText> fresh, List<LabeledText> replay, int steps) {
        Random draw = new Random(7);
        try (TrainingSession session = TrainingSession.start(classifier, TrainingOptions.defaults())) {
            for (int step = 0; step < steps; step++) {
                List<LabeledText> batch = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    List<LabeledText> from = replay.isEmpty() || i % 2 == 0 ? fresh : replay;
                    batch.add(from.get(draw.nextInt(from.size())));
                }
                session.trainStep(batch, 2e-3f * (steps - step) / steps);
            }
        }
    }

    /** {@code perTopic} texts of each topic, e.g. "they mentioned the violin during lunch". */
    private static List<LabeledText> examples(List<String> topics, int perTopic, Random random) {
        List<LabeledText> examples = new ArrayList<>();
        for (int i = 0; i < perTopic; i++) {
            for (String topic : topics) {
                examples.add(new LabeledText(pick(OPENINGS, random) + " the " + pick(CUES.get(topic), random) + " "
                        + pick(FILLERS, random), topic));
            }
        }
        return examples;
    }

    private static String pick(List<String> words, Random random) {
        return words.get(random.nextInt(words.size()));
    }

    private static CleanExample test(LabeledText example, String window) {
        String id = window + "/" + example.text() + "/" + System.identityHashCode(example);
        return CleanExample.newBuilder().setId(id).setTask("t").setText(example.text()).setLabel(example.label())
                .setSource("test").setOrigin(ExampleOrigin.LABELLED).setEventTime(Instant.EPOCH)
                .setAttributes(Map.of()).setWeight(1.0).setSplit(Split.TEST).setContentHash(id).setWindowId(window)
                .build();
    }

    private static AdapterCandidate record(String window) {
        return AdapterCandidate.newBuilder().setCandidateId("cand").setTask("t").setBaseModelId("base")
                .setBaseModelChecksum("x").setWindowIds(List.of(window)).setArtifactUri("file:///x")
                .setArtifactSha256("y").setCreatedAt(Instant.EPOCH).setHyperparameters(Map.of())
                .setValidationMetrics(Map.of()).build();
    }
}
