package dev.streamtune.evaluator;

import java.util.Map;

import dev.streamtune.kafka.BrokerProbe;
import dev.streamtune.kafka.LoopHealth;
import dev.streamtune.service.KafkaConfig;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * DOWN when the evaluator loop died or the broker does not answer; UP (with "caughtUp": false) while it rebuilds
 * its state, and with "loop": "recovering" while it retries a fault.
 */
@Singleton
@Requires(bean = EvaluatorService.class) // none where evaluator.enabled is false
final class EvaluatorHealth extends AbstractHealthIndicator<Map<String, Object>> {

    private final EvaluatorService service;
    private final BrokerProbe broker;

    EvaluatorHealth(EvaluatorService service, KafkaConfig kafka) {
        this.service = service;
        this.broker = new BrokerProbe(kafka.connection());
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        BrokerProbe.Reachability reachability = broker.check();
        healthStatus = LoopHealth.up(service.loop(), reachability) ? HealthStatus.UP : HealthStatus.DOWN;
        Map<String, Object> details = LoopHealth.details(service.loop(), reachability);
        details.put("caughtUp", service.caughtUp());
        details.put("skippedRecords", service.skippedRecords());
        return details;
    }

    @Override
    protected String getName() {
        return "evaluator";
    }

    @PreDestroy
    void close() {
        broker.close();
    }
}
