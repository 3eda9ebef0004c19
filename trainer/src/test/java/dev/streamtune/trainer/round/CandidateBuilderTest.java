package dev.streamtune.trainer.round;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.streamtune.model.AdapterArtifact;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.Deployment;
import dev.streamtune.trainer.TrainerSettings;
import dev.streamtune.trainer.strategy.SettingsDescription;
import dev.streamtune.trainer.training.CandidateCalibration;
import dev.streamtune.trainer.training.SyntheticTasks;
import dev.streamtune.trainer.training.StageTimes;
import dev.streamtune.trainer.training.WindowTrainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A finished round becomes a candidate that names where it came from and what its file is; no broker. */
class CandidateBuilderTest {

    private static final TrainerSettings.Hyperparameters HP = SyntheticTasks.settings(false, false).hyperparameters();
    private static final WindowTrainer.Result RESULT = new WindowTrainer.Result(0.5, 0.8, 30, 0.4, 12, 10, false,
            100, new StageTimes(), "");
    private static final CandidateCalibration CALIBRATION = new CandidateCalibration(1.5, true, 40, 0.9, 0.2, 0.05,
            0.6, 0.4);

    private static BaseModel base;

    @TempDir
    Path home;

    @BeforeAll
    static void loadBase() {
        base = BuiltInModels.miniLm();
    }

    @AfterAll
    static void closeBase() {
        base.close();
    }

