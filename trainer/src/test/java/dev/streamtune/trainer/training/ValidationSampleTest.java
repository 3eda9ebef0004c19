package dev.streamtune.trainer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.streamtune.model.LabeledText;
import org.junit.jupiter.api.Test;

class ValidationSampleTest {

    /** 145 ham, 50 spam, 5 phish, interleaved as a split would be. */
    private static List<LabeledText> split() {
        List<LabeledText> split = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String label = i % 40 == 7 ? "phish" : i % 4 == 1 ? "spam" : "ham";
            split.add(new LabeledText("text " + i, label));
        }
        return split;
    }

    @Test
    void eachLabelKeepsItsShareAndARareOneIsNotDropped() {
        List<LabeledText> split = split();
        Map<String, Long> whole = counts(split);
        assertEquals(Map.of("ham", 145L, "spam", 50L, "phish", 5L), whole);
        List<LabeledText> sample = ValidationSample.of(split, 20, 42);
        assertEquals(Map.of("ham", 15L, "spam", 5L, "phish", 1L), counts(sample),
                "20 x share rounded, at least one each: " + sample);
        assertTrue(split.containsAll(sample));
        assertEquals(sample.size(), sample.stream().distinct().count(), "no example twice");
        List<Integer> positions = sample.stream().map(split::indexOf).toList();
        assertEquals(positions.stream().sorted().toList(), positions, "in the split's order");
    }

    @Test
    void theSameSeedGivesTheSameSampleAndAnotherSeedAnother() {
        assertEquals(ValidationSample.of(split(), 50, 7), ValidationSample.of(split(), 50, 7));
        assertNotEquals(ValidationSample.of(split(), 50, 7), ValidationSample.of(split(), 50, 8));
    }

    @Test
    void aSplitNoLargerThanTheSampleOrSizeZeroIsUsedWhole() {
        List<LabeledText> split = split();
        assertSame(split, ValidationSample.of(split, 200, 1));
        assertSame(split, ValidationSample.of(split, 500, 1));
        assertSame(split, ValidationSample.of(split, 0, 1));
        assertEquals(List.of(), ValidationSample.of(List.of(), 10, 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ValidationSample.of(split, -1, 1))
                .getMessage().contains("0 = the whole split"));
    }

    private static Map<String, Long> counts(List<LabeledText> texts) {
        return texts.stream().map(LabeledText::label).collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting()));
    }
}
