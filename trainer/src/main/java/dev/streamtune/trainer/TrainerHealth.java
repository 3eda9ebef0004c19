package dev.streamtune.trainer;

import java.util.Map;

import dev.streamtune.kafka.BrokerProbe;
import dev.streamtune.kafka.LoopHealth;
import dev.streamtune.service.KafkaConfig;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * DOWN when the training loop died or the broker does not answer; UP with "consuming": false until the base model
 * is loaded and consuming began, and with "loop": "recovering" while it retries a fault (e.g. a failed round).
 * "controlTopicsRead" is false until the task catalogue and the approved adapters are read (no round starts
 * before); "heldTasks" says why a task's due windows wait (not in the catalogue, paused, a label not there yet) or
 * why its round was refused.
 */
@Singleton
final class TrainerHealth extends AbstractHealthIndicator<Map<String, Object>> {

    private final TrainerService service;
    private final BrokerProbe broker;

    TrainerHealth(TrainerService service, KafkaConfig kafka) {
        this.service = service;
        this.broker = new BrokerProbe(kafka.connection());
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        BrokerProbe.Reachability reachability = broker.check();
        healthStatus = LoopHealth.up(service.loop(), reachability) ? HealthStatus.UP : HealthStatus.DOWN;
        Map<String, Object> details = LoopHealth.details(service.loop(), reachability);
        details.put("consuming", service.isConsuming());
        details.put("partitions", service.ownedPartitions());
        details.put("skippedRecords", service.skippedRecords());
        details.put("controlTopicsRead", service.controlTopicsRead());
        details.put("heldTasks", service.heldTasks());
        details.put("approvedAdapters", service.approvedAdapters());
        return details;
    }

    @Override
    protected String getName() {
        return "trainer";
    }

    @PreDestroy
    void close() {
        broker.close();
    }
}
