package dev.streamtune.evaluator;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;

/**
 * Errors Micronaut itself answers (unknown route, wrong method, a body too large) in the evaluator's own
 * {@link ErrorView} shape, {@code {"error": ...}}, instead of the framework's HATEOAS body.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
final class JsonErrorBody implements JsonErrorResponseBodyProvider<ErrorView> {

    @Override
    public ErrorView body(ErrorContext context, HttpResponse<?> response) {
        return new ErrorView(context.getErrors().stream().map(Error::getMessage).findFirst()
                .orElse(response.reason()));
    }
}
