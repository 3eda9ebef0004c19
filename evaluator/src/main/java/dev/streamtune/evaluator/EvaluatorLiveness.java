package dev.streamtune.evaluator;

import java.util.Map;

import dev.streamtune.contract.LoopHealth;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;

/**
 * Liveness: DOWN only when the evaluator loop ended for good (a fatal fault), since a restart is then the fix. An
 * unreachable broker is not a reason to restart: the loop waits it out.
 */
@Singleton
@Liveness
final class EvaluatorLiveness extends AbstractHealthIndicator<Map<String, Object>> {

    private final EvaluatorService service;

    EvaluatorLiveness(EvaluatorService service) {
        this.service = service;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        healthStatus = service.alive() ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("loop", LoopHealth.state(service.loop()));
    }

    @Override
    protected String getName() {
        return "evaluator-loop";
    }
}
