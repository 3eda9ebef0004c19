package dev.streamtune.trainer;

import dev.streamtune.service.LoopLiveness;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;

/** {@code /health/liveness}: DOWN only when the training loop ended for good. */
@Singleton
@Liveness
final class TrainerLiveness extends LoopLiveness {

    TrainerLiveness(TrainerService service) {
        super("trainer-loop", service::loop);
    }
}
