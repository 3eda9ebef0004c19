package dev.streamtune.evaluator;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

@OpenAPIDefinition(info = @Info(title = "streamtune-evaluator", version = "1",
        description = "The task catalogue (its one writer) and operator commands of the Streamtune evaluator"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "evaluator.admin-token (EVALUATOR_ADMIN_TOKEN)")
public final class EvaluatorApplication {
    private EvaluatorApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(EvaluatorApplication.class).banner(false).start();
    }
}
