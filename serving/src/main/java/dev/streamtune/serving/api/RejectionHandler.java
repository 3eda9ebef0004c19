package dev.streamtune.serving.api;

import dev.streamtune.serving.RequestRejectedException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Turns a refused request into its status code and a JSON {@link ApiError}. */
@Produces
@Singleton
@Requires(classes = {RequestRejectedException.class, ExceptionHandler.class})
final class RejectionHandler implements ExceptionHandler<RequestRejectedException, HttpResponse<ApiError>> {

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, RequestRejectedException rejected) {
        int status = rejected.reason().httpStatus();
        if (status == HttpStatus.UNAUTHORIZED.getCode()) {
            return ClientTokenFilter.unauthorized(rejected.getMessage());
        }
        return HttpResponse.<ApiError>status(HttpStatus.valueOf(status)).body(new ApiError(status, rejected.getMessage()));
    }
}
