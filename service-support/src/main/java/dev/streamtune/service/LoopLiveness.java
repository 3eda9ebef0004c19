package dev.streamtune.service;

import java.util.Map;
import java.util.function.Supplier;

import dev.streamtune.kafka.ConsumerLoop;
import dev.streamtune.kafka.LoopHealth;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;

/**
 * Liveness of a service whose work is one consumer loop: DOWN only when the loop ended for good (a fatal fault),
 * since a restart is then the fix. An unreachable broker is not a reason to restart: the loop waits it out.
 * A service declares its own {@code @Singleton @Liveness} subclass naming its loop.
 */
public abstract class LoopLiveness extends AbstractHealthIndicator<Map<String, Object>> {

    private final String name;
    private final Supplier<ConsumerLoop> loop;

    protected LoopLiveness(String name, Supplier<ConsumerLoop> loop) {
        this.name = name;
        this.loop = loop;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        ConsumerLoop current = loop.get();
        healthStatus = current.alive() ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("loop", LoopHealth.state(current));
    }

    @Override
    protected String getName() {
        return name;
    }
}
