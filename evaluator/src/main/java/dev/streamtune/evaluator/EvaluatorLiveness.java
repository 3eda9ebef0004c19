package dev.streamtune.evaluator;

import dev.streamtune.service.LoopLiveness;
import io.micronaut.context.annotation.Requires;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;

/** {@code /health/liveness}: DOWN only when the evaluator loop ended for good. */
@Singleton
@Requires(bean = EvaluatorService.class) // none where evaluator.enabled is false
@Liveness
final class EvaluatorLiveness extends LoopLiveness {

    EvaluatorLiveness(EvaluatorService service) {
        super("evaluator-loop", service::loop);
    }
}
