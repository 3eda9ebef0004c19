package dev.streamtune.serving.adapter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.streamtune.schema.PromotionDecision;
import dev.streamtune.schema.Verdict;

/**
 * The promotion decisions serving has seen, to say why the current adapter is there: the decision a deployment
 * names, the approval (with its evaluation report) of each adapter, and each task's latest rejection (why the
 * newest candidate is not answering). Bounded: the oldest are forgotten first.
 */
public final class DecisionBook {

    private final Map<String, PromotionDecision> byId;
    private final Map<String, PromotionDecision> approvalByCandidate;
    private final Map<String, PromotionDecision> lastRejectionByTask;

    public DecisionBook(int capacity) {
        this.byId = lru(capacity);
        this.approvalByCandidate = lru(capacity);
        this.lastRejectionByTask = lru(capacity);
    }

    private static <V> Map<String, V> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void record(PromotionDecision decision) {
        byId.put(decision.getDecisionId(), decision);
        if (decision.getVerdict() == Verdict.APPROVED) {
            approvalByCandidate.remove(decision.getCandidateId()); // re-insert: the latest approval is the youngest
            approvalByCandidate.put(decision.getCandidateId(), decision);
        } else if (decision.getVerdict() == Verdict.REJECTED) {
            lastRejectionByTask.remove(decision.getTask());
            lastRejectionByTask.put(decision.getTask(), decision);
        }
    }

    public synchronized Optional<PromotionDecision> byId(String decisionId) {
        return Optional.ofNullable(byId.get(decisionId));
    }

    /** The task's latest rejected candidate, with the reasons and the evaluation report when the gate decided. */
    public synchronized Optional<PromotionDecision> lastRejectionOf(String task) {
        return Optional.ofNullable(lastRejectionByTask.get(task));
    }

    /** The latest approval of an adapter: for a rollback target, the decision that approved it in the first place. */
    public synchronized Optional<PromotionDecision> approvalOf(String adapterId) {
        return Optional.ofNullable(approvalByCandidate.get(adapterId));
    }
}
