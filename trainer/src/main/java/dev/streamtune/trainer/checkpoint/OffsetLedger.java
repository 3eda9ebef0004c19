package dev.streamtune.trainer.checkpoint;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.common.TopicPartition;

/**
 * Where to resume reading after a restart without losing a record: for each partition, the offset of the earliest
 * record that belongs to a window not yet trained (it is still only in memory), else the current position. Records
 * of trained windows are released from the ledger.
 */
public final class OffsetLedger {

    /** partition -> offset -> window id, for records held in memory but not yet trained on. */
    private final Map<TopicPartition, TreeMap<Long, String>> pending = new HashMap<>();

    public void hold(TopicPartition partition, long offset, String windowId) {
        pending.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, windowId);
    }

    public void release(Set<String> trainedWindows) {
        pending.values().forEach(offsets -> offsets.values().removeIf(trainedWindows::contains));
    }

    /** @param positions the consumer's current position per partition */
    public Map<TopicPartition, Long> restartPositions(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, Long> restart = new HashMap<>(positions);
        pending.forEach((partition, offsets) -> {
            if (!offsets.isEmpty()) {
                restart.merge(partition, offsets.firstKey(), Math::min);
            }
        });
        return restart;
    }
}
