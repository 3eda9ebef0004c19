package dev.streamtune.trainer.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.streamtune.model.LabeledText;

/**
 * The part of a validation split early stopping looks at. Each check is a forward pass over it, so on a large
 * window the whole split costs a fifth of the training time (trainer README, "Where a round's time goes") while a
 * fixed sample of ~100 tells a falling loss from a rising one as well; the full split is still scored once, when the
 * temperature is fitted ({@link CandidateCalibration}).
 *
 * <p>The sample is stratified (each label keeps its share of the split, at least one example) and fixed for the round
 * (the same seed, the same split, the same sample), so successive checks compare like with like.
 */
public final class ValidationSample {

    private ValidationSample() {
    }

    /**
     * About {@code size} examples of {@code split} (each label rounded to its share, so a few more or fewer), in the
     * split's order; the whole split when it has at most {@code size} examples or {@code size} is 0.
     */
    public static List<LabeledText> of(List<LabeledText> split, int size, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("validation sample size must be >= 0 (0 = the whole split): " + size);
        }
        if (size == 0 || split.size() <= size) {
            return split;
        }
        Map<String, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < split.size(); i++) {
            byLabel.computeIfAbsent(split.get(i).label(), l -> new ArrayList<>()).add(i);
        }
        Random random = new Random(seed);
        List<Integer> chosen = new ArrayList<>();
        byLabel.values().forEach(positions -> {
            int quota = Math.max(1, (int) Math.round((double) size * positions.size() / split.size()));
            List<Integer> shuffled = new ArrayList<>(positions);
            Collections.shuffle(shuffled, random);
            chosen.addAll(shuffled.subList(0, Math.min(quota, shuffled.size())));
        });
        Collections.sort(chosen);
        return chosen.stream().map(split::get).toList();
    }
}
