package dev.streamtune.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

import dev.streamtune.evaluator.drift.CachedEmbedder;
import dev.streamtune.evaluator.drift.DomainClassifierAuc;
import dev.streamtune.evaluator.drift.DriftDetector;
import dev.streamtune.evaluator.drift.DriftItem;
import dev.streamtune.evaluator.drift.DriftPolicy;
import dev.streamtune.model.BaseModel;
import dev.streamtune.model.BuiltInModels;
import dev.streamtune.model.ClassifierConfig;
import dev.streamtune.model.LabeledText;
import dev.streamtune.model.OnnxSentenceEmbeddings;
import dev.streamtune.model.Prediction;
import dev.streamtune.model.TemperatureScaling;
import dev.streamtune.model.TextClassifier;
import dev.streamtune.model.TrainingOptions;
import dev.streamtune.model.TrainingSession;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.PerformanceEstimate;

/**
 * The evaluator's drift tests on real text, with the real MiniLM embeddings: how often they fire on windows drawn
 * from one corpus (the false-alarm rate; target 1% per window), on consecutive windows of one mailbox in corpus
 * order, and on windows that mix in another corpus (the detection rate, by share mixed in); what a report costs; and
 * how well the label-free accuracy estimate (mean calibrated confidence) tracks the real accuracy of a spam filter
 * when its traffic shifts. Data: SpamAssassin (npm) and WordNet noun glosses (Debian), installed at bench time.
 *
 * <pre>bench/run.sh drift [--windows N] [--sample N] [--seed N] [--quick]</pre>
 */
public final class DriftBench {

    private static final String BENCH = "drift";
    private static final String REFERENCE = "easy-ham-1";
    private static final double[] SHARES = {0.1, 0.25, 0.5, 1.0};

    private record Options(int windows, int sample, long seed) {

