package dev.streamtune.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.streamtune.contract.LocalSigningKeys;
import dev.streamtune.contract.SignerRole;
import dev.streamtune.kafka.TaskTopicFixture;
import dev.streamtune.schema.TaskDefinition;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.streams.KafkaStreams;

/** The real ingest service (HTTP server, config, Kafka Streams) started the way integration tests need it. */
final class IngestApp {

    private IngestApp() {
    }

    /**
     * Base configuration: a random HTTP port, this broker, quick commits, and the keys' trusted public keys (ingest
     * follows only task definitions signed by the evaluator). Tasks are defined with {@link #define}.
     */
    static Map<String, Object> config(String bootstrap, String applicationId, Path stateDir, LocalSigningKeys keys) {
        Map<String, Object> props = new HashMap<>(keys.properties(null));
        props.put("micronaut.server.port", -1);
        props.put("kafka.bootstrap-servers", bootstrap);
        props.put("ingest.application-id", applicationId);
        props.put("ingest.state-dir", stateDir.toString());
        props.put("ingest.commit-interval", "100ms");
        props.put("ingest.window-check-interval", "200ms");
        return props;
    }

    /** Signing keys for a test (under {@code dir}), as the run command makes them. */
    static LocalSigningKeys keys(Path dir) {
        return LocalSigningKeys.ensure(dir.resolve("keys"));
    }

    /** Defines tasks on the broker as the evaluator, the catalogue's one writer, would: signed, on the tasks topic. */
    static void define(String bootstrap, LocalSigningKeys keys, TaskDefinition... tasks) {
        TaskTopicFixture.publish(bootstrap, keys.signer(SignerRole.EVALUATOR), tasks);
    }

    static EmbeddedServer start(Map<String, Object> config) {
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, config);
        IngestService service = server.getApplicationContext().getBean(IngestService.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (service.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || service.state() == KafkaStreams.State.ERROR) {
                server.close();
                throw new IllegalStateException("Kafka Streams did not reach RUNNING: " + service.state());
            }
            sleep(50);
        }
        return server;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
