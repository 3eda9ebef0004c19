package dev.streamtune.trainer;

import java.util.Map;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;

/** DOWN when the training loop died; UP with "starting" until the base model is loaded and consuming began. */
@Singleton
final class TrainerHealth extends AbstractHealthIndicator<Map<String, Object>> {

    private final TrainerService service;

    TrainerHealth(TrainerService service) {
        this.service = service;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        healthStatus = service.alive() ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("loop", service.alive() ? (service.isConsuming() ? "consuming" : "starting") : "stopped",
                "partitions", service.ownedPartitions());
    }

    @Override
    protected String getName() {
        return "trainer";
    }
}
