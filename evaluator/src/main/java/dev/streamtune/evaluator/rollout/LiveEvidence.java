package dev.streamtune.evaluator.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import dev.streamtune.contract.ServedAnswers;
import dev.streamtune.schema.FeedbackEvent;
import dev.streamtune.schema.PredictionLog;
import dev.streamtune.schema.ServingRole;

/**
 * What live traffic says about each adapter, per minute: answers users got (champion or canary rows of the
 * prediction log), their latency, feedback on them (a correction that differs, or a rating of 1-2, says wrong), and
 * for a candidate in shadow its answers beside the champion's on the same texts. A fold over predictions.log and
 * feedback.events that does not depend on the order the two topics are read in, so a restarted evaluator rebuilds
 * the same evidence; minutes older than {@code retention} (counted from the newest event seen) are dropped.
 *
 * <p>Not thread-safe: owned by the evaluator's loop.
 */
public final class LiveEvidence {

    /** Answers users got from one adapter since a time, and what feedback said of them. */
    public record Arm(long served, long wrong, long right, LatencyHistogram latency) {

        /** The share of answers users corrected (or rated 1-2). */
        public double wrongShare() {
            return served == 0 ? 0 : (double) wrong / served;
        }
    }

    /** A candidate's shadow answers beside the champion's, since a time. */
    public record Shadow(long pairs, long disagreements, double meanConfidenceShift, LatencyHistogram candidate,
                         LatencyHistogram champion) {

        public double disagreement() {
            return pairs == 0 ? 0 : (double) disagreements / pairs;
        }
    }

    private static final class Minute {
        long served;
        long wrong;
        long right;
        final LatencyHistogram latency = new LatencyHistogram();
        long pairs;
        long disagreements;
        double confidenceShift;
        final LatencyHistogram shadowLatency = new LatencyHistogram();
        final LatencyHistogram championLatency = new LatencyHistogram();
    }

    private final Duration retention;
    /** adapter id -> minute (epoch minute) -> counts. */
    private final Map<String, NavigableMap<Long, Minute>> adapters = new HashMap<>();
    private long newestMinute = Long.MIN_VALUE;

    public LiveEvidence(Duration retention) {
        this.retention = retention;
    }

    public void onPrediction(PredictionLog prediction) {
        Minute minute = minute(prediction.getAdapterId(), prediction.getServedAt());
        if (prediction.getRole() == ServingRole.SHADOW) {
            minute.pairs++;
            if (!prediction.getPredictedLabel().equals(prediction.getChampionLabel())) {
                minute.disagreements++;
            }
            if (prediction.getChampionConfidence() != null) {
                minute.confidenceShift += ServedAnswers.confidence(prediction) - prediction.getChampionConfidence();
            }
            minute.shadowLatency.add(prediction.getLatencyMicros());
            if (prediction.getChampionLatencyMicros() != null) {
                minute.championLatency.add(prediction.getChampionLatencyMicros());
            }
        } else {
            minute.served++;
            minute.latency.add(prediction.getLatencyMicros());
        }
    }

    public void onFeedback(FeedbackEvent feedback) {
        Boolean right = ServedAnswers.judgedRight(feedback);
        if (right == null) {
            return;
        }
        Minute minute = minute(feedback.getModelVersion(), feedback.getEventTime());
        if (right) {
            minute.right++;
        } else {
            minute.wrong++;
        }
    }

    /** Answers {@code adapterId} gave users from the minute of {@code since} on. */
    public Arm arm(String adapterId, Instant since) {
        long served = 0;
        long wrong = 0;
        long right = 0;
        LatencyHistogram latency = new LatencyHistogram();
        for (Minute m : from(adapterId, since)) {
            served += m.served;
            wrong += m.wrong;
            right += m.right;
            latency.addAll(m.latency);
        }
        return new Arm(served, wrong, right, latency);
    }

    /** {@code candidateId}'s shadow answers from the minute of {@code since} on. */
    public Shadow shadow(String candidateId, Instant since) {
        long pairs = 0;
        long disagreements = 0;
        double shift = 0;
        LatencyHistogram candidate = new LatencyHistogram();
        LatencyHistogram champion = new LatencyHistogram();
        for (Minute m : from(candidateId, since)) {
            pairs += m.pairs;
            disagreements += m.disagreements;
            shift += m.confidenceShift;
            candidate.addAll(m.shadowLatency);
            champion.addAll(m.championLatency);
        }
        return new Shadow(pairs, disagreements, pairs == 0 ? 0 : shift / pairs, candidate, champion);
    }

    private Iterable<Minute> from(String adapterId, Instant since) {
        NavigableMap<Long, Minute> minutes = adapters.get(adapterId);
        return minutes == null ? java.util.List.of() : minutes.tailMap(epochMinute(since), true).values();
    }

    private Minute minute(String adapterId, Instant at) {
        long key = epochMinute(at);
        if (key > newestMinute) {
            newestMinute = key;
            prune();
        }
        return adapters.computeIfAbsent(adapterId, a -> new TreeMap<>()).computeIfAbsent(key, k -> new Minute());
    }

    private void prune() {
        long oldest = newestMinute - retention.toMinutes();
        for (Iterator<NavigableMap<Long, Minute>> it = adapters.values().iterator(); it.hasNext(); ) {
            NavigableMap<Long, Minute> minutes = it.next();
            minutes.headMap(oldest, false).clear();
            if (minutes.isEmpty()) {
                it.remove();
            }
        }
    }

    private static long epochMinute(Instant at) {
        return Math.floorDiv(at.toEpochMilli(), 60_000L);
    }
}
