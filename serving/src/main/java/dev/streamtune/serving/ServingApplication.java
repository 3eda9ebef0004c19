package dev.streamtune.serving;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

@OpenAPIDefinition(info = @Info(title = "streamtune-serving", version = "1",
        description = "Predictions, feedback, current model and operator commands of the Streamtune serving tier"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "serving.admin-token (SERVING_ADMIN_TOKEN); only the /admin endpoints need it")
public final class ServingApplication {
    private ServingApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(ServingApplication.class).banner(false).start();
    }
}
