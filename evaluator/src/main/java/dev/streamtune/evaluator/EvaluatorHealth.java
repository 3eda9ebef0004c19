package dev.streamtune.evaluator;

import java.util.Map;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

/** DOWN when the evaluator loop died; UP (with "replaying") while it rebuilds its state. */
@Singleton
final class EvaluatorHealth extends AbstractHealthIndicator<Map<String, Object>> {

    private final EvaluatorService service;

    EvaluatorHealth(EvaluatorService service) {
        this.service = service;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        healthStatus = service.alive() ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("loop", service.alive() ? "running" : "stopped", "caughtUp", service.caughtUp());
    }

    @Override
    protected String getName() {
        return "evaluator";
    }
}
