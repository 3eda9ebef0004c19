package dev.streamtune.serving.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint that needs one of {@code serving.api-tokens} when any is configured; {@link ClientTokenFilter}
 * enforces it on the matched route, so no spelling of the path (a trailing slash, say) gets around it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@interface ClientTokenRequired {
}
