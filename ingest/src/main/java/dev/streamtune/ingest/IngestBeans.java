package dev.streamtune.ingest;

import dev.streamtune.contract.RecordVerifier;
import dev.streamtune.contract.SigningConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/** Where Micronaut wires the plain classes ingest needs besides its configuration. */
@Factory
public class IngestBeans {

    /**
     * Checks task definitions were signed by a trusted evaluator key (the catalogue's one writer); counts the ones
     * that were not. Ingest refuses to start without the trusted keys: an unverified catalogue could open a task.
     */
    @Singleton
    RecordVerifier verifier(@Value("${streamtune.signing.trusted-keys:}") String trustedKeys, MeterRegistry meters) {
        return new RecordVerifier(SigningConfig.trustedKeys(trustedKeys), (topic, reason) ->
                meters.counter(RecordVerifier.REJECTED_METER, "topic", topic, "reason", reason.tag()).increment());
    }
}
