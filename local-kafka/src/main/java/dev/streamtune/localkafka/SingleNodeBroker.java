package dev.streamtune.localkafka;

import java.util.Map;

/** Broker configs that make a single node work on its own: no replication demands, no rebalance delay. */
public final class SingleNodeBroker {

    public static final Map<String, String> SETTINGS = Map.ofEntries(
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "3"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "3"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // Topics come from the catalogue; a typo must fail, not create a stray topic.
            Map.entry("auto.create.topics.enable", "false"),
            // The default 128 MiB dedupe buffer would dominate a small broker heap.
            Map.entry("log.cleaner.dedupe.buffer.size", "4194304"));

    private SingleNodeBroker() {
    }
}
