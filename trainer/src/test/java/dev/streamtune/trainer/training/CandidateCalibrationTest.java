package dev.streamtune.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.LabeledText;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.schema.Split;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** On the real MiniLM with an untrained head (probabilities near uniform, so far from calibrated either way). */
class CandidateCalibrationTest {

    private static final List<String> LABELS = SyntheticIntents.LABELS.subList(0, 4);

    private static BaseModel base;

    @BeforeAll
    static void loadBase() {
        base = BuiltInModels.miniLm();
    }

    @AfterAll
    static void closeBase() {
        base.close();
    }

    @Test
    void aLargeEnoughSplitFitsTheTemperatureSetsItAndLowersTheNll() {
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            classifier.calibrate(3); // whatever it had before is replaced
            CandidateCalibration calibration = CandidateCalibration.fit(classifier, validation(40));
            assertTrue(calibration.fitted(), calibration.summary());
            assertEquals(ValidationScore.of(classifier, validation(40)).accuracy(), calibration.accuracy(), 1e-12,
                    "the whole split's accuracy, as early stopping's score computes it");
            assertEquals(calibration.accuracy(), calibration.metrics().get("validation.accuracy"));
            assertEquals(40, calibration.examples());
            assertEquals((float) calibration.temperature(), classifier.temperature(), "set on the classifier");
            assertTrue(calibration.nllAfter() < calibration.nllBefore(), calibration.summary());
            assertEquals(calibration.eceAfter(), calibration.metrics().get("validation.ece"));
            assertEquals(calibration.eceBefore(), calibration.metrics().get("validation.ece.uncalibrated"));
            assertTrue(calibration.summary().startsWith("calibration: temperature "), calibration.summary());
        }
    }

    @Test
    void aSmallSplitKeepsTemperatureOneAndSaysWhy() {
        try (TextClassifier classifier = TextClassifier.create(base, ClassifierConfig.of(LABELS))) {
            classifier.calibrate(3);
            CandidateCalibration calibration = CandidateCalibration.fit(classifier,
                    validation(CandidateCalibration.MIN_EXAMPLES - 1));
            assertFalse(calibration.fitted());
            assertEquals(1f, classifier.temperature());
            assertEquals(calibration.eceBefore(), calibration.eceAfter());
            assertTrue(calibration.summary().contains("not fitted: 19 validation examples, need 20"),
                    calibration.summary());

            CandidateCalibration none = CandidateCalibration.fit(classifier, List.of());
            assertEquals(0, none.examples());
            assertEquals(List.of("calibration.temperature", "calibration.examples"),
                    List.copyOf(none.metrics().keySet()), "no NaN figures in the candidate's metrics");
        }
    }

    private static List<LabeledText> validation(int n) {
        return SyntheticIntents.examples("intents", "w", LABELS, n, 5, Split.VALIDATION).stream()
                .map(TrainingPlan::labeled).toList();
    }
}
