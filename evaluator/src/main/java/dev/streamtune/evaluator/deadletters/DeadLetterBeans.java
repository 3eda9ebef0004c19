package dev.streamtune.evaluator.deadletters;

import java.util.Optional;

import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.SigningConfig;
import dev.streamtune.kafka.TaskCatalogueFollower;
import dev.streamtune.service.KafkaConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/** The only place Micronaut wires this package's plain classes. */
@Factory
class DeadLetterBeans {

    @Singleton
    @Bean(preDestroy = "close")
    DeadLetterReplayer deadLetterReplayer(KafkaConfig kafka) {
        return new DeadLetterReplayer(kafka.connection());
    }

    /**
     * Started with the application: it reads the dead letters and the catalogue from the beginning (its own
     * catalogue follower; the integrator may hand it the catalogue writer's instead).
     */
    @Context
    @Requires(property = dev.streamtune.evaluator.EvaluatorService.ENABLED, notEquals = "false")
    @Bean(preDestroy = "close")
    OpenLabelMonitor openLabelMonitor(KafkaConfig kafka, DeadLetterReplayer replayer, DeadLetterSettings settings,
                                      Optional<LabelAppender> appender, MeterRegistry meters,
                                      @Value("${streamtune.signing.trusted-keys:}") String trustedKeys) {
        RecordVerifier verifier = new RecordVerifier(SigningConfig.trustedKeys(trustedKeys), (topic, reason) ->
                meters.counter(RecordVerifier.REJECTED_METER, "topic", topic, "reason", reason.tag()).increment());
        TaskCatalogueFollower catalogue = new TaskCatalogueFollower("evaluator-open-labels", kafka.connection(),
                verifier).start();
        return new OpenLabelMonitor(kafka.connection(), verifier, catalogue, replayer, appender,
                settings.openLabels()).start();
    }
}
