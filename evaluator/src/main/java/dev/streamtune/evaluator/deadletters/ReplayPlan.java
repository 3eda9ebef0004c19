package dev.streamtune.evaluator.deadletters;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.streamtune.contract.ReasonCode;
import dev.streamtune.schema.RejectedRecord;

/**
 * What one replay sends, decided record by record and without a broker: the dead letters of one task with one
 * reason are turned back into their originals ({@link OriginalRecord}), the others are left alone; the ones that
 * cannot go back are counted by why. A replay runs one plan per transaction's worth of dead letters.
 */
public final class ReplayPlan {

    private final String task;
    private final ReasonCode reason;
    private final List<OriginalRecord> originals = new ArrayList<>();
    private final Set<String> ids = new LinkedHashSet<>();
    private final Map<String, Integer> unreplayable = new TreeMap<>();

    public ReplayPlan(String task, ReasonCode reason) {
        this.task = task;
        this.reason = reason;
    }

    /** Whether {@code letter} is one of this replay's: the task ingest read from it and the reason match exactly. */
    public boolean selects(RejectedRecord letter) {
        return task.equals(letter.getTask()) && reason.name().equals(letter.getReasonCode());
    }

    /** Takes {@code letter} into the plan when it is selected; ignores it otherwise. */
    public void offer(RejectedRecord letter) {
        if (!selects(letter)) {
            return;
        }
        try {
            OriginalRecord original = OriginalRecord.of(letter);
            originals.add(original);
            ids.add(original.id());
        } catch (OriginalRecord.Unreplayable e) {
            unreplayable.merge(e.getMessage(), 1, Integer::sum);
        }
    }

    /** The records to produce, in dead-letter order. */
    public List<OriginalRecord> originals() {
        return originals;
    }

    /** The ids of the records to produce (what the verdicts are matched on). */
    public Set<String> ids() {
        return ids;
    }

    /** Selected dead letters that cannot go back, by why. */
    public Map<String, Integer> unreplayable() {
        return unreplayable;
    }
}
