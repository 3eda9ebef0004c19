package dev.streamtune.trainer.augment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import dev.streamtune.schema.CleanExample;

/**
 * Augmented copies of a round's training examples (never its validation or test examples, which must measure the
 * real distribution; never into the replay buffer, which keeps the originals: the caller hands only the copies to
 * the plan). Each example gets up to {@code copies} copies, each made by one EDA operation (round robin over the
 * operations whose rate is above 0, from a seeded start, as the reference code spreads its copies evenly); a copy
 * equal to its original or to an earlier copy is dropped (it would only double the original's weight). A copy
 * carries its original's label, weight, split and window, an id {@code <original id>~eda<k>} and the attributes
 * {@code augmented-from} and {@code augmentation} (the operation).
 *
 * <p>Deterministic: each example's randomness is seeded from the round's seed and the example's id, so its copies do
 * not depend on which other examples the round has or their order (a round stays a function of its inputs).
 */
public final class TrainingAugmentation {

    /** Off: no copies. */
    public static final TrainingAugmentation NONE = new TrainingAugmentation(Synonyms.NONE, 0, Map.of(), 0);

    private final EdaAugmenter augmenter;
    private final int copies;
    private final Map<EdaAugmenter.Operation, Double> rates;
    private final List<EdaAugmenter.Operation> operations;
    private final long seed;

    /**
     * @param rates each operation's rate (alpha); missing or 0 = off
     */
    public TrainingAugmentation(Synonyms synonyms, int copies, Map<EdaAugmenter.Operation, Double> rates,
                                long seed) {
        if (copies < 0) {
            throw new IllegalArgumentException("copies must be at least 0, was " + copies);
        }
        this.augmenter = new EdaAugmenter(synonyms);
        this.copies = copies;
        this.rates = Map.copyOf(rates);
        this.operations = new ArrayList<>();
        for (EdaAugmenter.Operation operation : EdaAugmenter.Operation.values()) {
            double rate = this.rates.getOrDefault(operation, 0.0);
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException(operation.key() + " rate must be in [0, 1], was " + rate);
            }
            if (rate > 0) {
                operations.add(operation);
            }
        }
        this.seed = seed;
    }

    /** True when it adds anything: copies > 0 and at least one operation on. */
    public boolean active() {
        return copies > 0 && !operations.isEmpty();
    }

    /** The augmented copies of {@code train} (the originals not included), in the order of {@code train}. */
    public List<CleanExample> copiesOf(List<CleanExample> train) {
        if (!active()) {
            return List.of();
        }
        List<CleanExample> added = new ArrayList<>();
        for (CleanExample example : train) {
            Random random = new Random(seed * 1_000_003L + example.getId().hashCode());
            int start = random.nextInt(operations.size());
            Set<String> texts = new HashSet<>();
            texts.add(example.getText());
            for (int k = 0; k < copies; k++) {
                EdaAugmenter.Operation operation = operations.get((start + k) % operations.size());
                String text = augmenter.apply(operation, rates.get(operation), example.getText(), random);
                if (!texts.add(text)) {
                    continue;
                }
                Map<String, String> attributes = new HashMap<>(example.getAttributes());
                attributes.put("augmented-from", example.getId());
                attributes.put("augmentation", operation.key());
                added.add(CleanExample.newBuilder(example).setId(example.getId() + "~eda" + k).setText(text)
                        .setAttributes(attributes).build());
            }
        }
        return added;
    }

    /** The settings as a lineage line. */
    public String describe() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d copies per example by", copies));
        operations.forEach(op -> line.append(String.format(Locale.ROOT, " %s %s", op.key(), rates.get(op))));
        return line.toString();
    }
}
