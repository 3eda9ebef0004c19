package dev.streamtune.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.streamtune.kafka.BrokerProbe;
import dev.streamtune.kafka.LoopHealth;
import dev.streamtune.service.KafkaConfig;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code /health} is DOWN unless the task catalogue has been read at start-up, Kafka Streams is RUNNING or
 * REBALANCING, and the broker answers (Kafka Streams stays RUNNING while the broker is away: its threads just wait).
 * While the catalogue is being read, Kafka Streams is not started yet (CREATED) and {@code catalogue} says why.
 */
@Singleton
@Requires(beans = IngestService.class)
public class StreamsHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final IngestService service;
    private final BrokerProbe broker;

    public StreamsHealthIndicator(IngestService service, KafkaConfig kafka) {
        this.service = service;
        this.broker = new BrokerProbe(kafka.connection());
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        KafkaStreams.State state = service.state();
        BrokerProbe.Reachability reachability = broker.check();
        boolean catalogueRead = service.catalogueRead();
        healthStatus = catalogueRead && (state == KafkaStreams.State.RUNNING
                || state == KafkaStreams.State.REBALANCING) && reachability.reachable()
                ? HealthStatus.UP : HealthStatus.DOWN;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name());
        details.put("catalogue", catalogueRead ? "read: " + service.catalogue().all().size() + " tasks"
                : "reading (Kafka Streams starts once the task catalogue has been read)");
        details.put("broker", reachability.reachable() ? "reachable" : reachability.detail());
        details.put("restarts", LoopHealth.restarts());
        return details;
    }

    @Override
    protected String getName() {
        return "kafkaStreams";
    }

    @PreDestroy
    void close() {
        broker.close();
    }
}
