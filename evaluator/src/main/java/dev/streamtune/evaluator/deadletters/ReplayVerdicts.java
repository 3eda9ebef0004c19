package dev.streamtune.evaluator.deadletters;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.streamtune.schema.CleanExample;
import dev.streamtune.schema.RejectedRecord;

/**
 * Ingest's verdicts on replayed records, which arrive after the replay on examples.clean (accepted) and
 * examples.rejected (rejected again): matched by task and example id, since the replayed value carries the id
 * ingest gave the original. A replayed id with neither verdict is pending: still on its way, or dropped by ingest
 * without a dead letter (a duplicate of an accepted text within the dedupe horizon, or feedback that teaches nothing).
 */
public final class ReplayVerdicts {

    private final String task;
    private final Set<String> waiting;
    private int accepted;
    private final Map<String, Integer> rejectedAgain = new TreeMap<>();

    public ReplayVerdicts(String task, Set<String> replayedIds) {
        this.task = task;
        this.waiting = new HashSet<>(replayedIds);
    }

    public void clean(CleanExample example) {
        if (task.equals(example.getTask()) && waiting.remove(example.getId())) {
            accepted++;
        }
    }

    public void rejected(RejectedRecord letter) {
        if (!task.equals(letter.getTask())) {
            return;
        }
        OriginalRecord.idOf(letter).filter(waiting::remove)
                .ifPresent(id -> rejectedAgain.merge(letter.getReasonCode(), 1, Integer::sum));
    }

    public boolean complete() {
        return waiting.isEmpty();
    }

    public int accepted() {
        return accepted;
    }

    public Map<String, Integer> rejectedAgain() {
        return Map.copyOf(rejectedAgain);
    }

    public int pending() {
        return waiting.size();
    }
}
