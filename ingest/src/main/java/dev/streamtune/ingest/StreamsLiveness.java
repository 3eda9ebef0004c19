package dev.streamtune.ingest;

import java.util.Map;

import dev.streamtune.kafka.ConsumerLoop;
import dev.streamtune.kafka.LoopHealth;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Liveness: DOWN once Kafka Streams shut itself down after a thread failed (ERROR, or on its way there), or the task
 * catalogue's follower ended for good, since only a restart brings either back. An unreachable broker is not a
 * reason: Kafka Streams and the follower wait it out.
 */
@Singleton
@Liveness
@Requires(beans = IngestService.class)
public class StreamsLiveness extends AbstractHealthIndicator<Map<String, String>> {

    private final IngestService service;

    public StreamsLiveness(IngestService service) {
        this.service = service;
    }

    @Override
    protected Map<String, String> getHealthInformation() {
        KafkaStreams.State state = service.state();
        ConsumerLoop catalogue = service.catalogueLoop();
        boolean catalogueAlive = catalogue == null || catalogue.alive();
        healthStatus = state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || !catalogueAlive ? HealthStatus.DOWN : HealthStatus.UP;
        return Map.of("state", state.name(), "catalogue", catalogue == null ? "not started"
                : String.valueOf(LoopHealth.state(catalogue)));
    }

    @Override
    protected String getName() {
        return "kafkaStreams-liveness";
    }
}
