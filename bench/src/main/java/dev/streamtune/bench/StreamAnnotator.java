package dev.streamtune.bench;

import dev.streamtune.model.Prediction;
import dev.streamtune.model.annotation.AnnotationBudget;
import dev.streamtune.model.annotation.AnnotationReason;
import dev.streamtune.model.annotation.AnnotationSelector;
import dev.streamtune.model.annotation.LabelShares;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What serving does with each answer of one simulated hour, in arrival order: asks the selector whether it is
 * worth a label, records the answer in the task's label shares, and asks the budget whether a request may be
 * made. No ranking within the hour (serving answers one request at a time and cannot wait for better ones).
 */
final class StreamAnnotator {

    /** A text a request was made for: its position in the hour's stream and the reasons the selector gave. */
    record Request(int index, List<AnnotationReason> reasons) {
    }

    /** What one hour yielded: the requests made, and how many answers the selector flagged before the budget. */
    record Hour(List<Request> requests, int flagged) {
    }

    private final String task;
    private final AnnotationSelector selector;
    private final AnnotationBudget budget;
    private final LabelShares shares;

    StreamAnnotator(String task, AnnotationSelector selector, AnnotationBudget budget, LabelShares shares) {
        this.task = task;
        this.selector = selector;
        this.budget = budget;
        this.shares = shares;
    }

    /**
     * @param texts       the hour's texts in arrival order
     * @param served      the served model's answers, aligned with {@code texts}
     * @param otherLabels another model's label for each text (aligned), or null when there is no other model
     * @param hour        the simulated clock hour; every request of the call is made in it
     */
    Hour annotate(List<String> texts, List<Prediction> served, List<String> otherLabels, Instant hour) {
        if (texts.size() != served.size() || (otherLabels != null && otherLabels.size() != texts.size())) {
            throw new IllegalArgumentException("texts, answers and other labels must be aligned");
        }
        List<Request> requests = new ArrayList<>();
        int flagged = 0;
        for (int i = 0; i < texts.size(); i++) {
            Prediction answer = served.get(i);
            String label = answer.label();
            List<AnnotationReason> reasons = selector.reasons(answer.byLabel(), label,
                    otherLabels == null ? null : otherLabels.get(i), Map.of(), Set.of(), shares);
            shares.record(label); // after asking: the share is that of the answers before this one
            if (reasons.isEmpty()) {
                continue;
            }
            flagged++;
            if (budget.tryAcquire(task, texts.get(i), hour) == AnnotationBudget.Decision.ACCEPTED) {
                requests.add(new Request(i, reasons));
            }
        }
        return new Hour(List.copyOf(requests), flagged);
    }

    /**
     * The hour's answers as {@link #annotate}, but offered to the budget most worth a label first
     * ({@link AnnotationSelector.Selection#MOST_WORTH_FIRST}, ties in arrival order) once the whole hour has been
     * seen: what a serving that holds back its requests until the end of the hour could do. The shares are still
     * recorded in arrival order, so every answer gets the reasons it would have had when it was served.
     */
    Hour annotateRanked(List<String> texts, List<Prediction> served, List<String> otherLabels, Instant hour) {
        if (texts.size() != served.size() || (otherLabels != null && otherLabels.size() != texts.size())) {
            throw new IllegalArgumentException("texts, answers and other labels must be aligned");
        }
        List<Integer> flagged = new ArrayList<>();
        List<AnnotationSelector.Selection> selections = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Prediction answer = served.get(i);
            AnnotationSelector.Selection selection = selector.select(answer.byLabel(), answer.label(),
                    otherLabels == null ? null : otherLabels.get(i), Map.of(), Set.of(), shares);
            shares.record(answer.label());
            selections.add(selection);
            if (selection.worthLabel()) {
                flagged.add(i);
            }
        }
        flagged.sort(java.util.Comparator.comparing(selections::get, AnnotationSelector.Selection.MOST_WORTH_FIRST));
        List<Request> requests = new ArrayList<>();
        for (int i : flagged) {
            if (budget.tryAcquire(task, texts.get(i), hour) == AnnotationBudget.Decision.ACCEPTED) {
                requests.add(new Request(i, selections.get(i).reasons()));
            }
        }
        return new Hour(List.copyOf(requests), flagged.size());
    }
}
