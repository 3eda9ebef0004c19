package dev.streamtune.bench;

import dev.streamtune.bench.MethodSummary.Spread;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.LabeledText;
import dev.streamtune.model.LoraConfig;
import dev.streamtune.model.Prediction;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.TrainingOptions;
import dev.streamtune.model.TrainingSession;
import dev.streamtune.model.annotation.AnnotationBudget;
import dev.streamtune.model.annotation.AnnotationPolicy;
import dev.streamtune.model.annotation.AnnotationReason;
import dev.streamtune.model.annotation.AnnotationSelector;
import dev.streamtune.model.annotation.LabelShares;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Label efficiency of annotation requests: accuracy after N human labels chosen by {@link AnnotationSelector} and
 * {@link AnnotationBudget} (what serving would request) against N labels drawn at random from the same stream.
 *
 * <p>Data: WordNet noun definitions labelled with their lexicographer category (Debian's wordnet-base, 25
 * categories from 14% of the synsets down to under 0.1%), installed at bench time. Per seed: a seed set of a few
 * examples per category; a fixed held-out test set and an unlabelled pool, both drawn from the natural (uneven)
 * distribution; the pool arrives in shuffled order, one slice per simulated hour. Each hour the "chosen" model
 * answers the slice, every answer goes to the selector and then the budget (the hour's budget is the labels per
 * round), and the accepted texts get their true labels; the "random" strategy takes as many texts of the same
 * slice uniformly at random. Both then train a fresh classifier the same way on seed + all their labels so far,
 * and both are scored on the test set. The other model for {@link AnnotationReason#DISAGREEMENT} is the chosen
 * strategy's previous model (as serving's incumbent against a candidate); the data has no request attributes, so
 * {@link AnnotationReason#DRIFTED_SLICE} never fires here.
 *
 * <pre>bench/run.sh labels [--quick] [--seeds 1,2,3] [--rounds N] [--per-round N] [--stream N] [--test N]
 *                       [--seed-per-label N] [--epochs N] [--max-margin X] [--rare-share X]</pre>
 *
 * <p>{@code --max-margin} and {@code --rare-share} replace {@link AnnotationPolicy#defaults()}'s thresholds;
 * {@code --ranked} offers the hour's flagged answers to the budget most worth a label first instead of in arrival
 * order ({@link StreamAnnotator#annotateRanked}).
 */
public final class LabelEfficiencyBench {

    private static final String BENCH = "labels";
    private static final String TASK = "wordnet";
    private static final int BATCH = 16;
    private static final float LEARNING_RATE = 1e-3f;
    /** LoRA in the top two of MiniLM's six layers: the four below run once per text (frozen-layer cache). */
    private static final int LORA_FIRST_LAYER = 4;
    private static final int MAX_TOKENS = 64;

    record Options(List<Long> seeds, int rounds, int perRound, int stream, int test, int seedPerLabel, int epochs,
                   double maxMargin, double rareLabelShare, boolean ranked) {

        static final String USAGE = "bench/run.sh labels [--quick] [--seeds 1,2,3] [--rounds N] [--per-round N] "
                + "[--stream N] [--test N] [--seed-per-label N] [--epochs N] [--max-margin X] [--rare-share X] [--ranked]";

        static Options parse(String[] args) {
            List<Long> seeds = List.of(1L, 2L, 3L);
            int rounds = 4;
            int perRound = 50;
            int stream = 1000;
            int test = 1000;
            int seedPerLabel = 5;
            int epochs = 8;
            double maxMargin = AnnotationPolicy.defaults().maxMargin();
            double rareLabelShare = AnnotationPolicy.defaults().rareLabelShare();
            boolean ranked = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> {
                        seeds = List.of(1L);
                        rounds = 2;
                        stream = 400;
                        test = 300;
                        epochs = 4;
                    }
                    case "--seeds" -> seeds = Arrays.stream(args[++i].split(",")).map(Long::parseLong).toList();
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    case "--per-round" -> perRound = Integer.parseInt(args[++i]);
                    case "--stream" -> stream = Integer.parseInt(args[++i]);
                    case "--test" -> test = Integer.parseInt(args[++i]);
                    case "--seed-per-label" -> seedPerLabel = Integer.parseInt(args[++i]);
                    case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                    case "--max-margin" -> maxMargin = Double.parseDouble(args[++i]);
                    case "--rare-share" -> rareLabelShare = Double.parseDouble(args[++i]);
                    case "--ranked" -> ranked = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
                }
            }
            if (seeds.isEmpty() || rounds < 1 || perRound < 1 || stream < perRound || test < 1 || seedPerLabel < 1
                    || epochs < 1) {
                throw new IllegalArgumentException("need seeds, rounds, per-round, test, seed-per-label and epochs >= 1"
                        + " and stream >= per-round; " + USAGE);
            }
            return new Options(seeds, rounds, perRound, stream, test, seedPerLabel, epochs, maxMargin, rareLabelShare,
                    ranked);
        }
    }

    /** Test-set scores of one model. */
    record Score(double accuracy, double macroF1) {
    }

    /**
     * One round of one seed: labels each strategy holds after it, their scores, and what the selector did this round.
     *
     * @param flagged       answers of the round's stream the selector gave a reason (before the budget)
     * @param reasonsSoFar  the chosen labels so far with each reason (a label may have several)
     */
    record Round(int round, int labelsSoFar, Score chosen, Score random, int flagged,
                 Map<AnnotationReason, Integer> reasonsSoFar) {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        long started = System.nanoTime();
        Path database = WordnetPackage.install(WordnetPackage.defaultCache());
        WordnetDataset wordnet = WordnetDataset.read(database.resolve("data.noun"), WordnetStream.MIN_CHARS,
                WordnetStream.MAX_CHARS);
        List<String> labels = List.copyOf(new TreeSet<>(wordnet.sizes().keySet()));
        BenchRuns.log(BENCH, "WordNet: %d synsets in %d categories %s; load %.2f", wordnet.synsets().size(),
                labels.size(), wordnet.sizes(), BenchRuns.loadAverage());

        Map<Long, List<Round>> bySeed = new LinkedHashMap<>();
        List<Score> seedModels = new ArrayList<>();
        try (BaseModel base = BuiltInModels.miniLm()) {
            base.cacheFrozenLayers(1536L << 20); // every text's bottom four layers once: pool, test and seed set
            for (long seed : options.seeds()) {
                List<Round> rounds = new ArrayList<>();
                seedModels.add(runSeed(base, wordnet, labels, seed, options, rounds));
                bySeed.put(seed, rounds);
            }
            base.frozenLayerCacheStats().ifPresent(stats -> BenchRuns.log(BENCH, "frozen-layer cache: %s", stats));
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        String results = report(options, labels, seedModels, bySeed, wall);
        Path out = Path.of("bench/target/labels-results.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, results);
        System.out.println(results);
        BenchRuns.log(BENCH, "results in %s", out);
    }

    /** Runs every round of one seed into {@code rounds}; returns the seed model's score. */
    private static Score runSeed(BaseModel base, WordnetDataset wordnet, List<String> labels, long seed,
                                 Options options, List<Round> rounds) {
        Random random = new Random(seed);
        List<WordnetDataset.Synset> shuffled = new ArrayList<>(wordnet.synsets());
        Collections.shuffle(shuffled, random);
        // The seed set: the first few of each category in shuffled order; the rest keep the natural distribution.
        Map<String, Integer> taken = new LinkedHashMap<>();
        List<LabeledText> seedSet = new ArrayList<>();
        List<WordnetDataset.Synset> rest = new ArrayList<>();
        for (WordnetDataset.Synset s : shuffled) {
            if (taken.merge(s.category(), 1, Integer::sum) <= options.seedPerLabel()) {
                seedSet.add(new LabeledText(s.text(), s.category()));
            } else {
                rest.add(s);
            }
        }
        List<WordnetDataset.Synset> test = rest.subList(0, options.test());
        List<WordnetDataset.Synset> pool = rest.subList(options.test(),
                options.test() + options.rounds() * options.stream());

        TextClassifier seedModel = train(base, labels, seedSet, seed, options.epochs());
        Score seedScore = score(seedModel, test);
        BenchRuns.log(BENCH, "seed %d: seed model on %d examples: accuracy %.3f, macro-F1 %.3f", seed,
                seedSet.size(), seedScore.accuracy(), seedScore.macroF1());

        AnnotationPolicy policy = new AnnotationPolicy(options.maxMargin(), options.rareLabelShare(),
                options.perRound(), AnnotationPolicy.defaults().dedupeMemory());
        StreamAnnotator annotator = new StreamAnnotator(TASK, new AnnotationSelector(policy),
                new AnnotationBudget(policy), LabelShares.defaults());
        List<LabeledText> chosenLabels = new ArrayList<>();
        List<LabeledText> randomLabels = new ArrayList<>();
        Map<AnnotationReason, Integer> reasons = new EnumMap<>(AnnotationReason.class);
        Random randomPicks = new Random(seed * 31 + 7);
        TextClassifier chosen = seedModel;
        TextClassifier previous = null; // the other model for DISAGREEMENT
        TextClassifier randomModel = null;
        try {
            for (int r = 1; r <= options.rounds(); r++) {
                List<WordnetDataset.Synset> hour = pool.subList((r - 1) * options.stream(), r * options.stream());
                List<String> texts = hour.stream().map(WordnetDataset.Synset::text).toList();
                List<Prediction> served = chosen.predict(texts);
                List<String> other = previous == null ? null
                        : previous.predict(texts).stream().map(Prediction::label).toList();
                Instant clock = Instant.EPOCH.plus(Duration.ofHours(r));
                StreamAnnotator.Hour requested = options.ranked() ? annotator.annotateRanked(texts, served, other, clock)
                        : annotator.annotate(texts, served, other, clock);
                for (StreamAnnotator.Request request : requested.requests()) {
                    WordnetDataset.Synset s = hour.get(request.index());
                    chosenLabels.add(new LabeledText(s.text(), s.category()));
                    request.reasons().forEach(reason -> reasons.merge(reason, 1, Integer::sum));
                }
                List<Integer> indices = new ArrayList<>();
                for (int i = 0; i < hour.size(); i++) {
                    indices.add(i);
                }
                Collections.shuffle(indices, randomPicks);
                indices.subList(0, requested.requests().size()).forEach(i -> randomLabels.add(
                        new LabeledText(hour.get(i).text(), hour.get(i).category())));

                if (previous != null && previous != seedModel) {
                    previous.close();
                }
                previous = chosen;
                chosen = train(base, labels, concat(seedSet, chosenLabels), seed, options.epochs());
                if (randomModel != null) {
                    randomModel.close();
                }
                randomModel = train(base, labels, concat(seedSet, randomLabels), seed, options.epochs());
                Round round = new Round(r, chosenLabels.size(), score(chosen, test), score(randomModel, test),
                        requested.flagged(), new EnumMap<>(reasons));
                rounds.add(round);
                BenchRuns.log(BENCH, "seed %d round %d: %d labels (%d of %d flagged this hour, %s); chosen %.3f / "
                        + "F1 %.3f, random %.3f / F1 %.3f; random labels' categories %d, chosen %d", seed, r,
                        round.labelsSoFar(), requested.requests().size(), requested.flagged(), reasons,
                        round.chosen().accuracy(), round.chosen().macroF1(), round.random().accuracy(),
                        round.random().macroF1(), categories(randomLabels), categories(chosenLabels));
            }
        } finally {
            for (TextClassifier c : new HashSet<>(Arrays.asList(seedModel, previous, chosen, randomModel))) {
                if (c != null) {
                    c.close();
                }
            }
        }
        return seedScore;
    }

    /** A fresh classifier trained on {@code examples}: the same recipe for every strategy, round and seed. */
    static TextClassifier train(BaseModel base, List<String> labels, List<LabeledText> examples, long seed,
                                int epochs) {
        ClassifierConfig config = ClassifierConfig.of(labels)
                .withLora(LoraConfig.defaults().withFirstLayer(LORA_FIRST_LAYER))
                .withMaxSequenceLength(MAX_TOKENS).withSeed(seed);
        TextClassifier classifier = TextClassifier.create(base, config);
        List<LabeledText> order = new ArrayList<>(examples);
        Random shuffle = new Random(seed);
        try (TrainingSession session = TrainingSession.start(classifier, TrainingOptions.defaults())) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                Collections.shuffle(order, shuffle);
                for (int from = 0; from < order.size(); from += BATCH) {
                    session.trainStep(order.subList(from, Math.min(order.size(), from + BATCH)), LEARNING_RATE);
                }
            }
        } catch (RuntimeException e) {
            classifier.close();
            throw e;
        }
        return classifier;
    }

    /** Accuracy, and macro-F1 over the labels that are true or predicted on the test set (as scikit-learn's). */
    static Score score(TextClassifier classifier, List<WordnetDataset.Synset> test) {
        List<Prediction> predictions = classifier.predict(test.stream().map(WordnetDataset.Synset::text).toList());
        List<String> truth = test.stream().map(WordnetDataset.Synset::category).toList();
        return score(truth, predictions.stream().map(Prediction::label).toList());
    }

    static Score score(List<String> truth, List<String> predicted) {
        Map<String, int[]> counts = new LinkedHashMap<>(); // label -> true positives, predicted, actual
        int right = 0;
        for (int i = 0; i < truth.size(); i++) {
            String t = truth.get(i);
            String p = predicted.get(i);
            counts.computeIfAbsent(t, l -> new int[3])[2]++;
            counts.computeIfAbsent(p, l -> new int[3])[1]++;
            if (t.equals(p)) {
                right++;
                counts.get(t)[0]++;
            }
        }
        double f1 = 0;
        for (int[] c : counts.values()) {
            f1 += c[0] == 0 ? 0 : 2.0 * c[0] / (c[1] + c[2]);
        }
        return new Score(right / (double) truth.size(), f1 / counts.size());
    }

    private static List<LabeledText> concat(List<LabeledText> a, List<LabeledText> b) {
        List<LabeledText> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static long categories(List<LabeledText> examples) {
        return examples.stream().map(LabeledText::label).distinct().count();
    }

    private static String report(Options options, List<String> labels, List<Score> seedModels,
                                 Map<Long, List<Round>> bySeed, Duration wall) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "# Label efficiency of annotation requests (bench/run.sh labels "
                + "--seeds %s --rounds %d --per-round %d --stream %d --test %d --seed-per-label %d --epochs %d "
                + "--max-margin %s --rare-share %s%s)%n%n",
                options.seeds().stream().map(String::valueOf).collect(Collectors.joining(",")), options.rounds(),
                options.perRound(), options.stream(), options.test(), options.seedPerLabel(), options.epochs(),
                options.maxMargin(), options.rareLabelShare(), options.ranked() ? " --ranked" : ""));
        out.append(String.format(Locale.ROOT, "WordNet noun definitions, %d categories (natural, uneven shares); "
                + "seed set %d per category; per round (one simulated hour) the chosen model answers %d pool texts in "
                + "arrival order, and AnnotationSelector (margin < %.2f, label share < %.2f of the last 1000 "
                + "answers once 50 are seen, disagreement with the previous model) + AnnotationBudget (%d per hour), "
                + "%s, pick its labels; random takes as many from the same texts. Fresh MiniLM classifier per round "
                + "(LoRA r=8 q,v in layers %d-5, %d tokens, AdamW lr %.0e, batch %d, %d epochs) on seed + labels so far; "
                + "scored on %d held-out texts (natural distribution). Mean ± sample std over %d seed(s). Wall time "
                + "%d min %d s, load average %.2f at the end.%n%n", labels.size(), options.seedPerLabel(),
                options.stream(), options.maxMargin(), options.rareLabelShare(), options.perRound(),
                options.ranked() ? "flagged answers ranked most worth first at the end of the hour"
                        : "first come, first served", LORA_FIRST_LAYER, MAX_TOKENS, (double) LEARNING_RATE, BATCH,
                options.epochs(),
                options.test(), options.seeds().size(), wall.toMinutes(), wall.toSecondsPart(),
                BenchRuns.loadAverage()));
        out.append("| labels so far (nominal) | labels taken | chosen accuracy | random accuracy | chosen - random "
                + "| chosen macro-F1 | random macro-F1 | F1 chosen - random | flagged per hour "
                + "| chosen labels by reason (LOW_MARGIN / DISAGREEMENT / DRIFTED_SLICE / RARE_LABEL) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        Spread seedAccuracy = Spread.of(seedModels.stream().mapToDouble(Score::accuracy).toArray());
        Spread seedF1 = Spread.of(seedModels.stream().mapToDouble(Score::macroF1).toArray());
        out.append(String.format(Locale.ROOT, "| 0 (seed model) | 0 | %s | %s | | %s | %s | | | |%n",
                seedAccuracy.format("%.3f"), seedAccuracy.format("%.3f"), seedF1.format("%.3f"),
                seedF1.format("%.3f")));
        for (int r = 0; r < options.rounds(); r++) {
            int index = r;
            List<Round> rows = bySeed.values().stream().map(rounds -> rounds.get(index)).toList();
            out.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    (r + 1) * options.perRound(),
                    spread(rows, x -> x.labelsSoFar()).format("%.0f"),
                    spread(rows, x -> x.chosen().accuracy()).format("%.3f"),
                    spread(rows, x -> x.random().accuracy()).format("%.3f"),
                    spread(rows, x -> x.chosen().accuracy() - x.random().accuracy()).format("%+.3f"),
                    spread(rows, x -> x.chosen().macroF1()).format("%.3f"),
                    spread(rows, x -> x.random().macroF1()).format("%.3f"),
                    spread(rows, x -> x.chosen().macroF1() - x.random().macroF1()).format("%+.3f"),
                    spread(rows, x -> x.flagged()).format("%.0f"),
                    Arrays.stream(AnnotationReason.values())
                            .map(reason -> spread(rows, x -> x.reasonsSoFar().getOrDefault(reason, 0)).format("%.0f"))
                            .collect(Collectors.joining(" / "))));
        }
        out.append(String.format(Locale.ROOT, "%n## Every seed%n%n| seed | round | labels | chosen accuracy "
                + "| random accuracy | chosen macro-F1 | random macro-F1 | flagged | reasons so far |%n"
                + "|---|---|---|---|---|---|---|---|---|%n"));
        bySeed.forEach((seed, rounds) -> rounds.forEach(x -> out.append(String.format(Locale.ROOT,
                "| %d | %d | %d | %.3f | %.3f | %.3f | %.3f | %d | %s |%n", seed, x.round(), x.labelsSoFar(),
                x.chosen().accuracy(), x.random().accuracy(), x.chosen().macroF1(), x.random().macroF1(),
                x.flagged(), x.reasonsSoFar()))));
        return out.toString();
    }

    private static Spread spread(List<Round> rows, java.util.function.ToDoubleFunction<Round> metric) {
        return Spread.of(rows.stream().mapToDouble(metric).toArray());
    }
}
