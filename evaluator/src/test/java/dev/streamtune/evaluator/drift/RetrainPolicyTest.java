package dev.streamtune.evaluator.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.DriftSignal;
import org.junit.jupiter.api.Test;

class RetrainPolicyTest {

    @Test
    void namesAndPrefixesSelectTheTestsThatRetrain() {
        RetrainPolicy policy = new RetrainPolicy(List.of("input.embedding.auc", "slice.*"));
        assertTrue(policy.actsOn("input.embedding.auc"));
        assertTrue(policy.actsOn("slice.locale=fr.input.token.js"));
        assertFalse(policy.actsOn("input.embedding.mmd"));
        assertTrue(new RetrainPolicy(List.of("*")).actsOn("prediction.js"));
        assertFalse(new RetrainPolicy(List.of()).actsOn("label.js"), "an empty list reports without retraining");
        assertThrows(IllegalArgumentException.class, () -> new RetrainPolicy(List.of("in*put")));
    }

    @Test
    void eachSignalCarriesItsScoreThresholdPValueAndEvidence() {
        DriftReport report = DriftReport.newBuilder().setReportId("r").setTask("t").setWindowId("w1")
                .setCreatedAt(Instant.EPOCH).setScores(Map.of("label.js", 0.4, "input.token.js", 0.5))
                .setThresholds(Map.of("label.js", 0.2, "input.token.js", 0.3))
                .setPValues(Map.of("label.js", 0.001, "input.token.js", 0.002))
                .setEvidence(Map.of("input.token.js", "'pizza' 0.0% -> 4.0%"))
                .setExceeded(List.of("label.js", "input.token.js")).setRetrainTriggered(false).build();

        List<DriftSignal> signals = new RetrainPolicy(List.of("input.*")).signals(report);
        assertEquals(List.of(DriftSignal.newBuilder().setTest("input.token.js").setScore(0.5).setThreshold(0.3)
                .setPValue(0.002).setEvidence("'pizza' 0.0% -> 4.0%").build()), signals);
    }

    @Test
    void theReasonNamesTheFirstSignalsAndCountsTheRest() {
        List<DriftSignal> signals = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            signals.add(DriftSignal.newBuilder().setTest("slice.locale=l" + i + ".input.token.js").setScore(0.5)
                    .setThreshold(0.25).setPValue(0.001).setEvidence("long evidence").build());
        }
        assertEquals("drift: slice.locale=l0.input.token.js 0.500 > 0.250 (p 0.001), "
                + "slice.locale=l1.input.token.js 0.500 > 0.250 (p 0.001), "
                + "slice.locale=l2.input.token.js 0.500 > 0.250 (p 0.001), "
                + "slice.locale=l3.input.token.js 0.500 > 0.250 (p 0.001) and 2 more", RetrainPolicy.reason(signals));
        assertEquals("drift: label.js 0.500 > 0.250 (p 0.001)", RetrainPolicy.reason(signals.subList(0, 1).stream()
                .map(s -> DriftSignal.newBuilder(s).setTest("label.js").build()).toList()));
    }
}
