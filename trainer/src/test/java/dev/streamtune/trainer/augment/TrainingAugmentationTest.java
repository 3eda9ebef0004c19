package dev.streamtune.trainer.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;
import dev.streamtune.trainer.augment.EdaAugmenter.Operation;
import dev.streamtune.trainer.training.TrainingPlan;
import org.junit.jupiter.api.Test;

class TrainingAugmentationTest {

    private static final Map<Operation, Double> SWAP_AND_DELETION = Map.of(Operation.RANDOM_SWAP, 0.2,
            Operation.RANDOM_DELETION, 0.2);

    private static CleanExample example(int i) {
        return CleanExample.newBuilder().setId("e" + i).setTask("t").setText("word" + i + " alpha beta gamma delta")
                .setLabel(i % 2 == 0 ? "even" : "odd").setSource("test").setOrigin(ExampleOrigin.LABELLED)
                .setEventTime(Instant.EPOCH).setWeight(1.5 + i).setSplit(Split.TRAIN).setContentHash("h" + i)
                .setWindowId("w").build();
    }

    private static List<CleanExample> examples(int n) {
        List<CleanExample> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            examples.add(example(i));
        }
        return examples;
    }

    @Test
    void copiesCarryTheOriginalsLabelWeightAndSplitUnderTheirOwnIds() {
        List<CleanExample> originals = examples(10);
        List<CleanExample> copies = new TrainingAugmentation(Synonyms.NONE, 3, SWAP_AND_DELETION, 42)
                .copiesOf(originals);
        assertTrue(copies.size() > 20 && copies.size() <= 30, "up to 3 per example: " + copies.size());
        Set<String> ids = new HashSet<>();
        for (CleanExample copy : copies) {
            CleanExample original = originals.stream()
                    .filter(o -> o.getId().equals(copy.getAttributes().get("augmented-from"))).findFirst()
                    .orElseThrow();
            assertTrue(copy.getId().startsWith(original.getId() + "~eda"), copy.getId());
            assertTrue(ids.add(copy.getId()), "unique ids");
            assertEquals(original.getLabel(), copy.getLabel());
            assertEquals(original.getWeight(), copy.getWeight());
            assertEquals(Split.TRAIN, copy.getSplit());
            assertFalse(copy.getText().equals(original.getText()), "a copy equal to its original is dropped");
            assertTrue(Set.of("random-swap", "random-deletion").contains(copy.getAttributes().get("augmentation")));
        }
    }

    @Test
    void theCopiesDependOnTheSeedAndTheExampleNotOnTheOtherExamplesOrTheirOrder() {
        TrainingAugmentation augmentation = new TrainingAugmentation(Synonyms.NONE, 2, SWAP_AND_DELETION, 7);
        List<CleanExample> shuffled = new ArrayList<>(examples(12));
        Collections.shuffle(shuffled, new Random(3));
        assertEquals(TrainingPlan.canonicalOrder(augmentation.copiesOf(examples(12))),
                TrainingPlan.canonicalOrder(augmentation.copiesOf(shuffled)));
        assertEquals(augmentation.copiesOf(examples(12)).subList(0, 2), augmentation.copiesOf(examples(1)),
                "the first example's copies are the same without the others");
        assertFalse(augmentation.copiesOf(examples(12)).equals(
                new TrainingAugmentation(Synonyms.NONE, 2, SWAP_AND_DELETION, 8).copiesOf(examples(12))));
    }

    @Test
    void noCopiesWhenEveryRateIsZeroOrNoneAreAskedFor() {
        assertEquals(List.of(), new TrainingAugmentation(Synonyms.NONE, 4, Map.of(Operation.RANDOM_SWAP, 0.0), 1)
                .copiesOf(examples(5)));
        assertEquals(List.of(), new TrainingAugmentation(Synonyms.NONE, 0, SWAP_AND_DELETION, 1)
                .copiesOf(examples(5)));
        assertEquals(List.of(), TrainingAugmentation.NONE.copiesOf(examples(5)));
    }

    @Test
    void eachOperationOnMakesItsShareOfTheCopies() {
        List<CleanExample> copies = new TrainingAugmentation(Synonyms.NONE, 2, SWAP_AND_DELETION, 5)
                .copiesOf(examples(40));
        long swaps = copies.stream().filter(c -> c.getAttributes().get("augmentation").equals("random-swap")).count();
        long deletions = copies.size() - swaps;
        assertTrue(swaps > 25 && deletions > 25, swaps + " swaps, " + deletions + " deletions");
    }
}
