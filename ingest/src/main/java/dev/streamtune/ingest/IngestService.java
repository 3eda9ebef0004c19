package dev.streamtune.ingest;

import java.time.Duration;
import java.util.Properties;

import dev.streamtune.ingest.config.IngestConfig;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.config.StreamsProperties;
import dev.streamtune.ingest.metrics.MicrometerIngestMetrics;
import dev.streamtune.kafka.TopicProvisioner;
import dev.streamtune.service.KafkaConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams application as a Micronaut bean, started with the context: provisions the topic catalogue,
 * builds {@link IngestTopology}, binds Kafka Streams' own metrics (lag included) to Micrometer, starts. Closed
 * (with a final commit) when the context stops. {@code ingest.enabled: false} leaves it out (configuration tests).
 */
@Context
@Requires(property = "ingest.enabled", notEquals = "false")
public class IngestService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final IngestConfig config;
    private final KafkaConfig kafka;
    private final IngestSettings settings;
    private final MeterRegistry registry;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;

    public IngestService(IngestConfig config, KafkaConfig kafka, IngestSettings settings, MeterRegistry registry) {
        this.config = config;
        this.kafka = kafka;
        this.settings = settings;
        this.registry = registry;
    }

    @PostConstruct
    void start() {
        new TopicProvisioner(kafka.connection()).ensureAll();
        Topology topology = new IngestTopology(settings, new MicrometerIngestMetrics(registry)).build();
        Properties props = StreamsProperties.from(config, kafka.connection());
        streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(error -> {
            // Records never get here (they are dead-lettered); this is the broker or a bug. Stop, so health
            // turns DOWN and whatever supervises the process restarts it, rather than spinning.
            LOG.error("Kafka Streams thread failed; shutting the ingest client down", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> LOG.info("Kafka Streams {} -> {}", before, now));
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        LOG.info("Starting ingest (application.id {}, tasks {}, unknown tasks {}) against {}",
                config.applicationId(), settings.tasks().keySet(),
                settings.acceptUnknownTasks() ? "accepted" : "rejected", kafka);
        LOG.debug("Topology:\n{}", topology.describe());
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.NOT_RUNNING : streams.state();
    }

    @PreDestroy
    @Override
    public void close() {
        if (streams != null) {
            // Leave the group: a restarted instance gets its partitions at once instead of after the session timeout.
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
            streams = null;
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
            streamsMetrics = null;
        }
    }
}
