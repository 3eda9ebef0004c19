package dev.streamtune.evaluator.gate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

import dev.streamtune.evaluator.metrics.SliceScorer;
import dev.streamtune.evaluator.scoring.AdapterScorer;
import dev.streamtune.evaluator.scoring.CandidateEvaluator;
import dev.streamtune.evaluator.scoring.LearnedLabels;
import dev.streamtune.evaluator.sets.EvaluationSets;
import dev.streamtune.schema.AdapterCandidate;
import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.EvaluationReport;
import dev.streamtune.schema.ExampleOrigin;
import dev.streamtune.schema.Split;

/**
 * A class-incremental stream for tests: every label of the task is declared up front (l00 ... l11), window k brings
 * two new ones (l(2k), l(2k+1)), and simulated adapters answer with accuracies and confidences we choose. Each
 * window's test split holds {@code perNewLabel} examples of each new label and {@code perOldLabel} of each earlier
 * one (0 for a strictly class-incremental stream).
 */
final class ClassIncrementalStream {

    static final int WINDOWS = 6;
    static final List<String> LABELS = IntStream.range(0, 2 * WINDOWS).mapToObj(i -> String.format("l%02d", i)).toList();

    private final EvaluationSets sets = new EvaluationSets(1000, 40, 50);
    private final int perNewLabel;
    private final int perOldLabel;

    private int windowsClosed;

    ClassIncrementalStream(int perNewLabel, int perOldLabel) {
        this.perNewLabel = perNewLabel;
        this.perOldLabel = perOldLabel;
    }

    /** Closes windows up to {@code window}: their test examples join the evaluation sets, in order. */
    private void closeThrough(int window) {
        for (; windowsClosed <= window; windowsClosed++) {
            for (String label : newLabels(windowsClosed)) {
                add(windowsClosed, label, perNewLabel, 0);
            }
            for (String label : labelsBefore(windowsClosed)) {
                add(windowsClosed, label, perOldLabel, 3 * windowsClosed);
            }
        }
    }

    static List<String> newLabels(int window) {
        return LABELS.subList(2 * window, 2 * window + 2);
    }

    /** Labels of the windows before {@code window}. */
    static List<String> labelsBefore(int window) {
        return LABELS.subList(0, 2 * window);
    }

    /** Labels of windows 0 through {@code window}. */
    static List<String> labelsThrough(int window) {
        return LABELS.subList(0, 2 * window + 2);
    }

    static String windowId(int window) {
        return String.format("t-%06d", window);
    }

    /** Judges the candidate trained on {@code window} against {@code champion} (null for the first adapter). */
    EvaluationReport evaluate(int window, Adapter candidate, Adapter champion) {
        if (window < windowsClosed - 1) {
            throw new IllegalStateException("window " + window + " is in the past: later windows have closed");
        }
        closeThrough(window);
        CandidateEvaluator evaluator = new CandidateEvaluator(sets, new SliceScorer(LABELS.get(0), 10));
        AdapterCandidate record = AdapterCandidate.newBuilder().setCandidateId("cand-" + window).setTask("t")
                .setBaseModelId("base").setBaseModelChecksum("x").setWindowIds(List.of(windowId(window)))
                .setArtifactUri("file:///x").setArtifactSha256("y").setCreatedAt(Instant.EPOCH)
                .setHyperparameters(Map.of()).setValidationMetrics(Map.of()).build();
        return evaluator.evaluate(record, candidate, LearnedLabels.of(candidate, Set.of()),
                champion == null ? null : "champ", champion,
                champion == null ? null : LearnedLabels.of(champion, labelsThrough(window - 1)), Instant.EPOCH);
    }

    /** Example i of a label gets index (7 i + offset) mod 20, so a few examples per window still meet every slot. */
    private void add(int window, String label, int count, int offset) {
        for (int i = 0; i < count; i++) {
            String text = label + " " + (7 * i + offset) % 20 + " w" + window;
            sets.add(CleanExample.newBuilder().setId(text).setTask("t").setText(text).setLabel(label).setSource("s")
                    .setOrigin(ExampleOrigin.LABELLED).setEventTime(Instant.EPOCH)
                        .setAttributes(Map.of("locale", i % 2 == 0 ? "en" : "fr")).setWeight(1.0).setSplit(Split.TEST)
                    .setContentHash(text).setWindowId(windowId(window)).build());
        }
    }

    /**
     * A simulated adapter with a head over every label. For a label it answers, the examples whose index (0-19) is
     * below {@code accuracy} * 20 get the right answer at that label's confidence; the
     * rest, and every example of a label it does not answer, get its fallback label (the first it answers) at
     * {@code wrongConfidence}.
     */
    static final class Adapter implements AdapterScorer {

        private final Map<String, Double> accuracy = new LinkedHashMap<>();
        private final Map<String, Double> confidence = new HashMap<>();
        private double wrongConfidence = 0.15;
        private Optional<List<String>> learned = Optional.empty();

        /** Answers {@code labels} with the given accuracy and confidence; records them as learned. */
        static Adapter answering(List<String> labels, double accuracy, double confidence) {
            return new Adapter().answers(labels, accuracy, confidence).recording(labels);
        }

        Adapter answers(List<String> labels, double accuracy, double confidence) {
            labels.forEach(label -> {
                this.accuracy.put(label, accuracy);
                this.confidence.put(label, confidence);
            });
            return this;
        }

        /** What its adapter file records as learned; empty for a file older than that record. */
        Adapter recording(List<String> learnedLabels) {
            this.learned = Optional.of(List.copyOf(learnedLabels));
            return this;
        }

        Adapter recordingNothing() {
            this.learned = Optional.empty();
            return this;
        }

        Adapter wrongAt(double confidence) {
            this.wrongConfidence = confidence;
            return this;
        }

        @Override
        public List<Map<String, Double>> predict(List<String> texts) {
            List<Map<String, Double>> result = new ArrayList<>();
            for (String text : texts) {
                String[] parts = text.split(" ");
                String label = parts[0];
                int index = Integer.parseInt(parts[1]);
                Double share = accuracy.get(label);
                boolean right = share != null && index < Math.round(share * 20);
                String answer = right ? label : accuracy.keySet().iterator().next();
                result.add(probabilities(answer, right ? confidence.get(label) : wrongConfidence));
            }
            return result;
        }

        private static Map<String, Double> probabilities(String answer, double confidence) {
            Map<String, Double> probabilities = new LinkedHashMap<>();
            double rest = (1 - confidence) / (LABELS.size() - 1);
            LABELS.forEach(label -> probabilities.put(label, label.equals(answer) ? confidence : rest));
            return probabilities;
        }

        @Override
        public List<String> labels() {
            return LABELS;
        }

        @Override
        public Optional<List<String>> learnedLabels() {
            return learned;
        }

        @Override
        public void close() {
        }
    }
}
