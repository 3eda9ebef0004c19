package dev.streamtune.serving.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;

/**
 * Errors Micronaut itself answers (malformed JSON, unknown route, wrong method, body too large) in the same
 * {@link ApiError} shape as the service's own, instead of the framework's HATEOAS body.
 */
@Singleton
@Replaces(JsonErrorResponseBodyProvider.class)
final class JsonErrorBody implements JsonErrorResponseBodyProvider<ApiError> {

    @Override
    public ApiError body(ErrorContext context, HttpResponse<?> response) {
        String message = context.getErrors().stream().map(Error::getMessage).findFirst()
                .orElse(response.reason());
        return new ApiError(response.code(), message);
    }
}
