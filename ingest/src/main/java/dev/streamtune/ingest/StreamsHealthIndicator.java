package dev.streamtune.ingest;

import java.util.Map;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

/** {@code /health} is DOWN unless Kafka Streams is RUNNING or REBALANCING. */
@Singleton
@Requires(beans = IngestService.class)
public class StreamsHealthIndicator extends AbstractHealthIndicator<Map<String, String>> {

    private final IngestService service;

    public StreamsHealthIndicator(IngestService service) {
        this.service = service;
    }

    @Override
    protected Map<String, String> getHealthInformation() {
        KafkaStreams.State state = service.state();
        healthStatus = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING
                ? HealthStatus.UP : HealthStatus.DOWN;
        return Map.of("state", state.name());
    }

    @Override
    protected String getName() {
        return "kafkaStreams";
    }
}
