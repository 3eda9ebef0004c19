package dev.streamtune.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.streamtune.model.LabeledText;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.replay.ReplayBuffer;
import dev.streamtune.trainer.strategy.ReplayStrategy;
import org.junit.jupiter.api.Test;

class TrainingPlanTest {

    @Test
    void theCanonicalOrderMakesThePlanIndependentOfArrivalOrder() {
        List<CleanExample> arrived = SyntheticIntents.examples("intents", "w", SyntheticIntents.LABELS, 40, 3,
                Split.TRAIN);
        List<CleanExample> interleaved = new java.util.ArrayList<>(arrived);
        java.util.Collections.shuffle(interleaved, new java.util.Random(11)); // as another partition interleaving
        assertTrue(!texts(TrainingPlan.of(arrived, List.of(), 8, 2, 100, 7))
                        .equals(texts(TrainingPlan.of(interleaved, List.of(), 8, 2, 100, 7))),
                "the same seed over the same examples in another order plans other batches");
        assertEquals(texts(TrainingPlan.of(TrainingPlan.canonicalOrder(arrived), List.of(), 8, 2, 100, 7)),
                texts(TrainingPlan.of(TrainingPlan.canonicalOrder(interleaved), List.of(), 8, 2, 100, 7)));
    }

    private static List<List<String>> texts(TrainingPlan plan) {
        return plan.batches().stream().map(b -> b.stream().map(LabeledText::text).toList()).toList();
    }

    @Test
    void everyExampleKeepsItsWeightFreshOrReplayed() {
        ReplayBuffer replay = new ReplayBuffer(10, 1);
        replay.offer(example("old heavy", "negative", 4.0));
        List<CleanExample> window = List.of(example("new light", "positive", 0.5),
                example("new plain", "negative", 1.0));

        TrainingPlan plan = TrainingPlan.of(window, List.of(ReplayStrategy.topUp(replay, 0.5)), 4, 3, 100, 7);

        Map<String, Double> weights = plan.batches().stream().flatMap(List::stream)
                .collect(Collectors.toMap(LabeledText::text, LabeledText::weight, (x, y) -> x));
        assertEquals(Map.of("old heavy", 4.0, "new light", 0.5, "new plain", 1.0), weights);
        assertTrue(plan.batches().stream().allMatch(batch -> batch.stream()
                .anyMatch(e -> e.text().equals("old heavy"))), "replay tops up every batch");
    }

    private static CleanExample example(String text, String label, double weight) {
        return CleanExample.newBuilder().setId(text).setTask("t").setText(text).setLabel(label).setSource("s")
                .setOrigin(ExampleOrigin.LABELLED).setEventTime(Instant.EPOCH).setAttributes(Map.of())
                .setWeight(weight).setSplit(Split.TRAIN).setContentHash(text).setWindowId("t-000000").build();
    }

    @Test
    void replayTakesAtLeastTheShareOfLabelsOnlyTheBufferHolds() {
        assertEquals(0.3, TrainingPlan.replayRatio(0.3, 0.75, java.util.Set.of("a", "b"), java.util.Set.of("a", "b")));
        assertEquals(0.6, TrainingPlan.replayRatio(0.3, 0.75, java.util.Set.of("d", "e"),
                java.util.Set.of("a", "b", "c")), 1e-9, "3 of 5 labels only in the buffer");
        assertEquals(0.75, TrainingPlan.replayRatio(0.3, 0.75, java.util.Set.of("z"),
                java.util.Set.of("a", "b", "c", "d", "e", "f", "g", "h", "i")), 1e-9, "capped");
        assertEquals(0.3, TrainingPlan.replayRatio(0.3, 0.75, java.util.Set.of("a"), java.util.Set.of()), "empty buffer");
    }
}
