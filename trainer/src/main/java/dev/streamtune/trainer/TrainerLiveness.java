package dev.streamtune.trainer;

import java.util.Map;

import dev.streamtune.contract.LoopHealth;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;

/**
 * Liveness: DOWN only when the training loop ended for good (a fatal fault), since a restart is then the fix. An
 * unreachable broker is not a reason to restart: the loop waits it out.
 */
@Singleton
@Liveness
final class TrainerLiveness extends AbstractHealthIndicator<Map<String, Object>> {

    private final TrainerService service;

    TrainerLiveness(TrainerService service) {
        this.service = service;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        healthStatus = service.alive() ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("loop", LoopHealth.state(service.loop()));
    }

    @Override
    protected String getName() {
        return "trainer-loop";
    }
}
