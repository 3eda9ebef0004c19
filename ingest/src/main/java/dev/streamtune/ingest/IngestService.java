package dev.streamtune.ingest;

import java.time.Duration;
import java.util.Properties;

import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.TaskCatalogue;
import dev.streamtune.ingest.config.IngestConfig;
import dev.streamtune.ingest.config.IngestSettings;
import dev.streamtune.ingest.config.StreamsProperties;
import dev.streamtune.ingest.metrics.MicrometerIngestMetrics;
import dev.streamtune.kafka.ConsumerLoop;
import dev.streamtune.kafka.TaskCatalogueFollower;
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
 * follows the task catalogue ({@link TaskCatalogueFollower}, signed definitions only), builds {@link IngestTopology}
 * on the catalogue's live snapshot, binds Kafka Streams' own metrics (lag included) to Micrometer, and starts Kafka
 * Streams once the catalogue has been read to the end it had at start-up: started earlier, a restart would judge the
 * records waiting for it against an empty catalogue and dead-letter them all as UNKNOWN_TASK. The wait happens on a
 * thread of its own, so the HTTP server (and /health, which says why it is DOWN) is up meanwhile. Closed (with a
 * final commit) when the context stops. {@code ingest.enabled: false} leaves it out (configuration tests).
 */
@Context
@Requires(property = "ingest.enabled", notEquals = "false")
public class IngestService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How often the start-up wait logs that the catalogue is still being read. */
    private static final Duration CATALOGUE_WAIT_LOG = Duration.ofSeconds(30);

    private final IngestConfig config;
    private final KafkaConfig kafka;
    private final IngestSettings settings;
    private final MeterRegistry registry;
    private final RecordVerifier verifier;
    private volatile TaskCatalogueFollower catalogue;
    private volatile KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private DeferredStart deferredStart;

    public IngestService(IngestConfig config, KafkaConfig kafka, IngestSettings settings, MeterRegistry registry,
                         RecordVerifier verifier) {
        this.config = config;
        this.kafka = kafka;
        this.settings = settings;
        this.registry = registry;
        this.verifier = verifier;
    }

    @PostConstruct
    synchronized void start() {
        new TopicProvisioner(kafka.connection()).ensureAll();
        catalogue = new TaskCatalogueFollower("ingest", kafka.connection(), verifier).start();
        Topology topology = new IngestTopology(settings, catalogue::current, catalogue::awaitReadAsOf,
                new MicrometerIngestMetrics(registry))
                .build();
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
        LOG.debug("Topology:\n{}", topology.describe());
        KafkaStreams created = streams;
        TaskCatalogueFollower follower = catalogue;
        deferredStart = new DeferredStart(follower::awaitCaughtUp, () -> {
            LOG.info("Starting ingest (application.id {}) with tasks {} against {}", config.applicationId(),
                    follower.current().all().stream().map(d -> d.getTask() + " v" + d.getVersion() + " "
                            + d.getState()).toList(), kafka);
            created.start();
        }, CATALOGUE_WAIT_LOG).begin("ingest-start");
    }

    /** CREATED while the catalogue is read at start-up. */
    public KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.NOT_RUNNING : current.state();
    }

    /** Whether the task catalogue has been read to the end it had at start-up (Kafka Streams waits for it). */
    public boolean catalogueRead() {
        TaskCatalogueFollower follower = catalogue;
        return follower != null && follower.caughtUp();
    }

    /** The task catalogue as read so far. */
    public TaskCatalogue catalogue() {
        TaskCatalogueFollower follower = catalogue;
        return follower == null ? TaskCatalogue.empty() : follower.current();
    }

    /** The catalogue follower's loop, for liveness; null before start. */
    public ConsumerLoop catalogueLoop() {
        TaskCatalogueFollower follower = catalogue;
        return follower == null ? null : follower.loop();
    }

    @PreDestroy
    @Override
    public void close() {
        DeferredStart pending;
        synchronized (this) {
            pending = deferredStart;
        }
        if (pending != null) {
            pending.close(); // Kafka Streams is then either started or never will be
        }
        synchronized (this) {
            if (streams != null) {
                // Leave the group: a restarted instance gets its partitions at once instead of after the session
                // timeout.
                streams.close(CloseOptions.groupMembershipOperation(
                        CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(CLOSE_TIMEOUT));
                streams = null;
            }
            if (streamsMetrics != null) {
                streamsMetrics.close();
                streamsMetrics = null;
            }
            if (catalogue != null) {
                catalogue.close();
            }
        }
    }
}
