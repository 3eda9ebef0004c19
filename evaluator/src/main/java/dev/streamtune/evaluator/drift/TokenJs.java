package dev.streamtune.evaluator.drift;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Jensen-Shannon distance between the two groups' word histograms ({@code input.token.js}): lower-cased runs of
 * letters and digits, each text's words counted once per text, so one long text cannot outweigh the rest.
 */
public final class TokenJs implements DriftStatistic {

    public static final String NAME = "input.token.js";
    public static final String SERVED = "served.token.js";
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private final String name;

    public TokenJs() {
        this(NAME);
    }

    public TokenJs(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Prepared> prepare(PooledSample pooled) {
        Map<String, Integer> vocabulary = new HashMap<>();
        int[][] words = new int[pooled.size()][];
        for (int i = 0; i < words.length; i++) {
            words[i] = WORD.matcher(pooled.items().get(i).text().toLowerCase(Locale.ROOT)).results()
                    .map(m -> vocabulary.computeIfAbsent(m.group(), w -> vocabulary.size()))
                    .distinct().mapToInt(Integer::intValue).toArray();
        }
        if (vocabulary.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>(vocabulary.size());
        vocabulary.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> names.add(e.getKey()));
        return Optional.of(new BucketCounts(words, names.size(), Divergence::jensenShannonDistance,
                (reference, current) -> Divergence.largestShifts(names, reference, current, 5)));
    }
}
