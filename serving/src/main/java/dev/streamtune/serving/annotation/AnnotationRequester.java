package dev.streamtune.serving.annotation;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

import dev.streamtune.model.Prediction;
import dev.streamtune.model.annotation.AnnotationBudget;
import dev.streamtune.model.annotation.AnnotationReason;
import dev.streamtune.model.annotation.AnnotationSelector;
import dev.streamtune.model.annotation.LabelShares;
import dev.streamtune.schema.AnnotationRequest;
import dev.streamtune.schema.DriftReport;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.serving.predict.Answer;

/**
 * Chooses served predictions worth a human label and turns them into {@link AnnotationRequest}s: the model's
 * {@link AnnotationSelector} says why (low margin, a rollout candidate disagreeing in shadow, a drifted slice, a
 * rare label), the {@link AnnotationBudget} keeps each task within its hourly budget and never asks for the same
 * text twice. Labels that come back as feedback on a requested prediction are counted.
 *
 * <p>Thread-safe: answers arrive on request threads, shadow answers on the shadow thread, drift reports and
 * feedback on the dashboard feed's. Never throws into its callers: a request is handed to {@code send}, which must
 * not block (the publisher queues it).
 */
public final class AnnotationRequester {

    /** What the requester reports. */
    public interface Observer {
        void requested(AnnotationRequest request);

        void refused(String task, AnnotationBudget.Decision why);

        void labelled(String task);
    }

    private final boolean enabled;
    private final AnnotationSelector selector;
    private final AnnotationBudget budget;
    private final Consumer<AnnotationRequest> send;
    private final Observer observer;
    private final Clock clock;
    private final ConcurrentMap<String, LabelShares> shares = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Set<String>> driftedSlices = new ConcurrentHashMap<>();
    /** Prediction ids asked about, so that the labels coming back are counted once each. */
    private final Map<String, String> requested;

    /** @param enabled false: nothing is ever requested (the answers are not even looked at) */
    public AnnotationRequester(boolean enabled, AnnotationSelector selector, AnnotationBudget budget,
                               Consumer<AnnotationRequest> send, Observer observer, Clock clock) {
        this.enabled = enabled;
        this.selector = selector;
        this.budget = budget;
        this.send = send;
        this.observer = observer;
        this.clock = clock;
        int memory = selector.policy().dedupeMemory();
        this.requested = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > memory;
            }
        });
    }

    /** An answer a user got (champion or canary), with the request's slice attributes. */
    public void answered(Answer answer, Map<String, String> attributes) {
        if (!enabled) {
            return;
        }
        LabelShares taskShares = shares.computeIfAbsent(answer.task(), t -> LabelShares.defaults());
        for (Answer.Served served : answer.predictions()) {
            consider(answer, served, served.prediction(), null, null, attributes, taskShares);
            taskShares.record(served.prediction().label());
        }
    }

    /** A candidate's shadow answer: where it differs from the champion's, the champion's answer may be asked about. */
    public void shadowed(Answer shadow) {
        if (!enabled) {
            return;
        }
        LabelShares taskShares = shares.computeIfAbsent(shadow.task(), t -> LabelShares.defaults());
        for (int i = 0; i < shadow.predictions().size(); i++) {
            Answer.Served champion = shadow.champion().predictions().get(i);
            String candidateLabel = shadow.predictions().get(i).prediction().label();
            if (!candidateLabel.equals(champion.prediction().label())) {
                consider(shadow.champion(), champion, champion.prediction(), candidateLabel, shadow.adapterId(),
                        Map.of(), taskShares);
            }
        }
    }

    private void consider(Answer answer, Answer.Served served, Prediction prediction, String otherLabel,
                          String otherAdapterId, Map<String, String> attributes, LabelShares taskShares) {
        Map<String, Double> probabilities = prediction.byLabel();
        AnnotationSelector.Selection selection = selector.select(probabilities, prediction.label(), otherLabel,
                attributes, driftedSlices.getOrDefault(answer.task(), Set.of()), taskShares);
        if (!selection.worthLabel()) {
            return;
        }
        AnnotationBudget.Decision decision = budget.tryAcquire(answer.task(), served.text(), clock.instant());
        if (decision != AnnotationBudget.Decision.ACCEPTED) {
            observer.refused(answer.task(), decision);
            return;
        }
        AnnotationRequest request = AnnotationRequest.newBuilder().setPredictionId(served.predictionId())
                .setTask(answer.task()).setAdapterId(answer.adapterId()).setText(served.text())
                .setPredictedLabel(prediction.label()).setProbabilities(probabilities)
                .setReasons(selection.reasons().stream().map(AnnotationReason::name).toList())
                .setOtherLabel(otherLabel).setOtherAdapterId(otherAdapterId).setAttributes(attributes)
                .setRequestedAt(clock.instant()).build();
        requested.put(served.predictionId(), answer.task());
        send.accept(request);
        observer.requested(request);
    }

    /** The slices the task's latest drift report flagged ({@code slice.<attribute>=<value>.<test>} fired). */
    public void driftReported(DriftReport report) {
        driftedSlices.put(report.getTask(), slicesOf(report.getExceeded()));
    }

    /** Feedback: a label on a prediction that was asked about closes the loop, once. */
    public void feedback(FeedbackEvent feedback) {
        if (feedback.getCorrectedLabel() != null && requested.remove(feedback.getRequestId()) != null) {
            observer.labelled(feedback.getTask());
        }
    }

    static Set<String> slicesOf(List<String> exceeded) {
        Set<String> slices = new java.util.TreeSet<>();
        for (String test : exceeded) {
            if (!test.startsWith("slice.") || !test.contains("=")) {
                continue; // slice.<attribute>.js is about shares, not one slice
            }
            String rest = test.substring("slice.".length());
            for (String statistic : SLICE_STATISTICS) {
                if (rest.endsWith("." + statistic)) {
                    slices.add(rest.substring(0, rest.length() - statistic.length() - 1));
                }
            }
        }
        return slices;
    }

    /** The per-slice tests' names after the slice (evaluator's DriftDetector: slice.<attribute>=<value>.<test>). */
    private static final List<String> SLICE_STATISTICS = List.of("input.token.js", "label.js",
            "input.embedding.mmd");
}
