package dev.streamtune.evaluator.drift;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Jensen-Shannon distance between the two groups' distributions of one category of each item: its label
 * ({@code label.js}), its predicted label ({@code prediction.js}), or a slice attribute's value
 * ({@code slice.<attribute>.js}: a shift in who the texts come from).
 */
public final class CategoryJs implements DriftStatistic {

    public static final String LABEL_JS = "label.js";
    public static final String PREDICTION_JS = "prediction.js";
    private static final String MISSING = "(none)";

    private final String name;
    private final Function<DriftItem, String> category;

    public CategoryJs(String name, Function<DriftItem, String> category) {
        this.name = name;
        this.category = category;
    }

    public static CategoryJs labels(String name) {
        return new CategoryJs(name, DriftItem::label);
    }

    public static CategoryJs attribute(String attribute) {
        return new CategoryJs("slice." + attribute + ".js", item -> item.attributes().getOrDefault(attribute, MISSING));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Prepared> prepare(PooledSample pooled) {
        Map<String, Integer> index = new LinkedHashMap<>();
        int[] codes = new int[pooled.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = index.computeIfAbsent(category.apply(pooled.items().get(i)), c -> index.size());
        }
        if (index.size() < 2) {
            return Optional.empty(); // one value on both sides: nothing can differ
        }
        List<String> names = new ArrayList<>(index.keySet());
        int[][] bucketsOf = new int[codes.length][];
        for (int i = 0; i < codes.length; i++) {
            bucketsOf[i] = new int[] {codes[i]};
        }
        return Optional.of(new BucketCounts(bucketsOf, names.size(), Divergence::jensenShannonDistance,
                (reference, current) -> Divergence.largestShifts(names, reference, current, 3)));
    }
}