        static Options parse(String[] args) {
            int windows = 100;
            int sample = DriftPolicy.defaults().sampleSize();
            long seed = 1;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--windows" -> windows = Integer.parseInt(args[++i]);
                    case "--sample" -> sample = Integer.parseInt(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--quick" -> {
                        windows = 10;
                        sample = 100;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + "; bench/run.sh drift [--windows N] [--sample N] [--seed N] [--quick]");
                }
            }
            return new Options(windows, sample, seed);
        }
    }

    /** How often a scenario's windows fired, and which tests. */
    private static final class Tally {
        int windows;
        int fired;
        long millis;
        long embedMillis;
        double auc;
        final Map<String, Integer> byTest = new TreeMap<>();

        void add(DriftReport report, long reportMillis, long reportEmbedMillis) {
            windows++;
            millis += reportMillis;
            embedMillis += reportEmbedMillis;
            auc += report.getScores().getOrDefault(DomainClassifierAuc.NAME, 0.5);
            fired += report.getExceeded().isEmpty() ? 0 : 1;
            report.getExceeded().forEach(test -> byTest.merge(test, 1, Integer::sum));
        }

        String rate() {
            return String.format(Locale.ROOT, "%d / %d (%.3f)", fired, windows, fired / (double) windows);
        }

        String tests() {
            List<Map.Entry<String, Integer>> top = new ArrayList<>(byTest.entrySet());
            top.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
            return String.join(", ", top.subList(0, Math.min(4, top.size())).stream()
                    .map(e -> e.getKey() + " " + e.getValue()).toList());
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path spamData = SpamAssassinPackage.install(SpamAssassinPackage.defaultCache());
        SpamAssassinCorpus spam = SpamAssassinCorpus.read(spamData, SpamStream.MIN_CHARS, SpamStream.MAX_CHARS);
        Path wordnetData = WordnetPackage.install(WordnetPackage.defaultCache());
        WordnetDataset wordnet = WordnetDataset.read(wordnetData.resolve("data.noun"), WordnetStream.MIN_CHARS,
                WordnetStream.MAX_CHARS);
        BenchRuns.log(BENCH, "corpora: SpamAssassin %s, WordNet %d glosses; load %.2f", spam.sizes(),
                wordnet.synsets().size(), BenchRuns.loadAverage());

        Map<String, List<DriftItem>> corpora = new LinkedHashMap<>();
        for (String group : List.of(REFERENCE, "easy-ham-2", "spam-1", "hard-ham-1")) {
            corpora.put(group, spam.messages(group).stream()
                    .map(m -> DriftItem.example(m.checksum(), m.text(), m.label(), Map.of())).toList());
        }
        corpora.put("wordnet", wordnet.synsets().stream()
                .map(s -> DriftItem.example("wn" + s.offset(), s.text(), s.category(), Map.of())).toList());

        StringBuilder results = new StringBuilder();
        try (BaseModel base = BuiltInModels.miniLm();
             OnnxSentenceEmbeddings embedder = OnnxSentenceEmbeddings.compile(base, DriftPolicy.EMBEDDING_TOKENS, 1)) {
            long[] embedNanos = EMBED_NANOS;
            long[] embedded = new long[1];
            Function<List<String>, float[][]> timed = texts -> {
                long started = System.nanoTime();
                float[][] vectors = embedder.embed(texts); // as the evaluator embeds: ONNX Runtime, one thread
                embedNanos[0] += System.nanoTime() - started;
                embedded[0] += texts.size();
                return vectors;
            };
            DriftPolicy defaults = DriftPolicy.defaults();
            DriftPolicy policy = new DriftPolicy(defaults.falseAlarmRate(), defaults.permutations(),
                    options.sample(), defaults.minWindowExamples(), defaults.minSliceExamples(), defaults.maxSlices(),
                    defaults.minServedPredictions(), defaults.minDomainAuc(), defaults.minConfidenceDrop());
            DriftDetector detector = new DriftDetector(policy, new CachedEmbedder(timed, 20_000));

            results.append(String.format(Locale.ROOT, "# Drift tests on real text (bench/run.sh drift --windows %d "
                    + "--sample %d --seed %d)%n%n", options.windows(), options.sample(), options.seed()));
            results.append(String.format(Locale.ROOT, "Started %s, load average %.2f; false-alarm rate target %.2f "
                    + "per window, %d permutations, %d texts per side; MiniLM embeddings of the first %d tokens.%n%n",
                    Instant.now(), BenchRuns.loadAverage(), policy.falseAlarmRate(), policy.permutations(),
                    options.sample(), DriftPolicy.EMBEDDING_TOKENS));
            results.append("| scenario | windows that fired | mean domain AUC | tests that fired most "
                    + "| ms per report (of which embedding new texts) |\n");
            results.append("|---|---|---|---|---|\n");

            Random random = new Random(options.seed());
            List<DriftItem> referencePool = new ArrayList<>(corpora.get(REFERENCE));
            int sample = options.sample();

            Tally nulls = new Tally();
            for (int w = 0; w < options.windows(); w++) {
                Collections.shuffle(referencePool, random);
                run(detector, referencePool.subList(0, sample), referencePool.subList(sample, 2 * sample),
                        "null-" + w, nulls);
            }
            row(results, REFERENCE + " vs " + REFERENCE + " (random, disjoint)", nulls);

            // Consecutive blocks of one mailbox in corpus order against its first block: real streams are not
            // exchangeable (threads, senders and topics come and go), so this rate may exceed the target.
            Tally temporal = new Tally();
            List<DriftItem> ordered = corpora.get(REFERENCE);
            for (int w = 1; w < Math.min(options.windows() + 1, ordered.size() / sample); w++) {
                run(detector, ordered.subList(0, sample), ordered.subList(w * sample, (w + 1) * sample),
                        "temporal-" + w, temporal);
            }
            row(results, REFERENCE + " block k vs block 0 (corpus order)", temporal);

            for (String other : List.of("easy-ham-2", "hard-ham-1", "spam-1", "wordnet")) {
                List<DriftItem> otherPool = new ArrayList<>(corpora.get(other));
                for (double share : SHARES) {
                    Tally shifted = new Tally();
                    int windows = Math.max(5, options.windows() / 10);
                    for (int w = 0; w < windows; w++) {
                        Collections.shuffle(referencePool, random);
                        Collections.shuffle(otherPool, random);
                        // hard-ham-1 has 233 usable messages: a window of it alone is that small
                        int mixed = Math.min(otherPool.size(), (int) Math.round(share * sample));
                        List<DriftItem> current = new ArrayList<>(referencePool.subList(sample,
                                2 * sample - (int) Math.round(share * sample)));
                        current.addAll(otherPool.subList(0, mixed));
                        run(detector, referencePool.subList(0, sample), current, other + "-" + share + "-" + w,
                                shifted);
                    }
                    row(results, String.format(Locale.ROOT, "%s with %.0f%% %s", REFERENCE, 100 * share, other),
                            shifted);
                }
            }
            results.append(String.format(Locale.ROOT, "%nEmbedding: %d texts in %.1f s (%.0f texts/s); the rest of "
                    + "each report's time is the permutations.%n", embedded[0], embedNanos[0] / 1e9,
                    embedded[0] / (embedNanos[0] / 1e9)));

            results.append(confidenceEstimate(base, corpora, spam, options));
        }
        Path out = Path.of("bench/target/drift-results.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, results.toString());
        System.out.println(results);
        BenchRuns.log(BENCH, "results in %s", out);
    }

    /** Nanoseconds spent embedding so far (the embedder adds to it), to tell embedding from testing. */
    private static final long[] EMBED_NANOS = new long[1];

    private static void run(DriftDetector detector, List<DriftItem> reference, List<DriftItem> current,
                            String windowId, Tally tally) {
        long started = System.nanoTime();
        long embeddingBefore = EMBED_NANOS[0];
        DriftReport report = detector.compare(new DriftDetector.Comparison("bench", "reference", windowId,
                List.copyOf(reference), List.copyOf(current), List.of(), List.of(),
                PerformanceEstimate.newBuilder().setServedPredictions(0).setJudgedByFeedback(0).build()),
                Instant.now());
        tally.add(report, (System.nanoTime() - started) / 1_000_000, (EMBED_NANOS[0] - embeddingBefore) / 1_000_000);
        if (tally.windows % 10 == 0) {
            BenchRuns.log(BENCH, "%s: %s fired", windowId, tally.rate());
        }
    }

    private static void row(StringBuilder results, String scenario, Tally tally) {
        int n = Math.max(1, tally.windows);
        results.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %s | %d (%d) |%n", scenario, tally.rate(),
                tally.auc / n, tally.tests(), tally.millis / n, tally.embedMillis / n));
        BenchRuns.log(BENCH, "%s: %s fired (%s)", scenario, tally.rate(), tally.tests());
    }

    /**
     * Trains a ham/spam filter on the reference mailbox and spam-1, calibrates it on held-out examples, then compares
     * its mean confidence (the label-free estimate) with its real accuracy on in-domain and shifted test sets.
     */
    private static String confidenceEstimate(BaseModel base, Map<String, List<DriftItem>> corpora,
                                             SpamAssassinCorpus spam, Options options) throws IOException {
        Random random = new Random(options.seed());
        List<DriftItem> ham = shuffled(corpora.get(REFERENCE), random);
        List<DriftItem> spam1 = shuffled(corpora.get("spam-1"), random);
        List<LabeledText> train = new ArrayList<>();
        List<DriftItem> calibration = new ArrayList<>();
        List<DriftItem> inDomain = new ArrayList<>();
        split(ham, 300, 150, 300, train, calibration, inDomain);
        split(spam1, 100, 50, 100, train, calibration, inDomain);
        Collections.shuffle(train, random);
        Map<String, List<DriftItem>> testSets = new LinkedHashMap<>();
        testSets.put("easy-ham-1 + spam-1 (in domain)", inDomain);
        testSets.put("easy-ham-2 + spam-2 (other mailboxes)", mix(spam, "easy-ham-2", 300, "spam-2", 100, random));
        testSets.put("hard-ham-1 + spam-2 (hard ham)", mix(spam, "hard-ham-1", 200, "spam-2", 100, random));

        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n## Label-free accuracy estimate%n%n"
                + "A LoRA ham/spam filter trained on %d examples (easy-ham-1, spam-1; 3 epochs), temperature fitted "
                + "on %d held-out ones; on each test set, its real accuracy and its mean confidence (the estimate the "
                + "evaluator reports per window from served predictions, no labels needed).%n%n"
                + "| test set | examples | accuracy | estimated (mean confidence) | estimate - accuracy |%n"
                + "|---|---|---|---|---|%n", train.size(), calibration.size()));
        ClassifierConfig config = ClassifierConfig.of(List.of(SpamAssassinCorpus.HAM, SpamAssassinCorpus.SPAM))
                .withSeed(options.seed());
        try (TextClassifier filter = TextClassifier.create(base, config);
             TrainingSession session = TrainingSession.start(filter, TrainingOptions.defaults())) {
            for (int epoch = 0; epoch < 3; epoch++) {
                for (int from = 0; from < train.size(); from += 16) {
                    session.accumulate(train.subList(from, Math.min(train.size(), from + 16)));
                    session.step(5e-4f);
                }
                BenchRuns.log(BENCH, "filter: epoch %d done", epoch + 1);
            }
            float[][] logits = filter.logits(calibration.stream().map(DriftItem::text).toList());
            int[] labels = calibration.stream().mapToInt(e -> filter.labels().indexOf(e.label())).toArray();
            filter.calibrate(TemperatureScaling.fit(logits, labels).temperature());
            for (Map.Entry<String, List<DriftItem>> set : testSets.entrySet()) {
                List<Prediction> predictions = filter.predict(set.getValue().stream().map(DriftItem::text).toList());
                double right = 0;
                double confidence = 0;
                for (int i = 0; i < predictions.size(); i++) {
                    right += predictions.get(i).label().equals(set.getValue().get(i).label()) ? 1 : 0;
                    confidence += predictions.get(i).confidence();
                }
                double accuracy = right / predictions.size();
                double estimate = confidence / predictions.size();
                out.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %+.3f |%n", set.getKey(),
                        predictions.size(), accuracy, estimate, estimate - accuracy));
                BenchRuns.log(BENCH, "%s: accuracy %.3f, estimated %.3f", set.getKey(), accuracy, estimate);
            }
        }
        return out.toString();
    }

    private static List<DriftItem> shuffled(List<DriftItem> items, Random random) {
        List<DriftItem> copy = new ArrayList<>(items);
        Collections.shuffle(copy, random);
        return copy;
    }

    private static void split(List<DriftItem> items, int train, int calibration, int test, List<LabeledText> trainOut,
                              List<DriftItem> calibrationOut, List<DriftItem> testOut) {
        items.subList(0, train).forEach(e -> trainOut.add(new LabeledText(e.text(), e.label(), 1.0)));
        calibrationOut.addAll(items.subList(train, train + calibration));
        testOut.addAll(items.subList(train + calibration, train + calibration + test));
    }

    private static List<DriftItem> mix(SpamAssassinCorpus spam, String hamGroup, int hams, String spamGroup,
                                       int spams, Random random) {
        List<DriftItem> out = new ArrayList<>();
        for (var group : List.of(Map.entry(hamGroup, hams), Map.entry(spamGroup, spams))) {
            List<SpamAssassinCorpus.Message> messages = new ArrayList<>(spam.messages(group.getKey()));
            Collections.shuffle(messages, random);
            messages.subList(0, Math.min(group.getValue(), messages.size())).forEach(m ->
                    out.add(DriftItem.example(m.checksum(), m.text(), m.label(), Map.of())));
        }
        return out;
    }
}