    @Test
    void candidateNamesItsParentWindowsAndTheChecksumOfItsFile() throws Exception {
        Path store = AdapterArtifact.storeUnder(home);
        Deployment parent = Deployment.newBuilder().setTask("intents").setAdapterId("cand-w0")
                .setArtifactUri("file:///unused").setArtifactSha256("0".repeat(64)).setBaseModelId(base.id())
                .setDecisionId("d0").setDeployedAt(Instant.EPOCH).build();
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(List.of("a", "b")))) {
            AdapterCandidate candidate = new CandidateBuilder(base.id(), base.checksum(), store).build(
                    new CandidateBuilder.FinishedRound("cand-w2", "intents", List.of("w1", "w2"), parent, classifier,
                            RESULT, CALIBRATION, HP, Map.of(), List.of("from approved adapter cand-w0"), 7.5, stages()));

            assertEquals("cand-w0", candidate.getParentAdapterId());
            assertEquals(List.of("w1", "w2"), candidate.getWindowIds());
            assertEquals(base.checksum(), candidate.getBaseModelChecksum());
            AdapterArtifact artifact = AdapterArtifact.of(candidate.getArtifactUri(), candidate.getArtifactSha256());
            assertEquals(store.resolve("intents").resolve("cand-w2.adapter"), artifact.verifiedPath(store));
            assertEquals(7.5, candidate.getValidationMetrics().get("train.seconds"));
            assertEquals(6.0, candidate.getValidationMetrics().get("time.steps.seconds"), 1e-9);
            assertEquals(1.5, candidate.getValidationMetrics().get("time.validation.seconds"), 1e-9);
            assertEquals(0.9, candidate.getValidationMetrics().get("validation.accuracy"), "the whole split's");
            assertEquals(0.8, candidate.getValidationMetrics().get("validation.sample.accuracy"));
            assertEquals(30.0, candidate.getValidationMetrics().get("validation.sample.examples"));
            assertEquals(1.5, candidate.getValidationMetrics().get("calibration.temperature"));
            assertEquals(0.05, candidate.getValidationMetrics().get("validation.ece"));
            assertTrue(candidate.getLineage().contains(CALIBRATION.summary()), candidate.getLineage().toString());
            assertEquals(Double.toString(HP.learningRate()), candidate.getHyperparameters().get("learningRate"));
            assertEquals("from approved adapter cand-w0", candidate.getLineage().get(0));
        }
    }

    @Test
    void lineageRecordsEveryHyperparameterByItsConfigKey() {
        String line = settingsLine(CandidateBuilder.lineage(finished(Map.of())), "hyperparameters ");
        for (RecordComponent field : TrainerSettings.Hyperparameters.class.getRecordComponents()) {
            // e.g. floor-fraction, patience, evaluate-every-steps: once copied by hand and missing
            String key = SettingsDescription.kebab(field.getName());
            assertTrue(line.contains(key + "="), key + " missing from lineage: " + line);
        }
        assertTrue(line.contains("floor-fraction=" + HP.floorFraction()), line);
        assertTrue(line.contains("evaluate-every-steps=" + HP.evaluateEverySteps()), line);
    }

    @Test
    void candidateHyperparametersHaveEveryField() {
        Map<String, String> described = SettingsDescription.componentNames(HP);
        for (RecordComponent field : TrainerSettings.Hyperparameters.class.getRecordComponents()) {
            assertTrue(described.containsKey(field.getName()), field.getName());
        }
        assertEquals("COSINE", described.get("decay"));
        assertEquals(Integer.toString(HP.patience()), described.get("patience"));
    }

    @Test
    void lineageRecordsEachStrategyInOrderWithAllItsSettings() {
        Map<String, Map<String, String>> strategies = new LinkedHashMap<>();
        strategies.put("replay", SettingsDescription.configKeys(new TrainerSettings.Replay(2000, 0.1, 20, 0.3, 0.75)));
        strategies.put("ewc", SettingsDescription.configKeys(new TrainerSettings.Ewc(100, 0.9, 200)));
        List<String> lineage = CandidateBuilder.lineage(finished(strategies));

        assertTrue(lineage.contains("strategies [replay, ewc]"), lineage.toString());
        assertTrue(lineage.contains("strategy replay: capacity=2000, max-share-of-seen=0.1, min-per-label=20, ratio=0.3, max-ratio=0.75"), lineage.toString());
        assertTrue(lineage.contains("strategy ewc: lambda=100.0, decay=0.9, fisher-samples=200"), lineage.toString());
    }

    @Test
    void theAdapterFileAndTheLineageRecordWhatGradualUnfreezingDid() throws Exception {
        String unfreezing = "top 2 layers, one every 20 steps; unfrozen at steps [20, 40]";
        WindowTrainer.Result result = new WindowTrainer.Result(0.5, 0.8, 30, 0.4, 57, 50, false, 100,
                new StageTimes(), unfreezing);
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(List.of("a", "b")))) {
            AdapterCandidate candidate = new CandidateBuilder(base.id(), base.checksum(),
                    AdapterArtifact.storeUnder(home)).build(new CandidateBuilder.FinishedRound("cand-w3", "intents",
                    List.of("w3"), null, classifier, result, CALIBRATION, HP, Map.of(), List.of("windows w3"), 1,
                    new StageTimes()));
            assertTrue(candidate.getLineage().contains("unfreezing: " + unfreezing), candidate.getLineage().toString());
            Path file = AdapterArtifact.of(candidate.getArtifactUri(), candidate.getArtifactSha256())
                    .verifiedPath(AdapterArtifact.storeUnder(home));
            try (TextClassifier saved = TextClassifier.load(base, file)) {
                assertEquals(unfreezing, saved.lineage().get("unfreezing"));
            }
        }
        assertTrue(CandidateBuilder.lineage(finished(Map.of())).stream().noneMatch(l -> l.startsWith("unfreezing")),
                "no line when off");
    }

    @Test
    void naiveRoundSaysSoInItsLineage() {
        assertTrue(CandidateBuilder.lineage(finished(Map.of())).contains("strategies [] (naive fine-tuning)"));
    }

    private static CandidateBuilder.FinishedRound finished(Map<String, Map<String, String>> strategies) {
        return new CandidateBuilder.FinishedRound("cand-w1", "intents", List.of("w1"), null, null, RESULT, CALIBRATION, HP,
                strategies, List.of("windows w1"), 1, new StageTimes());
    }

    private static String settingsLine(List<String> lineage, String prefix) {
        return lineage.stream().filter(line -> line.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in " + lineage));
    }

    @Test
    void freshRoundHasNoParent() throws Exception {
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(List.of("a", "b")))) {
            AdapterCandidate candidate = new CandidateBuilder(base.id(), base.checksum(),
                    AdapterArtifact.storeUnder(home)).build(new CandidateBuilder.FinishedRound("cand-w1", "intents",
                    List.of("w1"), null, classifier, RESULT, CALIBRATION, HP, Map.of(), List.of("fresh adapter on " + base.id()),
                    1, new StageTimes()));
            assertNull(candidate.getParentAdapterId());
            assertTrue(candidate.getArtifactUri().endsWith("cand-w1.adapter"), candidate.getArtifactUri());
        }
    }

    private static StageTimes stages() {
        StageTimes stages = new StageTimes();
        stages.add("steps", 6_000_000_000L);
        stages.add("validation", 1_500_000_000L);
        return stages;
    }
}
